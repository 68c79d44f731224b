/**
 * missing-module-license: no file of a module declares MODULE_LICENSE. modpost fails with
 * "missing MODULE_LICENSE() in %s", and the loader would treat the module as proprietary.
 * Reported once per module, in the file that declares the module (see anchorFile).
 */
import { insertModuleLine } from './placement';
import type { Check } from './types';

const ENTRY_RE = /^(module_init|module_exit|module_\w+_driver)$/;

export const missingModuleLicense: Check = {
	meta: {
		code: 'missing-module-license',
		severity: 'error',
		description: 'No file of the module declares MODULE_LICENSE.',
	},
	run({ file, text, facts, module }) {
		if (!module || module.kind === 'builtin' || module.licenses.length > 0 || module.anchorFile !== file) return [];
		// Point at the module's entry (module_init, module_pci_driver, ...) when this file has one.
		const entry = facts.uses.find((u) => ENTRY_RE.test(u.name) && !u.viaMacro);
		const range = entry?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
		return [
			{
				code: 'missing-module-license',
				severity: 'error',
				subject: `missing MODULE_LICENSE() in ${module.name}.o`,
				message:
					`missing MODULE_LICENSE() in ${module.name}.o: modpost refuses to build a module without one, ` +
					`and the kernel would treat it as proprietary (tainted, no GPL-only symbols). ` +
					`Add MODULE_LICENSE("GPL") (or the license that applies) to one of its files.`,
				range,
				related: [{ location: module.kbuild, message: `${module.name}.ko is built here` }],
				fixes: [
					{
						title: 'Add MODULE_LICENSE("GPL")',
						edits: [insertModuleLine(module, file, text, 'MODULE_LICENSE("GPL");')],
						preferred: true,
					},
				],
			},
		];
	},
};
