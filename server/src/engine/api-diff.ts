/**
 * What changed between two kernels for a module author: exports added, removed, turned
 * GPL-only or back, and moved into, out of or between namespaces (each kernel's export
 * table: a headers tree's is exactly its Module.symvers), and the ZONE_DEVICE records the
 * knowledge base describes as each kernel's headers declare them (headers/structs.ts). With
 * a module, only the exports it uses, each with its use sites as each kernel compiles it
 * (version guards decided per kernel).
 */
import type { Engine } from './engine';
import { kernelDecls, type RecordDecl } from './headers/structs';
import { activeDefinition, exportsThroughInline, exportsThroughMacro } from './inline-reach';
import type { ExportRecord, KernelIndex } from './kernel/index';
import type { LabeledKernel } from './kernel-set';
import { ZONE_DEVICE_TYPES } from './knowledge/zone-device';
import { cLanguage, loadSyntax, release } from './syntax/parser';
import type { Location } from './types';
import { kernelUses } from './uses';

export type ExportChangeKind = 'added' | 'removed' | 'gpl-only' | 'no-longer-gpl-only' | 'namespace';

export interface ExportChange {
	kind: ExportChangeKind;
	symbol: string;
	/** The export in the first kernel (absent when added). */
	before?: ExportRecord;
	/** The export in the second kernel (absent when removed). */
	after?: ExportRecord;
	/** With a module: where it uses the symbol. */
	uses?: UseSite[];
}

/** Where a module uses an export, and in which of the kernels' builds of it. */
export interface UseSite {
	location: Location;
	/** The names from the use to the export when it is reached through a header inline or macro. */
	via?: readonly string[];
	kernels: string[];
}

export interface MemberChange {
	kind: 'added' | 'removed' | 'changed';
	name: string;
	/** The declaration (enumerator: `NAME = value`) in the first kernel. */
	before?: string;
	after?: string;
}

export interface RecordChange {
	kind: 'struct' | 'union' | 'enum';
	tag: string;
	/** Where each kernel's headers declare it; absent where they do not. */
	before?: { file: string; line: number };
	after?: { file: string; line: number };
	members: MemberChange[];
}

export interface ApiDiff {
	from: LabeledKernel;
	to: LabeledKernel;
	/** Sorted by symbol; a symbol both turned GPL-only and moved namespace is in both kinds. */
	exports: ExportChange[];
	/** The tracked records that differ, or exist in one kernel only. */
	records: RecordChange[];
	/** The tracked records both kernels declare alike (`struct dev_pagemap_ops`). */
	unchanged: string[];
}

/** A module's files, read: what `apiDiff` filters by. */
export interface ModuleFiles {
	files: { file: string; text: string }[];
	/** One engine per kernel of the comparison, in the same order. */
	engines: [Engine, Engine];
}

/** The changes between `from` and `to`; with `module`, only those of exports it uses. */
export async function apiDiff(from: LabeledKernel, to: LabeledKernel, module?: ModuleFiles): Promise<ApiDiff> {
	// The records are read with the C parser.
	await loadSyntax();
	const uses = module ? moduleUses([from, to], module) : undefined;
	const changes: ExportChange[] = [];
	const symbols = new Set([...from.index.exports.keys(), ...to.index.exports.keys()]);
	for (const symbol of [...symbols].sort()) {
		const sites = uses?.get(symbol);
		if (uses && !sites) continue;
		const before = from.index.exportOf(symbol);
		const after = to.index.exportOf(symbol);
		const add = (kind: ExportChangeKind) => changes.push({ kind, symbol, ...(before ? { before } : {}), ...(after ? { after } : {}), ...(sites ? { uses: sites } : {}) });
		if (!before) add('added');
		else if (!after) add('removed');
		else {
			if (before.gplOnly !== after.gplOnly) add(after.gplOnly ? 'gpl-only' : 'no-longer-gpl-only');
			if ((before.namespace ?? '') !== (after.namespace ?? '')) add('namespace');
		}
	}
	return { from, to, exports: changes, ...recordChanges(from.index, to.index) };
}

