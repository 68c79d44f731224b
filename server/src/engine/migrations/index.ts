/**
 * Migrations of the old HMM device-memory API (hmm_devmem_*), as code actions and as whole
 * file / whole module rewrites. One migration per file (clangd-tweak style), listed in
 * ALL_MIGRATIONS; they share one analysis of the module (model.ts), so their edits merge.
 *
 * Front ends use these entry points:
 * - `availableMigrations`: the code actions for a range of an open document, listed cheaply
 *   (each migration's `offers`, from the document's own tree), without edits;
 * - `resolveMigration`: the Fix of one such offer, from the full analysis;
 * - `migrationsAt`: the code actions for a range with their Fixes, for clients that cannot
 *   resolve them later;
 * - `migrateFile`: everything in one document as one merged Fix ("migrate the whole file");
 * - `migrateModule`: everything in every file of a module ("migrate the whole module").
 * All edits are plain TextEdits (checks/types.ts) in LSP positions (0-based, UTF-16).
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Tree } from 'web-tree-sitter';
import { release } from '../syntax/parser';
import type { Fix, ModuleContext, TextEdit } from '../checks/types';
import type { KernelIndex } from '../kernel/index';
import { readText } from '../read';
import { compareVersion } from '../version';
import { REMOVED_API_BY_NAME } from '../knowledge/removed-apis';
import { removedMember } from '../checks/removed-member';
import { tooLarge } from '../checks/document-too-large';
import { extractFacts } from '../syntax/facts';
import { LineMap } from '../lex';
import type { Range } from '../types';
import { hmmDevmemAdd } from './devmem-add';
import { hmmDevmemAddResource } from './devmem-add-resource';
import { hmmDevmemOps } from './devmem-ops';
import { hmmDevmemRemove } from './devmem-remove';
import { hmmPagesCreate } from './hmm-pages-create';
import { includeEdits } from './includes';
import { buildModel } from './model';
import { hmmPageDrvdata } from './page-drvdata';
import { pagemapAltmapFlags } from './altmap-flags';
import { moduleRecords } from './members';
import { memoryTypeRename } from './memory-type';
import { pagemapData } from './pagemap-data';
import { pagemapResRange } from './pagemap-range';
import { treeRecords } from '../syntax/records';
import { kernelShape } from './shape';
import { calleeName, nodes } from './syntax';
import type { Doc, Edit, Offer, Remark, Site } from './types';
import type { Migration, MigrationContext } from './migration';

export type { Migration } from './migration';
export type { MigrationMeta } from './types';

export const ALL_MIGRATIONS: readonly Migration[] = [
	hmmPagesCreate,
	hmmDevmemAdd,
	hmmDevmemAddResource,
	hmmDevmemOps,
	hmmDevmemRemove,
	hmmPageDrvdata,
	pagemapResRange,
	pagemapData,
	pagemapAltmapFlags,
	memoryTypeRename,
];

/** Something left to a person: where, and why. `file` is absolute. */
export interface MigrationRemark {
	file: string;
	range: Range;
	reason: string;
}

export interface MigrationResult {
	/** One merged Fix (empty when there is nothing to migrate). */
	fixes: Fix[];
	/** What could not be migrated, and why (the code still uses the removed API there). */
	left: MigrationRemark[];
	/** Migrated, but a person must decide (each also has a `TODO(kmm)` comment in the code). */
	todos: MigrationRemark[];
}

/** What the migrations need of the engine (the Engine itself, structurally: no import of it). */
export interface ModuleParser {
	readonly kernel: KernelIndex | undefined;
	parse(text: string): Tree;
}

