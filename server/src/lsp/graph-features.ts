/**
 * The call graph over LSP: call hierarchy (with ops-dispatched edges, marked in `detail`
 * and `data.via`), references, workspace symbols, and the `kmm/zoneDevice` request behind
 * the VS Code ZONE_DEVICE view. Everything comes from the kernel index, with open documents
 * read from their current text instead of the index's copy of the file.
 */
import {
	ErrorCodes,
	ResponseError,
	SymbolKind,
	type CallHierarchyIncomingCall,
	type CallHierarchyItem,
	type CallHierarchyOutgoingCall,
	type Connection,
	type Location as LspLocation,
	type Range,
	type SymbolInformation,
} from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import type { Engine } from '../engine/engine';
import type { KernelIndex } from '../engine/kernel/index';
import type { DocumentFacts, FunctionDef } from '../engine/syntax/facts';
import { incomingEdges, outgoingEdges, describeVia, type Edge } from '../engine/graph/calltree';
import { opsIndexOf, type DispatchVia } from '../engine/graph/ops';
import { scanOps } from '../engine/graph/opsscan';
import { matchScore, symbolsOf } from '../engine/graph/symbols';
import { zoneDeviceMap, zoneDeviceMarkdown } from '../engine/graph/zoneDevice';
import { auditExports, auditMarkdown } from '../engine/graph/audit';
import type { DocumentStore, OpenDocument } from './documents';
import { exportAuditRequest, zoneDeviceRequest, type ExportAuditParams, type ExportAuditResponse, type ZoneDeviceResponse } from './protocol';

export interface GraphDeps {
	kernel: () => KernelIndex | undefined;
	engine: () => Engine | undefined;
	documents: () => DocumentStore | undefined;
	/** Whether the user is idle: the background build of the ops index runs only then. */
	idle: () => boolean;
}

/** What a call-hierarchy item carries between requests. */
interface ItemData {
	name: string;
	/** Absolute path of the definition. */
	file: string;
	via?: DispatchVia;
}


const MAX_SYMBOLS = 200;

function point(line: number, character: number, length: number): Range {
	return { start: { line, character }, end: { line, character: character + length } };
}

function contains(r: Range, line: number, character: number): boolean {
	const after = line > r.start.line || (line === r.start.line && character >= r.start.character);
	const before = line < r.end.line || (line === r.end.line && character <= r.end.character);
	return after && before;
}

