/**
 * The call graph as an editor asks for it: call hierarchy (ops-dispatched edges marked by
 * `via`), references and workspace symbols. Answers merge the kernel index with the open
 * documents, which are read as they are now instead of the index's copy of the file (and
 * may lie outside the tree: an out-of-tree module). Rules kept here, not in a front end:
 * a static function is referenced and called only in its own file; a module links against
 * a definition before the header stubs of the same name.
 */
import type { Engine } from '../engine';
import type { KernelIndex } from '../kernel/index';
import type { DocumentFacts, FunctionDef } from '../syntax/facts';
import type { Tree } from '../syntax/parser';
import { describeVia, incomingEdges, outgoingEdges, type Edge } from '../graph/calltree';
import { opsIndexOf, type DispatchVia } from '../graph/ops';
import { scanOps } from '../kernel/opsscan';
import { matchScore, symbolsOf } from '../graph/symbols';
import { pointRange, type Location, type Position, type Range } from '../types';

/** An open document on disk, as the front end holds it. */
export interface OpenSource {
	/** Absolute path. */
	file: string;
	text: string;
	tree: Tree;
}

/** One end of a call: a function (or the ops table that binds it). */
export interface CallItem {
	name: string;
	/** Absolute path of the definition. */
	file: string;
	range: Range;
	selection: Range;
	kind: 'function' | 'variable';
	/** The file relative to the tree, and how a dispatched call gets there. */
	detail: string;
	via?: DispatchVia;
}

/** What a call-hierarchy item carries from one request to the next. */
export interface ItemRef {
	name: string;
	file: string;
}

/** The other end of a call, with the ranges of the calls in the caller. */
export interface CallEdge {
	item: CallItem;
	ranges: Range[];
}

export interface WorkspaceSymbol {
	name: string;
	kind: 'function' | 'variable';
	location: Location;
	container: string;
}

const MAX_SYMBOLS = 200;

function contains(r: Range, line: number, character: number): boolean {
	const after = line > r.start.line || (line === r.start.line && character >= r.start.character);
	const before = line < r.end.line || (line === r.end.line && character <= r.end.character);
	return after && before;
}

function enclosing(facts: DocumentFacts, line: number, character: number): FunctionDef | undefined {
	for (const fn of facts.functions.values()) if (contains(fn.extent, line, character)) return fn;
	return undefined;
}

/** Edges collected once per (file, name, detail), their call ranges gathered. */
class Edges {
	private readonly out = new Map<string, CallEdge>();
	add(item: CallItem, range: Range): void {
		const key = `${item.file}\0${item.name}\0${item.detail}`;
		const entry = this.out.get(key);
		if (entry) entry.ranges.push(range);
		else this.out.set(key, { item, ranges: [range] });
	}
	list(): CallEdge[] {
		return [...this.out.values()];
	}
}

/** What the front end tells the graph, and is told. */
export interface GraphHost {
	/** The open documents on disk. */
	documents: () => readonly OpenSource[];
	/** Whether the user is idle: the background build of the ops index runs only then. */
	idle: () => boolean;
	/**
	 * A headers tree has no call graph of the kernel, so answers hold the open documents
	 * only: called once per such index, the first time a query meets it, to tell the user.
	 */
	missingGraph: (root: string, note: string) => void;
}

export class IdeGraph {
	private readonly building = new WeakMap<KernelIndex, Promise<void>>();
	/** Indexes a query waits for: their ops index no longer waits for the user to be idle. */
	private readonly wanted = new WeakSet<KernelIndex>();
	private readonly noted = new WeakSet<KernelIndex>();
	/** Facts per parse of an open document: a new tree on each edit, so the tree is the key. */
	private readonly factsOfTree = new WeakMap<Tree, DocumentFacts>();

	constructor(
		private readonly engine: Engine,
		private readonly host: GraphHost,
	) {}

	/** Builds the ops index in the background once the call graph is there. */
	warm(index: KernelIndex): Promise<void> {
		let p = this.building.get(index);
		if (!p) this.building.set(index, (p = opsIndexOf(index).buildAsync(20, () => this.wanted.has(index) || this.host.idle())));
		return p;
	}

	/** The item(s) at a position of an open document: its own definition, else the kernel's. */
	async prepare(file: string, position: Position): Promise<CallItem[] | undefined> {
		const t = this.target(file, position);
		if (!t) return undefined;
		if (t.def) return [this.item(t.name, t.doc.file, t.def.extent, t.def.range, 'function', this.detailOf(this.engine.kernel, t.doc.file))];
		const index = await this.graphIndex();
		const rel = index?.relativePath(t.doc.file);
		const found = index ? (rel !== undefined ? index.graph.resolve(t.name, rel) : index.definitionsOf(t.name).filter((d) => !d.isStatic || d.file.endsWith('.h'))) : [];
		if (!index || found.length === 0) return undefined;
		// The definition a module links against first; header stubs (the !CONFIG_X static
		// inlines of the same name) after it.
		const defs = [...found].sort((a, b) => Number(a.file.endsWith('.h')) - Number(b.file.endsWith('.h')));
		return defs.map((d) => this.edgeItem(index, { name: d.name, file: d.file, line: d.line, character: d.character, site: { file: d.file, line: d.line, character: d.character }, kind: 'call' }));
	}