/**
 * One open document and what it needs:
 * - `engine`: its kernel is the one to migrate to (its version and include/linux/memremap.h
 *   decide the struct's shape; without one there is nothing to migrate), and it parses the
 *   module's other files;
 * - `module`: the document's module (engine.moduleOf); its other files and the local
 *   headers they include (`#include "…"`) are read from disk (or `overlays`) and parsed
 *   here, because the driver's struct may live in another file. Without it only the
 *   document itself is analysed;
 * - `tree`: the document's tree (parsed from prepareSource(text), as the engine does); it
 *   stays the caller's. Trees parsed here are deleted here;
 * - `overlays`: texts of other open documents, which win over the files on disk.
 */
export interface MigrationInput {
	engine: ModuleParser;
	module?: ModuleContext;
	tree: Tree;
	text: string;
	file: string;
	overlays?: ReadonlyMap<string, string>;
}

/** What a code action request asks: a range, and whether the whole-file and whole-module rewrites are wanted too. */
export interface MigrationRange {
	range: Range;
	whole: boolean;
	/** The document's findings as of its last analysis: those no offer covers make the whole-file title say so. */
	findings?: readonly { code: string; range: Range; message: string }[];
}

/** A code action on an open document as it is listed, before its Fix is computed. */
export interface MigrationOffer {
	/** A migration's id (`hmm-devmem-add`, …), or `file` / `module`: everything in the document or its module. */
	migration: string;
	title: string;
	/** The site it rewrites (a call, an ops table); for `file` and `module`, the range asked about. */
	range: Range;
	/** A removed-api quick fix (the default fix for the diagnostic on its call). */
	preferred?: boolean;
}

export interface ResolvedMigration {
	offer: MigrationOffer;
	fix: Fix;
}

const WHOLE_TITLE = {
	file: "Migrate the whole file to this kernel's struct dev_pagemap",
	module: "Migrate the whole module to this kernel's struct dev_pagemap",
} as const;

const OLD_API_CODES = new Set(['removed-api', 'removed-member']);

/**
 * The whole-file and whole-module titles, saying when a manual step remains: a removed-api
 * or removed-member finding of the document that no offer's span covers (the same estimate
 * whether the actions are listed or computed, so both give one title).
 */
function wholeTitles(text: string, offers: readonly Offer[], findings: MigrationRange['findings']): { file: string; module: string } {
	const lines = new LineMap(text);
	// The driver's uses of its struct hmm_devmem * go with the conversion of its holder (model.ts).
	const converts = offers.some((o) => o.migration.startsWith('hmm-'));
	const left = (findings ?? []).filter((f) => {
		if (!OLD_API_CODES.has(f.code)) return false;
		if (converts && /^struct hmm_devmem(_ops)? was removed/.test(f.message)) return false;
		const start = lines.offset(f.range.start);
		const end = lines.offset(f.range.end);
		return !offers.some((o) => o.start <= start && o.end >= end);
	}).length;
	if (left === 0) return WHOLE_TITLE;
	const places = `${left} place${left === 1 ? '' : 's'}`;
	return { file: `${WHOLE_TITLE.file} (${places} left to do by hand)`, module: `${WHOLE_TITLE.module} (${places} of this file left to do by hand)` };
}

/**
 * The code actions for `range`, listed cheaply: the migrations' offers read from the
 * document's own tree, with no other file read or parsed and no model built. An offer whose
 * holder or device only the model could tell is listed too; resolveMigration finds no Fix
 * for it then. The whole file is offered when the document has an offer anywhere, the whole
 * module when it has other files.
 */
export function availableMigrations(input: MigrationInput & MigrationRange): MigrationOffer[] {
	const kernel = input.engine.kernel;
	if (!kernel) return [];
	const doc: Doc = { file: input.file, text: input.text, tree: input.tree };
	const shape = kernelShape(kernel, input.tree.language);
	const records = new Map([...(input.module?.records ?? []), ...treeRecords(input.tree)]);
	const all = ALL_MIGRATIONS.flatMap((m) => m.offers(doc, shape, records));
	const offers = all.filter(meets(input.text, input.range)).map((o) => offerOf(input.text, o));
	const titles = wholeTitles(input.text, all, input.findings);
	if (input.whole && all.length > 0) offers.push({ migration: 'file', title: titles.file, range: input.range });
	if (input.whole && hasOtherFiles(input.module)) offers.push({ migration: 'module', title: titles.module, range: input.range });
	return offers;
}

