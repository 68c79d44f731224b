/**
 * Module licenses, as include/linux/license.h decides GPL compatibility (used by modpost
 * and the module loader alike). The comparison is exact: "GPL v2 " or "gpl" are not on it.
 */
export const GPL_COMPATIBLE_LICENSES: readonly string[] = [
	'GPL',
	'GPL v2',
	'GPL and additional rights',
	'Dual BSD/GPL',
	'Dual MIT/GPL',
	'Dual MPL/GPL',
];

export function isGplCompatible(license: string): boolean {
	return GPL_COMPATIBLE_LICENSES.includes(license);
}