/** Registers the graph requests on `connection`; `warm` builds the ops index in the background once the call graph is there. */
export function registerGraphFeatures(connection: Connection, deps: GraphDeps): { warm: (index: KernelIndex) => void } {
	const building = new WeakMap<KernelIndex, Promise<void>>();
	/** Indexes a query waits for: their build no longer waits for the user to be idle. */
	const wanted = new WeakSet<KernelIndex>();

	/** The index once its call graph is complete, with the ops index built (in slices, not blocking other requests). */
	async function graphIndex(): Promise<KernelIndex | undefined> {
		const index = deps.kernel();
		if (!index?.ready.functions) return undefined;
		wanted.add(index);
		await warmOps(index);
		return index;
	}

	function warmOps(index: KernelIndex): Promise<void> {
		let p = building.get(index);
		if (!p) building.set(index, (p = opsIndexOf(index).buildAsync(20, () => wanted.has(index) || deps.idle())));
		return p;
	}

	const abs = (index: KernelIndex, rel: string) => index.absolutePath(rel);

	/**
	 * A headers tree has no call graph of the kernel: answers from it hold only the open
	 * documents, so the user is told why (once per index), rather than left with silence.
	 */
	const noted = new WeakSet<KernelIndex>();
	function noteMissingGraph(index: KernelIndex | undefined): void {
		const note = index?.callGraphNote;
		if (!index || !note || noted.has(index)) return;
		noted.add(index);
		void connection.window.showInformationMessage(`Kernel MM: ${index.root}: ${note}. Callers, callees and references cover the open documents only; set kmm.kernelPath to a source tree (and kmm.kernelBuildPath to this one) for the kernel's.`);
	}
	const uriOf = (file: string) => URI.file(file).toString();

	function openDocs(): OpenDocument[] {
		return (deps.documents()?.all() ?? []).filter((d) => URI.parse(d.uri).scheme === 'file');
	}

	const factsCache = new WeakMap<OpenDocument, { version: number; tree: unknown; facts: DocumentFacts }>();
	function factsOf(doc: OpenDocument): DocumentFacts | undefined {
		const engine = deps.engine();
		if (!engine) return undefined;
		const cached = factsCache.get(doc);
		if (cached && cached.version === doc.doc.version && cached.tree === doc.tree) return cached.facts;
		const facts = engine.facts(doc.tree, doc.doc.getText(), doc.file);
		factsCache.set(doc, { version: doc.doc.version, tree: doc.tree, facts });
		return facts;
	}

	function docOf(file: string): OpenDocument | undefined {
		return openDocs().find((d) => d.file === file);
	}

	function enclosing(facts: DocumentFacts, line: number, character: number): FunctionDef | undefined {
		for (const fn of facts.functions.values()) if (contains(fn.extent, line, character)) return fn;
		return undefined;
	}

	function item(name: string, file: string, range: Range, selection: Range, kind: SymbolKind, detail: string, via?: DispatchVia): CallHierarchyItem {
		const data: ItemData = { name, file };
		if (via) data.via = via;
		return { name, kind, uri: uriOf(file), range, selectionRange: selection, detail, data };
	}

	function detailOf(index: KernelIndex | undefined, file: string, via?: DispatchVia): string {
		const rel = index?.relativePath(file) ?? file;
		return via ? `${rel} — ${describeVia(via)}` : rel;
	}

	/** The item for the end of an edge: its definition (an open document's current one if there). */
	function edgeItem(index: KernelIndex, e: Edge): CallHierarchyItem {
		const file = abs(index, e.file ?? e.site.file);
		const doc = docOf(file);
		const fn = doc && factsOf(doc)?.functions.get(e.name);
		if (fn) return item(e.name, file, fn.extent, fn.range, SymbolKind.Function, detailOf(index, file, e.via), e.via);
		const r = e.file !== undefined ? point(e.line ?? 0, e.character ?? 0, e.name.length) : point(e.site.line, e.site.character, e.name.length);
		return item(e.name, file, r, r, e.table ? SymbolKind.Variable : SymbolKind.Function, detailOf(index, file, e.via), e.via);
	}

	function readItem(params: { item?: CallHierarchyItem }): ItemData {
		const data = params?.item?.data as Partial<ItemData> | undefined;
		const name = data?.name ?? params?.item?.name;
		const file = data?.file ?? (typeof params?.item?.uri === 'string' ? URI.parse(params.item.uri).fsPath : undefined);
		if (typeof name !== 'string' || typeof file !== 'string') {
			throw new ResponseError(ErrorCodes.InvalidParams, 'expected a call hierarchy item from prepareCallHierarchy');
		}
		return { name, file };
	}

	function target(params: { textDocument?: { uri?: unknown }; position?: { line?: unknown; character?: unknown } }) {
		const uri = params?.textDocument?.uri;
		const pos = params?.position;
		if (typeof uri !== 'string' || typeof pos?.line !== 'number' || typeof pos.character !== 'number') {
			throw new ResponseError(ErrorCodes.InvalidParams, 'expected textDocument.uri and position {line, character}');
		}
		const doc = deps.documents()?.get(uri);
		const facts = doc && URI.parse(uri).scheme === 'file' ? factsOf(doc) : undefined;
		if (!doc || !facts) return undefined;
		const { line, character } = pos;
		const def = [...facts.functions.values()].find((f) => contains(f.range, line, character));
		if (def) return { doc, facts, name: def.name, def };
		const use = facts.uses.find((u) => contains(u.range, line, character));
		return use ? { doc, facts, name: use.name, def: facts.functions.get(use.name) } : undefined;
	}

	connection.languages.callHierarchy.onPrepare(async (params) => {
		const t = target(params);
		if (!t) return null;
		if (t.def) return [item(t.name, t.doc.file, t.def.extent, t.def.range, SymbolKind.Function, detailOf(deps.kernel(), t.doc.file))];
		const index = await graphIndex();
		noteMissingGraph(index);
		const rel = index?.relativePath(t.doc.file);
		const found = index ? (rel !== undefined ? index.graph.resolve(t.name, rel) : index.definitionsOf(t.name).filter((d) => !d.isStatic || d.file.endsWith('.h'))) : [];
		if (!index || found.length === 0) return null;
		// The definition a module links against first; header stubs (the !CONFIG_X static
		// inlines of the same name) after it.
		const defs = [...found].sort((a, b) => Number(a.file.endsWith('.h')) - Number(b.file.endsWith('.h')));
		return defs.map((d) => edgeItem(index, { name: d.name, file: d.file, line: d.line, character: d.character, site: { file: d.file, line: d.line, character: d.character }, kind: 'call' }));
	});

	connection.languages.callHierarchy.onIncomingCalls(async (params) => {
		const { name, file } = readItem(params);
		const index = await graphIndex();
		noteMissingGraph(index);
		const out = new Map<string, CallHierarchyIncomingCall>();
		const add = (from: CallHierarchyItem, range: Range) => {
			const key = `${from.uri}\0${from.name}\0${from.detail ?? ''}`;
			const entry = out.get(key);
			if (entry) entry.fromRanges.push(range);
			else out.set(key, { from, fromRanges: [range] });
		};
		const docs = openDocs();
		const rel = index?.relativePath(file);
		const isStatic = docOf(file) ? factsOf(docOf(file) as OpenDocument)?.functions.get(name)?.isStatic : index?.definitionsOf(name).find((d) => d.file === rel)?.isStatic;
		if (index && rel !== undefined) {
			const docFiles = new Set(docs.map((d) => index.relativePath(d.file)));
			for (const e of incomingEdges(index, name, rel)) {
				if (e.kind !== 'dispatch' && docFiles.has(e.site.file)) continue;
				add(edgeItem(index, e), point(e.site.line, e.site.character, e.kind === 'dispatch' ? (e.via?.member.length ?? 0) : name.length));
			}
		}
		// Open documents as they are now, also those outside the tree (an out-of-tree module).
		for (const doc of docs) {
			if (isStatic && doc.file !== file) continue;
			const facts = factsOf(doc);
			if (!facts) continue;
			for (const use of facts.uses) {
				if (use.name !== name || use.kind !== 'call') continue;
				const caller = enclosing(facts, use.range.start.line, use.range.start.character);
				if (caller) add(item(caller.name, doc.file, caller.extent, caller.range, SymbolKind.Function, detailOf(index, doc.file)), use.range);
			}
			for (const table of facts.opsTables) {
				for (const entry of table.entries) {
					if (entry.name === name) add(item(table.variable, doc.file, entry.range, entry.range, SymbolKind.Variable, detailOf(index, doc.file)), entry.range);
				}
			}
		}
		return [...out.values()];
	});

	connection.languages.callHierarchy.onOutgoingCalls(async (params) => {
		const { name, file } = readItem(params);
		const index = await graphIndex();
		noteMissingGraph(index);
		const out = new Map<string, CallHierarchyOutgoingCall>();
		const add = (to: CallHierarchyItem, range: Range) => {
			const key = `${to.uri}\0${to.name}\0${to.detail ?? ''}`;
			const entry = out.get(key);
			if (entry) entry.fromRanges.push(range);
			else out.set(key, { to, fromRanges: [range] });
		};
		const doc = docOf(file);
		const facts = doc && factsOf(doc);
		const fn = facts?.functions.get(name);
		const rel = index?.relativePath(file);
		if (doc && facts && fn) {
			for (const use of facts.uses) {
				if (use.kind !== 'call' || !contains(fn.extent, use.range.start.line, use.range.start.character)) continue;
				const local = facts.functions.get(use.name);
				if (local) add(item(use.name, doc.file, local.extent, local.range, SymbolKind.Function, detailOf(index, doc.file)), use.range);
				else if (index) {
					const defs = rel !== undefined ? index.graph.resolve(use.name, rel) : index.definitionsOf(use.name).filter((d) => !d.isStatic || d.file.endsWith('.h'));
					for (const d of defs) add(edgeItem(index, { name: d.name, file: d.file, line: d.line, character: d.character, site: { file: d.file, line: 0, character: 0 }, kind: 'call' }), use.range);
				}
			}
			if (index) {
				const ops = opsIndexOf(index);
				for (const call of scanOps(doc.doc.getText()).calls) {
					if (!contains(fn.extent, call.line, call.character)) continue;
					for (const s of ops.dispatchesOfCall(call, rel ?? doc.file, name)) {
						for (const d of index.graph.resolve(s.callee, s.via.binding.file)) {
							const e: Edge = { name: d.name, file: d.file, line: d.line, character: d.character, site: s, kind: 'dispatch', via: s.via };
							add(edgeItem(index, e), point(call.line, call.character, call.member.length));
						}
					}
				}
			}
		} else if (index && rel !== undefined) {
			for (const e of outgoingEdges(index, name, rel)) {
				if (e.kind === 'reference') continue;
				add(edgeItem(index, e), point(e.site.line, e.site.character, e.kind === 'dispatch' ? (e.via?.member.length ?? 0) : e.name.length));
			}
		}
		return [...out.values()];
	});

	connection.onReferences(async (params) => {
		const t = target(params);
		if (!t) return null;
		const index = await graphIndex();
		noteMissingGraph(index);
		const locations: LspLocation[] = [];
		const seen = new Set<string>();
		const push = (file: string, range: Range) => {
			const key = `${file}\0${range.start.line}\0${range.start.character}`;
			if (seen.has(key)) return;
			seen.add(key);
			locations.push({ uri: uriOf(file), range });
		};
		const docs = openDocs();
		// A static function of this document is referenced only here.
		const local = t.def?.isStatic === true;
		const rel = index?.relativePath(t.doc.file);
		if (index && !local) {
			const docFiles = new Set(docs.map((d) => index.relativePath(d.file)));
			const defFile = rel !== undefined ? index.graph.resolve(t.name, rel)[0]?.file : undefined;
			for (const s of index.callersOf(t.name, defFile)) {
				if (!docFiles.has(s.file)) push(abs(index, s.file), point(s.line, s.character, t.name.length));
			}
			for (const e of index.exports.get(t.name) ?? []) push(abs(index, e.file), point(e.line, e.character, e.macro.length));
			if (params.context?.includeDeclaration) {
				for (const d of index.definitionsOf(t.name)) if (!docFiles.has(d.file)) push(abs(index, d.file), point(d.line, d.character, t.name.length));
			}
		}
		for (const doc of local ? [t.doc] : docs) {
			const facts = factsOf(doc);
			if (!facts) continue;
			for (const use of facts.uses) if (use.name === t.name) push(doc.file, use.range);
			const def = facts.functions.get(t.name);
			if (def && params.context?.includeDeclaration) push(doc.file, def.range);
		}
		return locations;
	});

	connection.onWorkspaceSymbol(async (params) => {
		const query = typeof params?.query === 'string' ? params.query : '';
		if (query === '') return [];
		const index = deps.kernel();
		const symbols: SymbolInformation[] = [];
		for (const doc of openDocs()) {
			const facts = factsOf(doc);
			for (const fn of facts?.functions.values() ?? []) {
				if (matchScore(fn.name, query) !== undefined) symbols.push({ name: fn.name, kind: SymbolKind.Function, location: { uri: uriOf(doc.file), range: fn.range }, containerName: doc.file });
			}
		}
		if (index) {
			for (const hit of symbolsOf(index, query, MAX_SYMBOLS)) {
				symbols.push({
					name: hit.name,
					kind: hit.kind === 'function' ? SymbolKind.Function : SymbolKind.Variable,
					location: { uri: uriOf(abs(index, hit.file)), range: point(hit.line, hit.character, hit.name.length) },
					containerName: hit.detail,
				});
			}
		}
		return symbols.slice(0, MAX_SYMBOLS);
	});

	connection.onRequest(zoneDeviceRequest, (): ZoneDeviceResponse => {
		const index = deps.kernel();
		if (!index?.ready.functions) return { map: null, markdown: '# ZONE_DEVICE map\n\nThe kernel is not indexed yet.\n' };
		if (index.callGraphNote) return { map: null, markdown: `# ZONE_DEVICE map\n\n${index.root}: ${index.callGraphNote}; the map needs a kernel source tree.\n` };
		const map = zoneDeviceMap(index);
		return { map, markdown: zoneDeviceMarkdown(map, (p) => `${uriOf(abs(index, p.file))}#L${p.line + 1}`) };
	});

	/** The export audit of one file of the tree (its uri given), or of the whole tree. */
	connection.onRequest(exportAuditRequest, (params: Partial<ExportAuditParams> | undefined): ExportAuditResponse => {
		const index = deps.kernel();
		if (!index?.ready.functions) return { markdown: '# Export audit\n\nThe kernel is not indexed yet.\n' };
		if (index.callGraphNote) return { markdown: `# Export audit\n\n${index.root}: ${index.callGraphNote}; the audit needs a kernel source tree.\n` };
		const rel = typeof params?.uri === 'string' ? index.relativePath(URI.parse(params.uri).fsPath) : undefined;
		const entries = rel === undefined ? auditExports(index) : auditExports(index, {}, rel);
		const link = (file: string, line: number) => `${uriOf(abs(index, file))}#L${line + 1}`;
		return { markdown: auditMarkdown(entries, rel ?? `the whole tree (${index.root})`, link) };
	});

	return { warm: (index) => void warmOps(index) };
}