/**
 * The code actions for `range` with their Fixes, computed now (for clients that cannot
 * resolve them later): one Fix per migration site that intersects it, then the whole file
 * and the whole module when wanted and there is something to migrate.
 */
export function migrationsAt(input: MigrationInput & MigrationRange): ResolvedMigration[] {
	let titles: { file: string; module: string } = WHOLE_TITLE;
	const out = withContext(input, [], (ctx, docs): ResolvedMigration[] => {
		const inRange = meets(input.text, input.range);
		const doc = docs.get(input.file)!;
		titles = wholeTitles(input.text, ALL_MIGRATIONS.flatMap((m) => m.offers(doc, ctx.shape, ctx.records)), input.findings);
		const resolved = ALL_MIGRATIONS.flatMap((m) => m.run(ctx).sites)
			.filter((site) => site.file === input.file && inRange(site))
			.map((site) => ({ offer: offerOf(input.text, site), fix: siteFix(docs, site) }));
		const file = input.whole ? run(ctx, docs, titles.file).fixes[0] : undefined;
		if (file) resolved.push({ offer: { migration: 'file', title: titles.file, range: input.range }, fix: file });
		return resolved;
	});
	const module = input.whole && hasOtherFiles(input.module) ? migrateModule({ engine: input.engine, module: input.module, overlays: input.overlays }).fixes[0] : undefined;
	if (module) out.push({ offer: { migration: 'module', title: titles.module, range: input.range }, fix: { ...module, title: titles.module } });
	return out;
}

/**
 * The Fix of one offer of availableMigrations, from the full analysis: the same one
 * migrationsAt gives it. Undefined when the analysis finds no such site (the model does not
 * know its holder, or the document changed).
 */
export function resolveMigration(input: MigrationInput & { offer: MigrationOffer }): Fix | undefined {
	const { offer } = input;
	if (offer.migration === 'file') return migrateFile(input).fixes[0];
	if (offer.migration === 'module') return input.module && migrateModule({ engine: input.engine, module: input.module, overlays: input.overlays }).fixes[0];
	const migration = ALL_MIGRATIONS.find((m) => m.meta.id === offer.migration);
	if (!migration) return undefined;
	return withContext(input, undefined, (ctx, docs) => {
		const start = offsetOf(input.text, offer.range.start);
		const end = offsetOf(input.text, offer.range.end);
		const site = migration.run(ctx).sites.find((s) => s.file === input.file && s.start === start && s.end === end && s.title === offer.title);
		return site && siteFix(docs, site);
	});
}

/**
 * Everything in one document as one merged Fix, "migrate the whole file". The conversion of
 * the driver's struct hmm_devmem * holder is module-wide by nature (its struct may be in a
 * header, its uses in other files), so those edits may touch other files of the module;
 * the other migrations (ops, remove, drvdata) stay within the document.
 */
export function migrateFile(input: MigrationInput): MigrationResult {
	return withContext(input, { fixes: [], left: [], todos: [] }, (ctx, docs) => run(ctx, docs, WHOLE_TITLE.file));
}

/**
 * Every file of a module, "migrate the whole module": `engine` parses (its kernel must be
 * set), `module` is engine.moduleOf(file); member files and the local headers they include
 * are read from disk unless `overlays` has their text.
 */
