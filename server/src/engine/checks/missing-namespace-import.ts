/**
 * missing-namespace-import: a module uses a symbol exported into a namespace
 * (EXPORT_SYMBOL_NS*, DEFAULT_SYMBOL_NAMESPACE) without MODULE_IMPORT_NS of it in any of its
 * files. modpost: "module %s uses symbol %s from namespace %s, but does not import it."
 * Symbols exported only to named modules (EXPORT_SYMBOL_FOR_MODULES, namespace
 * "module:<globs>") cannot be imported at all; other modules get an error without a fix.
 * Exports reached through header inlines the module calls count too.
 */
import { activeDefinition, activeExport, exportsThroughInline, exportsThroughMacro, exportsThroughTracepoint } from '../inline-reach';
import type { ExportRecord } from '../kernel/index';
import { compareVersion } from '../version';
import type { SymbolUse } from '../syntax/facts';
import { isOwnExport, kernelUses } from '../uses';
import { insertModuleLine } from './placement';
import type { Check, Finding } from './types';

/** `mod1,mod2-*`: a trailing `*` matches any tail, as modpost's glob does. */
function moduleAllowed(list: string, moduleName: string): boolean {
	const base = moduleName.slice(moduleName.lastIndexOf('/') + 1);
	return list.split(',').some((pattern) => {
		const p = pattern.trim();
		return p.endsWith('*') ? base.startsWith(p.slice(0, -1)) || moduleName.startsWith(p.slice(0, -1)) : p === base || p === moduleName;
	});
}

export const missingNamespaceImport: Check = {
	meta: {
		code: 'missing-namespace-import',
		severity: 'error',
		description: 'A namespaced export is used without MODULE_IMPORT_NS of its namespace.',
	},
	run({ file, text, facts, module, kernel }) {
		if (!module || module.kind === 'builtin') return [];
		const imported = new Set(module.imports.map((i) => i.namespace));
		// The macro's argument became a string literal in 6.13.
		const quoted = kernel.version !== undefined && compareVersion(kernel.version, '6.13') >= 0;
		const findings: Finding[] = [];
		const seen = new Set<string>();
		const report = (use: SymbolUse, exp: ExportRecord, path?: readonly string[]) => {
			const ns = exp.namespace;
			const key = `${exp.symbol}@${use.range.start.line}:${use.range.start.character}`;
			if (!ns || imported.has(ns) || seen.has(key)) return;
			// The module's own export, reached through its header: it links inside the module.
			if (isOwnExport(module, kernel, exp)) return;
			seen.add(key);
			const where = `${exp.file}:${exp.line + 1}`;
			const through = path ? ` through header inlines ${path.join(' → ')}` : '';
			if (ns.startsWith('module:')) {
				const list = ns.slice('module:'.length);
				if (moduleAllowed(list, module.name)) return;
				findings.push({
					code: 'missing-namespace-import',
					severity: 'error',
					message:
						`module ${module.name} uses symbol ${exp.symbol}${through}, which ${exp.macro} (${where}) exports only to the modules ` +
						`"${list}"; no MODULE_IMPORT_NS can change that. Use another interface or ask its maintainers to export it.`,
					range: use.range,
				});
				return;
			}
			const spelled = quoted ? `"${ns}"` : ns;
			findings.push({
				code: 'missing-namespace-import',
				severity: 'error',
				message:
					`module ${module.name} uses symbol ${exp.symbol} from namespace ${ns}, but does not import it ` +
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
		for (const { use, macro } of kernelUses(facts, module, kernel)) {
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
