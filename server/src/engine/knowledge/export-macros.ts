/**
 * The export macro families across kernel versions (see ../shared/kernel-facts.md, which
 * gathered them from include/linux/export.h of v4.14 … v6.13). Data, not code: the lexical
 * scanner and the checks look macros up here.
 */
export interface ExportMacro {
	readonly name: string;
	/** Only modules with a GPL-compatible license may link against the symbol. */
	readonly gplOnly: boolean;
	/** Index of the argument naming the namespace (bare token ≤ 6.12, string literal ≥ 6.13). */
	readonly namespaceArg?: number;
	/** Index of the argument that decides GPL-ness instead of `gplOnly` (`"_gpl"`, `"GPL"`). */
	readonly licenseArg?: number;
	/** A fixed namespace the macro implies, e.g. KUnit-only exports. */
	readonly impliedNamespace?: string;
	/** The second argument lists the modules allowed to import (`"mod1,mod2-*"`). */
	readonly forModules?: boolean;
	/** Names the macro actually exports for symbol `%s` (default: the symbol itself). */
	readonly emits?: readonly string[];
	/**
	 * The kernel defines it through other export macros, and what it emits changed over time:
	 * the tree's own #define, when known, overrides `emits`.
	 */
	readonly derived?: boolean;
	/** Kernel versions that have the macro, as [first, last] "major.minor" (inclusive). */
	readonly versions?: readonly [string, string | undefined];
}

// Tracepoints export the tracepoint itself; 5.10+ adds the iterator and its static call
// (key, plus the trampoline on arches with static calls): the tree's definition decides.
const TRACEPOINT_EMITS = ['__tracepoint_%s', '__traceiter_%s', '__SCK__tp_func_%s'];

const macros: ExportMacro[] = [
	{ name: 'EXPORT_SYMBOL', gplOnly: false },
	{ name: 'EXPORT_SYMBOL_GPL', gplOnly: true },
	{ name: 'EXPORT_SYMBOL_GPL_FUTURE', gplOnly: false, versions: ['2.6', '5.11'] },
	{ name: 'EXPORT_UNUSED_SYMBOL', gplOnly: false, versions: ['2.6', '5.11'] },
	{ name: 'EXPORT_UNUSED_SYMBOL_GPL', gplOnly: true, versions: ['2.6', '5.11'] },
	{ name: 'EXPORT_SYMBOL_NS', gplOnly: false, namespaceArg: 1, versions: ['5.4', undefined] },
	{ name: 'EXPORT_SYMBOL_NS_GPL', gplOnly: true, namespaceArg: 1, versions: ['5.4', undefined] },
	{ name: 'EXPORT_SYMBOL_GPL_FOR_MODULES', gplOnly: true, forModules: true },
	{ name: 'EXPORT_SYMBOL_FOR_MODULES', gplOnly: true, forModules: true },
	{ name: 'EXPORT_SYMBOL_IF_KUNIT', gplOnly: false, impliedNamespace: 'EXPORTED_FOR_KUNIT_TESTING' },
	{ name: 'EXPORT_PER_CPU_SYMBOL', gplOnly: false },
	{ name: 'EXPORT_PER_CPU_SYMBOL_GPL', gplOnly: true },
	{ name: 'EXPORT_TRACEPOINT_SYMBOL', gplOnly: false, emits: TRACEPOINT_EMITS, derived: true },
	{ name: 'EXPORT_TRACEPOINT_SYMBOL_GPL', gplOnly: true, emits: TRACEPOINT_EMITS, derived: true },
	{ name: 'EXPORT_STATIC_CALL', gplOnly: false, emits: ['__SCK__%s', '__SCT__%s'] },
	{ name: 'EXPORT_STATIC_CALL_GPL', gplOnly: true, emits: ['__SCK__%s', '__SCT__%s'] },
	{ name: 'EXPORT_STATIC_CALL_TRAMP', gplOnly: false, emits: ['__SCT__%s'] },
	{ name: 'EXPORT_STATIC_CALL_TRAMP_GPL', gplOnly: true, emits: ['__SCT__%s'] },
	// export.h's own layers, reached through wrappers such as pm.h's EXPORT_*_DEV_PM_OPS:
	// `sec` is "" / "_gpl" up to 6.4, the license "" / "GPL" from 6.5.
	{ name: '_EXPORT_SYMBOL', gplOnly: false, licenseArg: 1 },
	{ name: '__EXPORT_SYMBOL', gplOnly: false, licenseArg: 1, namespaceArg: 2 },
];

export const EXPORT_MACROS: ReadonlyMap<string, ExportMacro> = new Map(macros.map((m) => [m.name, m]));

/** Whether a license/section argument of export.h's inner macros means GPL-only. */
export function isGplLicenseArg(arg: string): boolean {
	return /gpl/i.test(arg);
}

/** The namespace `EXPORT_SYMBOL_*_FOR_MODULES` puts its symbol in, as modpost writes it. */
export function forModulesNamespace(list: string): string {
	return `module:${list}`;
}
