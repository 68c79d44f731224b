/**
 * What a non-GPL export hands to any module: the GPL-only exports and the unexported core
 * functions its call graph reaches. A plain export that only wraps GPL-only code launders
 * it (the 2018 argument for making devm_memremap_pages GPL-only: hmm_devmem_add reached
 * percpu_ref_*, region_intersects and unexported memory-hotplug internals).
 *
 * A breadth-first walk over direct calls from the export's definition, resolved as the call
 * graph resolves them. It stops at exports — a GPL-only one is reported, a plain one is
 * audited on its own — and goes through static helpers and unexported functions. An
 * unexported function is reported when it is core code: non-static and defined in code linked
 * into vmlinux (a built-in unit, or a file no kbuild unit claims; tools/ and scripts/ are not
 * kernel code). Calls through ops tables are left out: they reach whatever a driver registers.
 */
import type { ExportRecord, FunctionRecord, KernelIndex } from '../kernel/index';

export interface ReachedSymbol {
	symbol: string;
	/** The chain of function names from the export to `symbol`, both included (a shortest one). */
	path: string[];
}

export interface ExportAudit {
	gplOnly: ReachedSymbol[];
	unexported: ReachedSymbol[];
}

export interface AuditOptions {
	/** Call levels followed from the export; default 4. */
	depth?: number;
	/** Functions visited per export at most; default 5000. */
	maxVisited?: number;
}

const NOT_KERNEL = /^(tools|scripts|samples|Documentation|usr)\//;

interface Node {
	def: FunctionRecord;
	path: string[];
}

/** Key of the resolved callees per definition, shared by the audits of one index's graph. */
const CALLEES = {};

function calleesOf(index: KernelIndex, def: FunctionRecord): FunctionRecord[] {
	const cache = index.graph.derived(CALLEES, () => new Map<string, FunctionRecord[]>());
	const key = `${def.name}\0${def.file}`;
	let out = cache.get(key);
	if (!out) {
		const seen = new Set<string>();
		out = [];
		for (const site of index.graph.calleesOf(def.name, def.file)) {
			if (site.kind !== 'call') continue;
			for (const target of index.graph.resolve(site.callee, site.file)) {
				const k = `${target.name}\0${target.file}`;
				if (!seen.has(k)) {
					seen.add(k);
					out.push(target);
				}
			}
		}
		cache.set(key, out);
	}
	return out;
}

function isCore(index: KernelIndex, def: FunctionRecord): boolean {
	if (def.isStatic || NOT_KERNEL.test(def.file) || def.file.endsWith('.h')) return false;
	const unit = index.unitOfFile.get(def.file);
	return unit === undefined || unit.kind === 'builtin';
}

/** The definitions an export names: the one in the export's file, else the non-static ones. */
function exportedDefinitions(index: KernelIndex, record: ExportRecord | undefined, symbol: string): FunctionRecord[] {
	const defs = index.definitionsOf(symbol);
	const own = record ? defs.filter((d) => d.file === record.file) : [];
	return own.length > 0 ? own : defs.filter((d) => !d.isStatic);
}

/**
 * The GPL-only exports and unexported core functions that `symbol`'s call graph reaches
 * within `depth` calls, each with a shortest path of function names from `symbol`.
 * Meant for non-GPL exports (what the `export-license-leak` check reports); any symbol the
 * tree defines can be audited. An undefined symbol reaches nothing.
 */
export function auditExport(index: KernelIndex, symbol: string, options: AuditOptions = {}): ExportAudit {
	const depth = options.depth ?? 4;
	const maxVisited = options.maxVisited ?? 5000;
	const result: ExportAudit = { gplOnly: [], unexported: [] };
	const reported = new Set<string>();
	const visited = new Set<string>();
	let level: Node[] = exportedDefinitions(index, index.exportOf(symbol), symbol).map((def) => ({ def, path: [symbol] }));
	for (const n of level) visited.add(`${n.def.name}\0${n.def.file}`);
	for (let d = 0; d < depth && level.length > 0 && visited.size < maxVisited; d++) {
		const next: Node[] = [];
		for (const node of level) {
			for (const target of calleesOf(index, node.def)) {
				const key = `${target.name}\0${target.file}`;
				if (visited.has(key) || visited.size >= maxVisited) continue;
				visited.add(key);
				const path = [...node.path, target.name];
				const exp = index.exportOf(target.name);
				if (exp) {
					if (exp.gplOnly && !reported.has(target.name)) {
						reported.add(target.name);
						result.gplOnly.push({ symbol: target.name, path });
					}
					continue;
				}
				if (isCore(index, target) && !reported.has(target.name)) {
					reported.add(target.name);
					result.unexported.push({ symbol: target.name, path });
				}
				next.push({ def: target, path });
			}
		}
		level = next;
	}
	return result;
}

export interface ExportAuditEntry extends ExportAudit {
	export: ExportRecord;
}

/**
 * `auditExport` for every export that is not GPL-only (of one file when `file` is given),
 * keeping those that reach anything, by file.
 */
export function auditExports(index: KernelIndex, options: AuditOptions = {}, file?: string): ExportAuditEntry[] {
	const out: ExportAuditEntry[] = [];
	const seen = new Set<string>();
	for (const records of index.exports.values()) {
		const record = index.exportOf(records[0].symbol);
		if (!record || record.gplOnly || seen.has(record.symbol) || (file !== undefined && record.file !== file)) continue;
		seen.add(record.symbol);
		const audit = auditExport(index, record.symbol, options);
		if (audit.gplOnly.length > 0 || audit.unexported.length > 0) out.push({ export: record, ...audit });
	}
	return out.sort((a, b) => a.export.file.localeCompare(b.export.file) || a.export.line - b.export.line);
}

/** The audit as a Markdown report a maintainer can read; `link` makes a place clickable. */
export function auditMarkdown(entries: readonly ExportAuditEntry[], scope: string, link: (file: string, line: number) => string): string {
	const lines = [`# Export audit: ${scope}`, ''];
	if (entries.length === 0) lines.push('No export that any module may use reaches GPL-only exports or unexported core code.');
	else lines.push(`${entries.length} exports that any module may use reach GPL-only exports or unexported core code:`);
	for (const e of entries) {
		const where = `${e.export.file}:${e.export.line + 1}`;
		lines.push('', `## \`${e.export.symbol}\` — \`${e.export.macro}\` at [${where}](${link(e.export.file, e.export.line)})`, '');
		for (const r of e.gplOnly) lines.push(`- GPL-only export \`${r.symbol}\`: ${r.path.map((p) => `\`${p}\``).join(' → ')}`);
		for (const r of e.unexported) lines.push(`- unexported core \`${r.symbol}\`: ${r.path.map((p) => `\`${p}\``).join(' → ')}`);
	}
	return lines.join('\n') + '\n';
}
