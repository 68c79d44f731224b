/**
 * missing-namespace-import: a module uses a symbol exported into a namespace
 * (EXPORT_SYMBOL_NS*, DEFAULT_SYMBOL_NAMESPACE) without MODULE_IMPORT_NS of it in any of its
 * files. modpost: "module %s uses symbol %s from namespace %s, but does not import it."
 * Symbols exported only to named modules (EXPORT_SYMBOL_FOR_MODULES, namespace
 * "module:<globs>") cannot be imported at all; other modules get an error without a fix.
 * Exports reached through header inlines the module calls count too.
 */
import { activeDefinition, activeExport, exportsThroughInline, exportsThroughMacro, exportsThroughTracepoint } from '../inline-reach';
import { namespaceStanding } from '../export-use';
import type { ExportRecord } from '../kernel/index';
import { importSpelling } from '../knowledge/namespaces';
import type { SymbolUse } from '../syntax/facts';
import { kernelUses } from '../uses';
import { insertModuleLine } from './placement';
import type { Check, Finding } from './types';

export const missingNamespaceImport: Check = {
	meta: {
		code: 'missing-namespace-import',
		severity: 'error',
		description: 'A namespaced export is used without MODULE_IMPORT_NS of its namespace.',
	},
	run({ file, text, facts, module, kernel }) {
		if (!module || module.kind === 'builtin') return [];
		const findings: Finding[] = [];
		const seen = new Set<string>();
		const report = (use: SymbolUse, exp: ExportRecord, path?: readonly string[]) => {
			const key = `${exp.symbol}@${use.range.start.line}:${use.range.start.character}`;
			if (seen.has(key)) return;
			const standing = namespaceStanding(exp, module, kernel);
			if (standing.kind !== 'missing' && standing.kind !== 'unlisted') return;
			seen.add(key);
			const where = `${exp.file}:${exp.line + 1}`;
			const through = path ? ` through header inlines ${path.join(' → ')}` : '';
			if (standing.kind === 'unlisted') {
				const whom = standing.outOfTree ? `the in-tree modules "${standing.list}"; an out-of-tree module may not use it at all` : `the modules "${standing.list}"`;
				findings.push({
					code: 'missing-namespace-import',
					severity: 'error',
					subject: `module ${module.name} uses symbol ${exp.symbol}`,
					symbol: exp.symbol,
					message:
						`module ${module.name} uses symbol ${exp.symbol}${through}, which ${exp.macro} (${where}) exports only to ${whom}; ` +
						`no MODULE_IMPORT_NS can change that. Use another interface or ask its maintainers to export it.`,
					range: use.range,
				});
				return;
			}
			const ns = standing.namespace;
			const spelled = importSpelling(ns, kernel.version);
			const subject = `module ${module.name} uses symbol ${exp.symbol} from namespace ${ns}, but does not import it`;
			findings.push({
				code: 'missing-namespace-import',
				severity: 'error',
				subject,
				symbol: exp.symbol,
				message:
					`${subject} ` +
					`(${path ? `reached${through}; ` : ''}exported with ${exp.macro} at ${where}). Add MODULE_IMPORT_NS(${spelled}) to the module.`,
				range: use.range,
				fixes: [
					{
						title: `Add MODULE_IMPORT_NS(${spelled})`,
						edits: [insertModuleLine(module, file, text, `MODULE_IMPORT_NS(${spelled});`)],
						preferred: true,
					},
				],
			});
		};
		for (const { use, macro } of kernelUses(file, facts, module, kernel)) {
			if (macro) {
				for (const r of exportsThroughMacro(kernel, use.name)) report(use, r.export, r.path);
				continue;
			}
			// A header inline counts by the exports its body references (engine/inline-reach.ts).
			if (activeDefinition(kernel, use.name).kind === 'inline') {
				for (const r of exportsThroughInline(kernel, use.name)) report(use, r.export, r.path);
				continue;
			}
			const exp = activeExport(kernel, use.name, module);
			if (exp) report(use, exp);
			else if (use.kind === 'call') for (const r of exportsThroughTracepoint(kernel, use.name)) report(use, r.export, r.path);
		}
		return findings;
	},
};