export function migrateModule(input: { engine: ModuleParser; module: ModuleContext; overlays?: ReadonlyMap<string, string> }): MigrationResult {
	const kernel = input.engine.kernel;
	if (!kernel) return { fixes: [], left: [], todos: [] };
	const docs = readModuleDocs(input.module.files, (t) => input.engine.parse(t), input.overlays);
	try {
		const first = docs.values().next().value;
		if (!first) return { fixes: [], left: [], todos: [] };
		const ctx = makeContext(kernel, docs, new Set(docs.keys()), first.tree, input.module);
		return run(ctx, docs, WHOLE_TITLE.module);
	} finally {
		for (const d of docs.values()) release(d.tree);
	}
}

function hasOtherFiles(module: ModuleContext | undefined): module is ModuleContext {
	return !!module && module.files.length > 1;
}

/** Whether an offer's span meets `range` of the document's text. */
function meets(text: string, range: Range): (o: Offer) => boolean {
	const lo = offsetOf(text, range.start);
	const hi = offsetOf(text, range.end);
	return (o) => o.end >= lo && o.start <= hi;
}

function offerOf(text: string, o: Offer): MigrationOffer {
	const offer: MigrationOffer = { migration: o.migration, title: o.title, range: rangeOf(text, o.start, o.end) };
	return o.preferred ? { ...offer, preferred: true } : offer;
}

function siteFix(docs: ReadonlyMap<string, Doc>, site: Site): Fix {
	return toFix(site.title, withIncludes(docs, site.edits).edits, docs, site.preferred);
}

function run(ctx: MigrationContext, docs: ReadonlyMap<string, Doc>, title: string): MigrationResult {
	const sites: Site[] = [];
	const left: Remark[] = [...ctx.model.left.filter((l) => ctx.targets.has(l.file) || !docs.has(l.file))];
	const todos: Remark[] = [];
	for (const m of ALL_MIGRATIONS) {
		const out = m.run(ctx);
		for (const s of out.sites) sites.push(s);
		for (const r of out.left) left.push(r);
		for (const r of out.todos) todos.push(r);
	}
	// The whole-file edit set: the model's conversion plus every site's edits, each span once.
	const all = [...(sites.length > 0 ? ctx.model.edits : []), ...sites.flatMap((s) => s.edits)];
	const merged = withIncludes(docs, all);
	for (const c of merged.conflicts) left.push(c);
	for (const r of remainingRemovedApis(ctx, docs, sites)) left.push(r);
	for (const r of remainingRemovedMembers(ctx, docs, merged.edits, left)) left.push(r);
	const remark = (r: Remark): MigrationRemark => ({ file: r.file, range: rangeOf(docs.get(r.file)?.text ?? '', r.start, r.end), reason: r.reason });
	return {
		fixes: merged.edits.length > 0 ? [toFix(title, merged.edits, docs)] : [],
		left: dedupeRemarks(left).map(remark),
		todos: dedupeRemarks(todos).map(remark),
	};
}

/** Calls of removed APIs that no site covers: what is left. */
function remainingRemovedApis(ctx: MigrationContext, docs: ReadonlyMap<string, Doc>, sites: Site[]): Remark[] {
	const version = ctx.kernel.version;
	const out: Remark[] = [];
	for (const file of ctx.targets) {
		const doc = docs.get(file);
		if (!doc) continue;
		for (const call of nodes(doc.tree.rootNode, 'call_expression')) {
			const name = calleeName(call);
			const api = name ? REMOVED_API_BY_NAME.get(name) : undefined;
			if (!api || !version || compareVersion(version, api.removedIn) < 0 || ctx.kernel.exports.has(api.name)) continue;
			if (sites.some((s) => s.file === file && s.start <= call.startIndex && s.end >= call.endIndex)) continue;
			if (ctx.model.left.some((l) => l.file === file && l.start === call.startIndex)) continue;
			out.push({ file, start: call.startIndex, end: call.endIndex, reason: `${api.name}(): no migration for it yet; ${api.replacement}` });
		}
	}
	return out;
}

/**
 * What removed-member still flags in the targets and no edit rewrites (ops->kill, pgmap->dev,
 * …: no migration for it), unless a remark already covers it: left, in the check's words.
 */