/** Every export the module's files reach in each kernel, with the use sites. */
function moduleUses(kernels: LabeledKernel[], module: ModuleFiles): Map<string, UseSite[]> {
	const out = new Map<string, Map<string, UseSite>>();
	const note = (symbol: string, location: Location, via: readonly string[] | undefined, label: string) => {
		let sites = out.get(symbol);
		if (!sites) out.set(symbol, (sites = new Map()));
		const key = `${location.file}:${location.range.start.line}:${location.range.start.character}:${via?.join(' ') ?? ''}`;
		const site = sites.get(key);
		if (!site) sites.set(key, { location, ...(via ? { via } : {}), kernels: [label] });
		else if (!site.kernels.includes(label)) site.kernels.push(label);
	};
	kernels.forEach(({ label, index }, i) => {
		const engine = module.engines[i];
		for (const { file, text } of module.files) {
			const tree = engine.parse(text);
			try {
				const facts = engine.facts(tree, text, file);
				const modules = engine.modulesOf(file, { facts });
				for (const unit of modules.length > 0 ? modules : [undefined]) {
					for (const { use, macro } of kernelUses(file, facts, unit, index)) {
						const location = { file, range: use.range };
						const reached = macro
							? exportsThroughMacro(index, use.name)
							: activeDefinition(index, use.name).kind === 'inline'
								? exportsThroughInline(index, use.name)
								: [];
						for (const r of reached) note(r.export.symbol, location, r.path, label);
						if (!macro) note(use.name, location, undefined, label);
					}
				}
			} finally {
				release(tree);
			}
		}
	});
	return new Map([...out].map(([symbol, sites]) => [symbol, [...sites.values()]]));
}

/** A declaration as shown: without its comments, its spaces collapsed. */
function shown(text: string): string {
	return text
		.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ' ')
		.replace(/\s+/g, ' ')
		.trim();
}

/** What two kernels' declarations are compared by: also without spaces around punctuation. */
const compared = (text: string) => text.replace(/\s*([;,()[\]*])\s*/g, '$1');

function members(record: RecordDecl): Map<string, string> {
	if (record.kind === 'enum') {
		return new Map([...record.enumerators.values()].map((e) => [e.name, e.value === undefined ? shown(e.text) : `${e.name} = ${e.value}`]));
	}
	return new Map([...record.fields.values()].map((f) => [f.name, shown(f.text)]));
}

/** The tracked ZONE_DEVICE records whose members differ between the kernels' headers. */
function recordChanges(a: KernelIndex, b: KernelIndex): { records: RecordChange[]; unchanged: string[] } {
	const language = cLanguage();
	const da = kernelDecls(a, language);
	const db = kernelDecls(b, language);
	const out: RecordChange[] = [];
	const unchanged: string[] = [];
	for (const tag of [...ZONE_DEVICE_TYPES].sort()) {
		const ra = da.record(tag);
		const rb = db.record(tag);
		if (!ra && !rb) continue;
		const ma = ra ? members(ra) : new Map<string, string>();
		const mb = rb ? members(rb) : new Map<string, string>();
		const changes: MemberChange[] = [];
		for (const [name, before] of ma) {
			const after = mb.get(name);
			if (after === undefined) changes.push({ kind: 'removed', name, before });
			else if (compared(after) !== compared(before)) changes.push({ kind: 'changed', name, before, after });
		}
		for (const [name, after] of mb) if (!ma.has(name)) changes.push({ kind: 'added', name, after });
		if (changes.length === 0 && ra && rb) {
			unchanged.push(`${ra.kind} ${tag}`);
			continue;
		}
		const site = (r: RecordDecl) => ({ file: r.site.file, line: r.site.line });
		out.push({
			kind: (ra ?? (rb as RecordDecl)).kind,
			tag,
			...(ra ? { before: site(ra) } : {}),
			...(rb ? { after: site(rb) } : {}),
			members: changes,
		});
	}
	return { records: out, unchanged };
}