	async incoming({ name, file }: ItemRef): Promise<CallEdge[]> {
		const index = await this.graphIndex();
		const out = new Edges();
		const docs = this.host.documents();
		const rel = index?.relativePath(file);
		const own = this.docOf(file);
		const isStatic = own ? this.factsOf(own).functions.get(name)?.isStatic : index?.definitionsOf(name).find((d) => d.file === rel)?.isStatic;
		if (index && rel !== undefined) {
			const docFiles = new Set(docs.map((d) => index.relativePath(d.file)));
			for (const e of incomingEdges(index, name, rel)) {
				// Direct calls of open documents come from their current text, below.
				if (e.kind !== 'dispatch' && docFiles.has(e.site.file)) continue;
				out.add(this.edgeItem(index, e), pointRange(e.site.line, e.site.character, e.kind === 'dispatch' ? (e.via?.member.length ?? 0) : name.length));
			}
		}
		for (const doc of docs) {
			if (isStatic && doc.file !== file) continue;
			const facts = this.factsOf(doc);
			for (const use of facts.uses) {
				if (use.name !== name || use.kind !== 'call') continue;
				const caller = enclosing(facts, use.range.start.line, use.range.start.character);
				if (caller) out.add(this.item(caller.name, doc.file, caller.extent, caller.range, 'function', this.detailOf(index, doc.file)), use.range);
			}
			for (const table of facts.opsTables) {
				for (const entry of table.entries) {
					if (entry.name === name) out.add(this.item(table.variable, doc.file, entry.range, entry.range, 'variable', this.detailOf(index, doc.file)), entry.range);
				}
			}
		}
		return out.list();
	}

	async outgoing({ name, file }: ItemRef): Promise<CallEdge[]> {
		const index = await this.graphIndex();
		const out = new Edges();
		const doc = this.docOf(file);
		const facts = doc && this.factsOf(doc);
		const fn = facts?.functions.get(name);
		const rel = index?.relativePath(file);
		if (doc && facts && fn) {
			for (const use of facts.uses) {
				if (use.kind !== 'call' || !contains(fn.extent, use.range.start.line, use.range.start.character)) continue;
				const local = facts.functions.get(use.name);
				if (local) out.add(this.item(use.name, doc.file, local.extent, local.range, 'function', this.detailOf(index, doc.file)), use.range);
				else if (index) {
					const defs = rel !== undefined ? index.graph.resolve(use.name, rel) : index.definitionsOf(use.name).filter((d) => !d.isStatic || d.file.endsWith('.h'));
					for (const d of defs) out.add(this.edgeItem(index, { name: d.name, file: d.file, line: d.line, character: d.character, site: { file: d.file, line: 0, character: 0 }, kind: 'call' }), use.range);
				}
			}
			if (index) {
				const ops = opsIndexOf(index);
				for (const call of scanOps(doc.text).calls) {
					if (!contains(fn.extent, call.line, call.character)) continue;
					for (const s of ops.dispatchesOfCall(call, rel ?? doc.file, name)) {
						for (const d of index.graph.resolve(s.callee, s.via.binding.file)) {
							const e: Edge = { name: d.name, file: d.file, line: d.line, character: d.character, site: s, kind: 'dispatch', via: s.via };
							out.add(this.edgeItem(index, e), pointRange(call.line, call.character, call.member.length));
						}
					}
				}
			}
		} else if (index && rel !== undefined) {
			for (const e of outgoingEdges(index, name, rel)) {
				if (e.kind === 'reference') continue;
				out.add(this.edgeItem(index, e), pointRange(e.site.line, e.site.character, e.kind === 'dispatch' ? (e.via?.member.length ?? 0) : e.name.length));
			}
		}
		return out.list();
	}