function remainingRemovedMembers(ctx: MigrationContext, docs: ReadonlyMap<string, Doc>, edits: Edit[], left: Remark[]): Remark[] {
	const out: Remark[] = [];
	for (const file of ctx.targets) {
		const doc = docs.get(file);
		if (!doc) continue;
		const facts = extractFacts(doc.tree, doc.text, ctx.kernel.version);
		const lines = new LineMap(doc.text);
		for (const f of removedMember.run({ file, text: doc.text, tree: doc.tree, facts, module: ctx.module, kernel: ctx.kernel })) {
			const start = lines.offset(f.range.start);
			const end = lines.offset(f.range.end);
			const covers = (r: { file: string; start: number; end: number }) => r.file === file && r.start <= start && r.end >= end;
			if (edits.some(covers) || left.some(covers)) continue;
			out.push({ file, start, end, reason: `no migration for it yet: ${f.message}` });
		}
	}
	return out;
}

function dedupeRemarks(list: Remark[]): Remark[] {
	const seen = new Set<string>();
	return list.filter((r) => {
		const key = `${r.file}:${r.start}:${r.reason}`;
		if (seen.has(key)) return false;
		seen.add(key);
		return true;
	});
}

/** Merges edits (identical ones once), reports overlapping ones, and adds the include fixes. */
export function withIncludes(docs: ReadonlyMap<string, Doc>, edits: Edit[]): { edits: Edit[]; conflicts: Remark[] } {
	const { edits: merged, conflicts } = mergeEdits(edits);
	const out = [...merged];
	for (const file of new Set(merged.map((e) => e.file))) {
		const doc = docs.get(file);
		if (!doc) continue;
		const own = merged.filter((e) => e.file === file);
		for (const e of includeEdits(file, doc.text, applyEdits(doc.text, own))) out.push(e);
	}
	return { edits: mergeEdits(out).edits, conflicts };
}

function order(a: Edit, b: Edit): number {
	if (a.file !== b.file) return a.file < b.file ? -1 : 1;
	if (a.start !== b.start) return a.start - b.start;
	// At one offset insertions go first (they stay in front of a replaced span).
	return (a.end - a.start) - (b.end - b.start);
}

export function mergeEdits(edits: Edit[]): { edits: Edit[]; conflicts: Remark[] } {
	const seen = new Set<string>();
	const unique = edits.filter((e) => {
		const key = `${e.file}\0${e.start}\0${e.end}\0${e.text}`;
		if (seen.has(key)) return false;
		seen.add(key);
		return true;
	});
	const sorted = unique.map((e, i) => ({ e, i })).sort((x, y) => order(x.e, y.e) || x.i - y.i).map((x) => x.e);
	const out: Edit[] = [];
	const conflicts: Remark[] = [];
	for (const e of sorted) {
		const prev = out.filter((p) => p.file === e.file).at(-1);
		if (prev && (e.start < prev.end || (e.start === prev.start && e.end === prev.end && e.start !== e.end))) {
			conflicts.push({ file: e.file, start: e.start, end: e.end, reason: `two migrations rewrite this span differently ('${prev.text}' / '${e.text}'); not merged` });
			continue;
		}
		out.push(e);
	}
	return { edits: out, conflicts };
}

/** Applies non-overlapping edits of one file to its original text. */
export function applyEdits(text: string, edits: Edit[]): string {
	const sorted = [...edits].map((e, i) => ({ e, i })).sort((x, y) => order(x.e, y.e) || x.i - y.i);
	let out = '';
	let at = 0;
	for (const { e } of sorted) {
		out += text.slice(at, e.start) + e.text;
		at = Math.max(at, e.end);
	}
	return out + text.slice(at);
}

