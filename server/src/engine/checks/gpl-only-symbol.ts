/**
 * gpl-only-symbol: a module whose license is not GPL-compatible uses (calls, or takes the
 * address of) a symbol exported GPL-only. modpost fails the build with "GPL-incompatible
 * module %s.ko uses GPL-only symbol '%s'"; this reports it while the code is written. A header
 * inline the module calls counts by what its body references (engine/inline-reach.ts).
 */
import { basename, isAbsolute } from 'node:path';
import { activeDefinition, activeExport, exportsThroughInline, exportsThroughMacro, exportsThroughTracepoint } from '../inline-reach';
import { incompatibleLicense } from '../export-use';
import type { ExportRecord } from '../kernel/index';
import type { SymbolUse } from '../syntax/facts';
import { isOwnExport, kernelUses } from '../uses';
import { pointRange } from '../types';
import type { Check, Finding, Related } from './types';
import { koName } from './types';

export const gplOnlySymbol: Check = {
	meta: {
		code: 'gpl-only-symbol',
		severity: 'error',
		description: 'A module without a GPL-compatible license uses a GPL-only export.',
	},
	run({ file, facts, module, kernel }) {
		if (!module || module.kind === 'builtin') return [];
		const license = incompatibleLicense(module);
		if (!license) return [];
		const findings: Finding[] = [];
		const seen = new Set<string>();
		const licenseText =
			`MODULE_LICENSE("${license.license}") (${basename(license.location.file)}:${license.location.range.start.line + 1}) is not GPL-compatible`;
		const report = (use: SymbolUse, exp: ExportRecord, how: string, related: Related[] = []) => {
			const key = `${exp.symbol}@${use.range.start.line}:${use.range.start.character}`;
			if (seen.has(key)) return;
			// The module's own export, reached through its header: it links inside the module.
			if (isOwnExport(module, kernel, exp)) return;
			seen.add(key);
			const subject = `GPL-incompatible module ${koName(module)} uses GPL-only symbol '${exp.symbol}'`;
			findings.push({
				code: 'gpl-only-symbol',
				severity: 'error',
				subject,
				symbol: exp.symbol,
				message:
					`${subject}${how}: ` +
					`it is exported with ${exp.macro} (${exp.file}:${exp.line + 1}) and ${licenseText}. ` +
					`Relicense the module (e.g. "GPL" or "Dual MIT/GPL") or stop using '${use.name}'.`,
				range: use.range,
				related: [
					...related,
					{
						location: { file: isAbsolute(exp.file) ? exp.file : kernel.absolutePath(exp.file), range: pointRange(exp.line, exp.character, 0) },
						message: `'${exp.symbol}' is exported here with ${exp.macro}`,
					},
					{ location: license.location, message: `the module's license, "${license.license}", is not GPL-compatible` },
				],
			});
		};
		for (const { use, macro } of kernelUses(file, facts, module, kernel)) {
			if (macro) {
				// The module compiles the macro's expansion: what counts is what that references.
				for (const r of exportsThroughMacro(kernel, use.name)) {
					if (r.export.gplOnly) report(use, r.export, ` (through macro ${r.path.join(' → ')})`);
				}
				continue;
			}
			const active = activeDefinition(kernel, use.name);
			if (active.kind === 'inline') {
				// The module compiles the header's body: what counts is what that body references.
				const def = active.definition;
				const inline: Related = {
					location: { file: kernel.absolutePath(def.file), range: pointRange(def.line, def.character, 0) },
					message: `'${use.name}' is an inline function of ${def.file}, compiled into the module`,
				};
				for (const r of exportsThroughInline(kernel, use.name)) {
					if (r.export.gplOnly) report(use, r.export, ` (through ${r.path.join(' → ')})`, [inline]);
				}
				continue;
			}
			const exp = activeExport(kernel, use.name, module);
			if (!exp && use.kind === 'call') {
				for (const r of exportsThroughTracepoint(kernel, use.name)) {
					if (r.export.gplOnly) report(use, r.export, ` (the tracepoint ${use.name} references it)`);
				}
			}
			if (!exp?.gplOnly) continue;
			report(use, exp, use.viaMacro ? ` (through macro ${use.viaMacro})` : use.kind === 'reference' ? ' (address taken)' : '');
		}
		return findings;
	},
};