	/** References of the name at a position: the index's (callers, exports), open documents' as they are now. */
	async references(file: string, position: Position, includeDeclaration: boolean): Promise<Location[] | undefined> {
		const t = this.target(file, position);
		if (!t) return undefined;
		const index = await this.graphIndex();
		const locations: Location[] = [];
		const seen = new Set<string>();
		const push = (at: string, range: Range) => {
			const key = `${at}\0${range.start.line}\0${range.start.character}`;
			if (seen.has(key)) return;
			seen.add(key);
			locations.push({ file: at, range });
		};
		const docs = this.host.documents();
		// A static function of this document is referenced only here.
		const local = t.def?.isStatic === true;
		const rel = index?.relativePath(t.doc.file);
		if (index && !local) {
			const docFiles = new Set(docs.map((d) => index.relativePath(d.file)));
			const defFile = rel !== undefined ? index.graph.resolve(t.name, rel)[0]?.file : undefined;
			for (const s of index.callersOf(t.name, defFile)) {
				if (!docFiles.has(s.file)) push(index.absolutePath(s.file), pointRange(s.line, s.character, t.name.length));
			}
			for (const e of index.exports.get(t.name) ?? []) push(index.absolutePath(e.file), pointRange(e.line, e.character, e.macro.length));
			if (includeDeclaration) {
				for (const d of index.definitionsOf(t.name)) if (!docFiles.has(d.file)) push(index.absolutePath(d.file), pointRange(d.line, d.character, t.name.length));
			}
		}
		for (const doc of local ? [t.doc] : docs) {
			const facts = this.factsOf(doc);
			for (const use of facts.uses) if (use.name === t.name) push(doc.file, use.range);
			const def = facts.functions.get(t.name);
			if (def && includeDeclaration) push(doc.file, def.range);
		}
		return locations;
	}

	/** Functions of the open documents, then the kernel's functions and exports, matching `query`. */
	symbols(query: string): WorkspaceSymbol[] {
		if (query === '') return [];
		const index = this.engine.kernel;
		const symbols: WorkspaceSymbol[] = [];
		for (const doc of this.host.documents()) {
			for (const fn of this.factsOf(doc).functions.values()) {
				if (matchScore(fn.name, query) !== undefined) symbols.push({ name: fn.name, kind: 'function', location: { file: doc.file, range: fn.range }, container: doc.file });
			}
		}
		if (index) {
			for (const hit of symbolsOf(index, query, MAX_SYMBOLS)) {
				symbols.push({
					name: hit.name,
					kind: hit.kind === 'function' ? 'function' : 'variable',
					location: { file: index.absolutePath(hit.file), range: pointRange(hit.line, hit.character, hit.name.length) },
					container: hit.detail,
				});
			}
		}
		return symbols.slice(0, MAX_SYMBOLS);
	}

	/** The index once its call graph is complete, with the ops index built (in slices, not blocking other requests). */
	private async graphIndex(): Promise<KernelIndex | undefined> {
		const index = this.engine.kernel;
		if (!index?.ready.functions) return undefined;
		this.wanted.add(index);
		await this.warm(index);
		const note = index.callGraphNote;
		if (note && !this.noted.has(index)) {
			this.noted.add(index);
			this.host.missingGraph(index.root, note);
		}
		return index;
	}

	private factsOf(doc: OpenSource): DocumentFacts {
		let facts = this.factsOfTree.get(doc.tree);
		if (!facts) this.factsOfTree.set(doc.tree, (facts = this.engine.facts(doc.tree, doc.text, doc.file)));
		return facts;
	}

	private docOf(file: string): OpenSource | undefined {
		return this.host.documents().find((d) => d.file === file);
	}

	/** The function defined or used at a position of an open document. */
	private target(file: string, { line, character }: Position) {
		const doc = this.docOf(file);
		if (!doc) return undefined;
		const facts = this.factsOf(doc);
		const def = [...facts.functions.values()].find((f) => contains(f.range, line, character));
		if (def) return { doc, name: def.name, def };
		const use = facts.uses.find((u) => contains(u.range, line, character));
		return use ? { doc, name: use.name, def: facts.functions.get(use.name) } : undefined;
	}

	private item(name: string, file: string, range: Range, selection: Range, kind: CallItem['kind'], detail: string, via?: DispatchVia): CallItem {
		return via ? { name, file, range, selection, kind, detail, via } : { name, file, range, selection, kind, detail };
	}

	private detailOf(index: KernelIndex | undefined, file: string, via?: DispatchVia): string {
		const rel = index?.relativePath(file) ?? file;
		return via ? `${rel} — ${describeVia(via)}` : rel;
	}

	/** The item for the end of an edge: its definition (an open document's current one if there). */
	private edgeItem(index: KernelIndex, e: Edge): CallItem {
		const file = index.absolutePath(e.file ?? e.site.file);
		const doc = this.docOf(file);
		const fn = doc && this.factsOf(doc).functions.get(e.name);
		const detail = this.detailOf(index, file, e.via);
		if (fn) return this.item(e.name, file, fn.extent, fn.range, 'function', detail, e.via);
		const r = e.file !== undefined ? pointRange(e.line ?? 0, e.character ?? 0, e.name.length) : pointRange(e.site.line, e.site.character, e.name.length);
		return this.item(e.name, file, r, r, e.table ? 'variable' : 'function', detail, e.via);
	}
}
