/**
 * The export macro families across kernel versions (see ../shared/kernel-facts.md, which
 * gathered them from include/linux/export.h of v4.14 … v6.13). Data, not code: the lexical
 * scanner and the checks look macros up here.
 */
export interface ExportMacro {
	readonly name: string;
	/** Only modules with a GPL-compatible license may link against the symbol. */
	readonly gplOnly: boolean;
	/** The second argument names the namespace (bare token ≤ 6.12, string literal ≥ 6.13). */
	readonly namespaceArg: boolean;
	/** A fixed namespace the macro implies, e.g. KUnit-only exports. */
	readonly impliedNamespace?: string;
	/** The second argument lists the modules allowed to import (`"mod1,mod2-*"`). */
	readonly forModules?: boolean;
	/** Names the macro actually exports for symbol `%s` (default: the symbol itself). */
	readonly emits?: readonly string[];
	/** Kernel versions that have the macro, as [first, last] "major.minor" (inclusive). */
	readonly versions?: readonly [string, string | undefined];
}

const macros: ExportMacro[] = [
	{ name: 'EXPORT_SYMBOL', gplOnly: false, namespaceArg: false },
	{ name: 'EXPORT_SYMBOL_GPL', gplOnly: true, namespaceArg: false },
	{ name: 'EXPORT_SYMBOL_GPL_FUTURE', gplOnly: false, namespaceArg: false, versions: ['2.6', '5.11'] },
	{ name: 'EXPORT_UNUSED_SYMBOL', gplOnly: false, namespaceArg: false, versions: ['2.6', '5.11'] },
	{ name: 'EXPORT_UNUSED_SYMBOL_GPL', gplOnly: true, namespaceArg: false, versions: ['2.6', '5.11'] },
	{ name: 'EXPORT_SYMBOL_NS', gplOnly: false, namespaceArg: true, versions: ['5.4', undefined] },
	{ name: 'EXPORT_SYMBOL_NS_GPL', gplOnly: true, namespaceArg: true, versions: ['5.4', undefined] },
	{ name: 'EXPORT_SYMBOL_GPL_FOR_MODULES', gplOnly: true, namespaceArg: false, forModules: true },
	{ name: 'EXPORT_SYMBOL_FOR_MODULES', gplOnly: true, namespaceArg: false, forModules: true },
	{
		name: 'EXPORT_SYMBOL_IF_KUNIT',
		gplOnly: false,
		namespaceArg: false,
		impliedNamespace: 'EXPORTED_FOR_KUNIT_TESTING',
	},
	{ name: 'EXPORT_PER_CPU_SYMBOL', gplOnly: false, namespaceArg: false },
	{ name: 'EXPORT_PER_CPU_SYMBOL_GPL', gplOnly: true, namespaceArg: false },
	{
		name: 'EXPORT_TRACEPOINT_SYMBOL',
		gplOnly: false,
		namespaceArg: false,
		emits: ['__tracepoint_%s', '__traceiter_%s', '__SCK__tp_func_%s'],
	},
	{
		name: 'EXPORT_TRACEPOINT_SYMBOL_GPL',
		gplOnly: true,
		namespaceArg: false,
		emits: ['__tracepoint_%s', '__traceiter_%s', '__SCK__tp_func_%s'],
	},
	{ name: 'EXPORT_STATIC_CALL', gplOnly: false, namespaceArg: false, emits: ['__SCK__%s', '__SCT__%s'] },
	{ name: 'EXPORT_STATIC_CALL_GPL', gplOnly: true, namespaceArg: false, emits: ['__SCK__%s', '__SCT__%s'] },
	{ name: 'EXPORT_STATIC_CALL_TRAMP', gplOnly: false, namespaceArg: false, emits: ['__SCT__%s'] },
	{ name: 'EXPORT_STATIC_CALL_TRAMP_GPL', gplOnly: true, namespaceArg: false, emits: ['__SCT__%s'] },
];

export const EXPORT_MACROS: ReadonlyMap<string, ExportMacro> = new Map(macros.map((m) => [m.name, m]));

/** The namespace `EXPORT_SYMBOL_*_FOR_MODULES` puts its symbol in, as modpost writes it. */
export function forModulesNamespace(list: string): string {
	return `module:${list}`;
}
