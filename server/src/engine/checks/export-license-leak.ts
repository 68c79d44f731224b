/**
 * export-license-leak (for maintainers, on the EXPORT line): a non-GPL export whose call
 * graph reaches GPL-only exports or unexported core functions — the argument the 2018
 * "mm: Merge hmm into devm_memremap_pages, mark GPL-only" series made by hand for
 * hmm_devmem_add, computed. Uses the index's call graph (the files as saved).
 *
 * Information, not a warning: on Debian's 6.1 tree it fires on thousands of long-standing
 * exports that nobody is asked to change; a maintainer acts on the one in front of them, and
 * `kmm audit-exports` lists them all (docs/checks/export-license-leak.md).
 */
import { auditExport, type ExportAudit } from '../graph/audit';
import type { KernelIndex } from '../kernel/index';
import type { Check, Finding } from './types';

/** Shown per finding; the rest is counted. */
const SHOWN = 4;

/** Audits are costly and the graph changes rarely: keep them until a file of the index changes. */
const AUDITS = {};

function audit(index: KernelIndex, symbol: string): ExportAudit {
	const cache = index.graph.derived(AUDITS, () => new Map<string, ExportAudit>());
	let result = cache.get(symbol);
	if (!result) {
		result = auditExport(index, symbol);
		cache.set(symbol, result);
	}
	return result;
}

function list(reached: ExportAudit['gplOnly']): string {
	const shown = reached.slice(0, SHOWN).map((r) => (r.path.length > 2 ? `${r.symbol} (via ${r.path.slice(1, -1).join(' → ')})` : r.symbol));
	return shown.join(', ') + (reached.length > SHOWN ? ` and ${reached.length - SHOWN} more` : '');
}

export const exportLicenseLeak: Check = {
	meta: {
		code: 'export-license-leak',
		severity: 'information',
		description: 'A non-GPL export reaches GPL-only exports or unexported core functions.',
	},
	run({ file, facts, kernel }) {
		if (!kernel.ready.functions || kernel.relativePath(file) === undefined) return [];
		const findings: Finding[] = [];
		for (const site of facts.meta.exports) {
			if (site.gplOnly) continue;
			const { gplOnly, unexported } = audit(kernel, site.name);
			if (gplOnly.length === 0 && unexported.length === 0) continue;
			const parts = [
				gplOnly.length > 0 ? `GPL-only ${list(gplOnly)}` : '',
				unexported.length > 0 ? `unexported ${list(unexported)}` : '',
			].filter(Boolean);
			findings.push({
				code: 'export-license-leak',
				severity: 'information',
				message:
					`${site.name} is exported with ${site.macro}, so any module may call it, but it reaches ${parts.join('; and ')}: ` +
					`through it a non-GPL module uses what it may not use directly. Consider EXPORT_SYMBOL_GPL ` +
					`(as the 2018 series did for devm_memremap_pages and hmm_devmem_add).`,
				range: site.range,
			});
		}
		return findings;
	},
};
