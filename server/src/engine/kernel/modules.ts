/**
 * Turns one directory's kbuild file, evaluated under a configuration, into modules: which
 * objects become a `.ko`, which are linked into vmlinux, and which source files make up each
 * (members may lie in subdirectories or, with `../`, elsewhere in the tree; a file may be
 * linked into several units). Shared by the kernel index
 * (in-tree modules) and the out-of-tree module resolver.
 */
import { posix } from 'node:path';
import { evaluateKbuild, makeVariables, parseMakefile, type KbuildBuild, type KbuildCondition, type KbuildDir, type KbuildEntry } from './kbuild';
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

/** Variables the top-level Kbuild takes from arch/$(SRCARCH)/Makefile through the top Makefile. */
function archVars(config: ConfigView, read: (path: string) => string | undefined): Map<string, string> {
	const arch = config.dotConfig?.get('X86') === 'y' ? 'x86' : undefined;
	const text = arch && read(`arch/${arch}/Makefile`);
	if (!text) return new Map();
	const preset = new Map([['core-y', ''], ['drivers-y', ''], ['libs-y', 'lib/']]);
	const v = makeVariables(parseMakefile(text), { dir: '', dotConfig: config.dotConfig, read, vars: preset }, ['core-y', 'drivers-y', 'drivers-m', 'libs-y']);
	const get = (name: string) => v.get(name) ?? '';
	return new Map([
		['ARCH_CORE', get('core-y')],
		['ARCH_LIB', get('libs-y').split(/\s+/).filter((d) => d.endsWith('/')).join(' ')],
		['ARCH_DRIVERS', `${get('drivers-y')} ${get('drivers-m')}`],
	]);
}

/**
 * What one directory's kbuild file builds under `config`. `read` gives included makefiles
 * (paths relative to the root); without it `include` reads nothing.
 */
export function evaluateDir(
	dir: string,
	kbuild: KbuildDir,
	config: ConfigView,
	read?: (path: string) => string | undefined,
): KbuildBuild {
	const vars = dir === '' && read && config.dotConfig ? archVars(config, read) : undefined;
	return evaluateKbuild(kbuild.program, { dir, dotConfig: config.dotConfig, read, vars });
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
	read?: (path: string) => string | undefined,
): BuildUnit[] {
	return unitsOfBuild(dir, evaluateDir(dir, kbuild, config, read), kbuildFile, config, sourceOf);
}

/** `dir/name` normalized (members may climb out with `../`); undefined if it leaves the root. */
function joinObject(dir: string, name: string): string | undefined {
	const path = posix.normalize(dir ? `${dir}/${name}` : name);
	return path.startsWith('../') || posix.isAbsolute(path) ? undefined : path;
}

export function unitsOfBuild(
	dir: string,
	build: KbuildBuild,
	kbuildFile: string,
	config: ConfigView,
	sourceOf: (objectPath: string) => string | undefined,
): BuildUnit[] {
	const units = new Map<string, BuildUnit>();
	const membersOf = (name: string, seen: Set<string>): string[] => {
		const parts = build.composites.get(name);
		if (!parts || seen.has(name)) {
			const path = joinObject(dir, name);
			const src = path && sourceOf(path);
			return src ? [src] : [];
		}
		seen.add(name);
		return parts
			.filter((p: KbuildEntry) => unitKind(p.cond, config) !== undefined)
			.flatMap((p) => membersOf(p.name, seen));
	};
	for (const obj of build.objects) {
		const kind = unitKind(obj.cond, config);
		const name = joinObject(dir, obj.name);
		if (!kind || !name) continue;
		const existing = units.get(name);
		if (existing) {
			// Listed twice (obj-y and obj-$(CONFIG_X)): with a .config make builds it in
			// (Makefile.lib drops obj-y from obj-m); without, the most module-like reading wins.
			if (config.dotConfig ? kind === 'builtin' : rank(kind) > rank(existing.kind)) existing.kind = kind;
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
