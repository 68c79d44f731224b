/**
 * missing-namespace-import: a module uses a symbol exported into a namespace
 * (EXPORT_SYMBOL_NS*, DEFAULT_SYMBOL_NAMESPACE) without MODULE_IMPORT_NS of it in any of its
 * files. modpost: "module %s uses symbol %s from namespace %s, but does not import it."
 * Symbols exported only to named modules (EXPORT_SYMBOL_FOR_MODULES, namespace
 * "module:<globs>") cannot be imported at all; other modules get an error without a fix.
 */
import { compareVersion } from '../kernel/version';
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
		for (const use of facts.uses) {
			if (module.definitions.has(use.name)) continue;
			const exp = kernel.exportOf(use.name);
			const ns = exp?.namespace;
			if (!exp || !ns || imported.has(ns)) continue;
			const where = `${exp.file}:${exp.line + 1}`;
			if (ns.startsWith('module:')) {
				const list = ns.slice('module:'.length);
				if (moduleAllowed(list, module.name)) continue;
				findings.push({
					code: 'missing-namespace-import',
					severity: 'error',
					message:
						`module ${module.name} uses symbol ${use.name}, which ${exp.macro} (${where}) exports only to the modules ` +
						`"${list}"; no MODULE_IMPORT_NS can change that. Use another interface or ask its maintainers to export it.`,
					range: use.range,
				});
				continue;
			}
			const spelled = quoted ? `"${ns}"` : ns;
			findings.push({
				code: 'missing-namespace-import',
				severity: 'error',
				message:
					`module ${module.name} uses symbol ${use.name} from namespace ${ns}, but does not import it ` +
					`(exported with ${exp.macro} at ${where}). Add MODULE_IMPORT_NS(${spelled}) to the module.`,
				range: use.range,
				fixes: [
					{
						title: `Add MODULE_IMPORT_NS(${spelled})`,
						edits: [insertModuleLine(module, file, text, `MODULE_IMPORT_NS(${spelled});`)],
						preferred: true,
					},
				],
			});
		}
		return findings;
	},
};
