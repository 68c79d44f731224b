/**
 * Symbol namespaces as modpost and the module loader treat them: how MODULE_IMPORT_NS is
 * spelled in each era, and which modules an export "for modules" (namespace
 * `module:<list>`) admits. Data with its version and source, read by export-use.ts.
 */
import { compareVersion, type KernelVersion } from '../version';

export const NAMESPACE_RULES = {
	/** EXPORT_SYMBOL_NS and MODULE_IMPORT_NS take a string literal, no longer a bare token. */
	quotedSince: { version: '6.13', source: 'cdd30ebb1b9f "module: Convert symbol namespace to string literal" (v6.13-rc2)' },
	/** `module:` namespaces admit in-tree modules only (modinfo "intree"), in modpost and the loader. */
	inTreeOnlySince: { version: '6.17', source: '"module: Restrict module namespace access to in-tree modules" (v6.17)' },
} as const;

export const MODULE_NAMESPACE_PREFIX = 'module:';

/** How the kernel `version` spells `MODULE_IMPORT_NS` of `ns` (unknown version: the bare token of ≤ 6.12). */
export function importSpelling(ns: string, version: KernelVersion | undefined): string {
	const quoted = version !== undefined && compareVersion(version, NAMESPACE_RULES.quotedSince.version) >= 0;
	return quoted ? `"${ns}"` : ns;
}

/** The module list of an export made only for some modules (EXPORT_SYMBOL_FOR_MODULES), else undefined. */
export function moduleList(ns: string | undefined): string | undefined {
	return ns?.startsWith(MODULE_NAMESPACE_PREFIX) ? ns.slice(MODULE_NAMESPACE_PREFIX.length) : undefined;
}

/**
 * Whether a module named `name` (its kbuild path, `drivers/kvm/kvm-amd`) is on `list`, as
 * verify_module_namespace() decides: its basename against each comma-separated pattern, a
 * trailing `*` matching any tail, `-` and `_` the same (kbuild's name fixing).
 */
export function moduleListed(list: string, name: string): boolean {
	const fix = (s: string) => s.replace(/-/g, '_');
	const base = fix(name.slice(name.lastIndexOf('/') + 1));
	return list.split(',').some((pattern) => {
		const p = fix(pattern.trim());
		return p.endsWith('*') ? base.startsWith(p.slice(0, -1)) : p === base;
	});
}

/** Whether kernel `version` restricts `module:` exports to in-tree modules. */
export function moduleListInTreeOnly(version: KernelVersion | undefined): boolean {
	return version !== undefined && compareVersion(version, NAMESPACE_RULES.inTreeOnlySince.version) >= 0;
}
