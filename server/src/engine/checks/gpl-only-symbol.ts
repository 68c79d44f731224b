/**
 * gpl-only-symbol: a module whose license is not GPL-compatible uses (calls, or takes the
 * address of) a symbol exported GPL-only. modpost fails the build with "GPL-incompatible
 * module %s.ko uses GPL-only symbol '%s'"; this reports it while the code is written.
 */
import { basename } from 'node:path';
import { isGplCompatible } from '../knowledge/licenses';
import type { Check, Finding } from './types';
import { koName } from './types';

export const gplOnlySymbol: Check = {
	meta: {
		code: 'gpl-only-symbol',
		severity: 'error',
		description: 'A module without a GPL-compatible license uses a GPL-only export.',
	},
	run({ facts, module, kernel }) {
		if (!module || module.kind === 'builtin') return [];
		// modpost judges by every MODULE_LICENSE of the module: one incompatible is enough.
		const license = module.licenses.find((l) => !isGplCompatible(l.license));
		if (!license) return [];
		const findings: Finding[] = [];
		const seen = new Set<string>();
		for (const use of facts.uses) {
			if (module.definitions.has(use.name)) continue;
			const exp = kernel.exportOf(use.name);
			if (!exp?.gplOnly) continue;
			const key = `${use.name}@${use.range.start.line}:${use.range.start.character}`;
			if (seen.has(key)) continue;
			seen.add(key);
			const how = use.viaMacro ? ` (through macro ${use.viaMacro})` : use.kind === 'reference' ? ' (address taken)' : '';
			findings.push({
				code: 'gpl-only-symbol',
				severity: 'error',
				message:
					`GPL-incompatible module ${koName(module)} uses GPL-only symbol '${use.name}'${how}: ` +
					`it is exported with ${exp.macro} (${exp.file}:${exp.line + 1}) and MODULE_LICENSE("${license.license}") ` +
					`(${basename(license.location.file)}:${license.location.range.start.line + 1}) is not GPL-compatible. ` +
					`Relicense the module (e.g. "GPL" or "Dual MIT/GPL") or stop using '${use.name}'.`,
				range: use.range,
				related: [
					{
						location: {
							file: kernel.absolutePath(exp.file),
							range: { start: { line: exp.line, character: exp.character }, end: { line: exp.line, character: exp.character } },
						},
						message: `'${use.name}' is exported here with ${exp.macro}`,
					},
					{ location: license.location, message: `the module's license, "${license.license}", is not GPL-compatible` },
				],
			});
		}
		return findings;
	},
};