function toFix(title: string, edits: Edit[], docs: ReadonlyMap<string, Doc>, preferred?: boolean): Fix {
	const textEdits: TextEdit[] = edits.map((e) => {
		const text = docs.get(e.file)?.text ?? '';
		return { file: e.file, range: rangeOf(text, e.start, e.end), newText: e.text };
	});
	return preferred ? { title, edits: textEdits, preferred } : { title, edits: textEdits };
}

function rangeOf(text: string, start: number, end: number): Range {
	return new LineMap(text).range(start, end);
}

function offsetOf(text: string, p: { line: number; character: number }): number {
	return new LineMap(text).offset(p);
}

/** The module's member files and the local headers they include, each read once. */
function moduleFiles(files: readonly string[], read: (f: string) => string | undefined): Map<string, string> {
	const out = new Map<string, string>();
	const queue = [...files];
	while (queue.length > 0) {
		const file = queue.shift()!;
		if (out.has(file)) continue;
		const text = read(file);
		if (text === undefined) continue;
		out.set(file, text);
		for (const m of text.matchAll(/^#\s*include\s*"([^"]+)"/gm)) {
			const header = resolve(dirname(file), m[1]);
			if (existsSync(header)) queue.push(header);
		}
	}
	return out;
}

/**
 * A driver's own header that declares the old API again (struct hmm_devmem or
 * hmm_devmem_ops with a body, as test-fixtures' hmm_compat.h does for newer kernels): it is
 * the old API, not a user of it, and is left alone.
 */
function isCompatShim(text: string): boolean {
	return /\bstruct\s+hmm_devmem(_ops)?\s*\{/.test(text);
}

function reader(overlays?: ReadonlyMap<string, string>): (f: string) => string | undefined {
	return (f) => {
		const o = overlays?.get(f);
		return o ?? readText(f, 'source');
	};
}

function readModuleDocs(files: readonly string[], parse: (text: string) => Tree, overlays?: ReadonlyMap<string, string>): Map<string, Doc> {
	const docs = new Map<string, Doc>();
	// A member beyond the parser's bounds is not migrated; kmm migrate's re-check names it.
	for (const [file, text] of moduleFiles(files, reader(overlays))) if (!isCompatShim(text) && !tooLarge(text)) docs.set(file, { file, text, tree: parse(text) });
	return docs;
}

function makeContext(kernel: KernelIndex, docs: ReadonlyMap<string, Doc>, targets: ReadonlySet<string>, anyTree: Tree, module?: ModuleContext): MigrationContext {
	const shape = kernelShape(kernel, anyTree.language);
	// Against a kernel that still has the hmm_devmem API (no dev_pagemap ops) there is no driver to convert.
	const model = buildModel(shape.hasOps ? docs : new Map(), shape);
	return { kernel, docs, targets, shape, model, records: moduleRecords(docs.values()), module };
}

/** Runs `body` over the analysis of the document and its module (`none` without a kernel). */
function withContext<T>(input: MigrationInput, none: T, body: (ctx: MigrationContext, docs: ReadonlyMap<string, Doc>) => T): T {
	const kernel = input.engine.kernel;
	if (!kernel) return none;
	const own: Doc = { file: input.file, text: input.text, tree: input.tree };
	const parsed: Tree[] = [];
	const parse = (text: string): Tree => {
		const tree = input.engine.parse(text);
		parsed.push(tree);
		return tree;
	};
	try {
		const docs = new Map<string, Doc>([[input.file, own]]);
		const members = input.module ? input.module.files : [];
		const texts = moduleFiles([input.file, ...members], (f) => (f === input.file ? input.text : reader(input.overlays)(f)));
		for (const [file, text] of texts) if (file !== input.file && !isCompatShim(text) && !tooLarge(text)) docs.set(file, { file, text, tree: parse(text) });
		return body(makeContext(kernel, docs, new Set([input.file]), input.tree, input.module), docs);
	} finally {
		for (const t of parsed) release(t);
	}
}


