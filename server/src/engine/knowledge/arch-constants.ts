/**
 * Object-like macros of an arch's headers that kernel code tests in `#if` and that no
 * .config decides: their values for the arch the index's .config selects. `#if PAGE_SIZE !=
 * 4096` (zram) is compiled out on x86 because its pages are 4 KiB.
 */
export interface ArchConstant {
	value: number;
	/** Where the arch defines it (6.1). */
	source: string;
}

export const ARCH_CONSTANTS: ReadonlyMap<string, ReadonlyMap<string, ArchConstant>> = new Map([
	[
		'X86',
		new Map([
			['PAGE_SHIFT', { value: 12, source: 'arch/x86/include/asm/page_types.h' }],
			['PAGE_SIZE', { value: 4096, source: 'arch/x86/include/asm/page_types.h (1 << PAGE_SHIFT)' }],
		]),
	],
]);

/** The constants of the arch a .config selects (CONFIG_X86=y, …); undefined for an arch not listed. */
export function archConstants(config: ReadonlyMap<string, string>): ReadonlyMap<string, ArchConstant> | undefined {
	for (const [symbol, constants] of ARCH_CONSTANTS) if (config.get(symbol) === 'y') return constants;
	return undefined;
}
