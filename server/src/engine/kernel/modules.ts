/**
 * Turns one directory's kbuild lines into modules: which objects become a `.ko`, which are
 * linked into vmlinux, and which source files make up each. Shared by the kernel index
 * (in-tree modules) and the out-of-tree module resolver.
 */
import type { KbuildCondition, KbuildDir, KbuildEntry } from './kbuild';
import type { KconfigType } from './kconfig';

/** `module`: certainly a .ko; `maybe-module`: a tristate option decides; `builtin`: vmlinux. */
export type UnitKind = 'module' | 'maybe-module' | 'builtin';

export interface BuildUnit {
	/** Path without `.o`/`.ko` relative to the tree root, as Module.symvers names modules. */
	name: string;
	kind: UnitKind;
	/** Source files (relative to the same root) that make up the unit. */
	files: string[];
	/** The kbuild line that builds it. */
	kbuildFile: string;
	kbuildLine: number;
}

export interface ConfigView {
	kconfig: ReadonlyMap<string, KconfigType>;
	/** Values from a .config, when one was given; then it decides exactly. */
	dotConfig?: ReadonlyMap<string, string>;
}

/** What a kbuild condition means for the unit, or undefined when it is not built at all. */
export function unitKind(cond: KbuildCondition, config: ConfigView): UnitKind | undefined {
	if (cond === 'y') return 'builtin';
	if (cond === 'm') return 'module';
	if (config.dotConfig) {
		const v = config.dotConfig.get(cond.config);
		return v === 'y' ? 'builtin' : v === 'm' ? 'module' : undefined;
	}
	const type = config.kconfig.get(cond.config);
	// An option no Kconfig declares is most often an arch or out-of-tree one: keep it checkable.
	return type === 'bool' ? 'builtin' : 'maybe-module';
}

/**
 * The units of one directory. `sourceOf` maps a relative object path (no extension) to its
 * existing source file, or undefined when there is none (generated code, other arches).
 */
export function unitsOfDir(
	dir: string,
	kbuild: KbuildDir,
	kbuildFile: string,
	config: ConfigView,
	sourceOf: (objectPath: string) => string | undefined,
): BuildUnit[] {
	const prefix = dir ? `${dir}/` : '';
	const units = new Map<string, BuildUnit>();
	const membersOf = (name: string, seen: Set<string>): string[] => {
		const parts = kbuild.composites.get(name);
		if (!parts || seen.has(name)) {
			const src = sourceOf(prefix + name);
			return src ? [src] : [];
		}
		seen.add(name);
		return parts
			.filter((p: KbuildEntry) => unitKind(p.cond, config) !== undefined)
			.flatMap((p) => membersOf(p.name, seen));
	};
	for (const obj of kbuild.objects) {
		const kind = unitKind(obj.cond, config);
		if (!kind) continue;
		const name = prefix + obj.name;
		const existing = units.get(name);
		if (existing) {
			// Listed twice (obj-y and obj-$(CONFIG_X)): the most module-like reading wins.
			if (rank(kind) > rank(existing.kind)) existing.kind = kind;
			continue;
		}
		const files = [...new Set(membersOf(obj.name, new Set()))];
		if (files.length > 0) units.set(name, { name, kind, files, kbuildFile, kbuildLine: obj.line });
	}
	return [...units.values()];
}

function rank(kind: UnitKind): number {
	return kind === 'module' ? 2 : kind === 'maybe-module' ? 1 : 0;
}
