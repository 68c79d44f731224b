/**
 * Call edges of one function in both directions, direct and ops-dispatched, and the call
 * trees `kmm callers` / `kmm callees` print. A node is a function definition (name and
 * file), or an ops table for the designated initializers that reference a function.
 */
import type { FunctionRecord, KernelIndex } from '../kernel/index';
import { opsIndexOf, type DispatchVia } from './ops';

export interface Edge {
	/** The other end: the caller (incoming) or the callee (outgoing). */
	name: string;
	/** Where the other end is defined; undefined when the tree has no definition. */
	file?: string;
	line?: number;
	character?: number;
	/** An ops table (initialised variable) rather than a function. */
	table?: boolean;
	/** The call site. */
	site: { file: string; line: number; character: number };
	kind: 'call' | 'reference' | 'dispatch';
	via?: DispatchVia;
}

export interface EdgeOptions {
	/** Include ops-dispatched edges (builds the ops index on first use). Default true. */
	ops?: boolean;
}

/** Calls, references and (optionally) ops dispatches that reach `name` (its definition in `file`, when given). */
export function incomingEdges(index: KernelIndex, name: string, file?: string, options: EdgeOptions = {}): Edge[] {
	const graph = index.graph;
	const out: Edge[] = [];
	for (const s of graph.callersOf(name, file)) {
		const table = s.kind === 'reference' && graph.variablesOf(s.caller).find((v) => v.file === s.file);
		const def = table || graph.definitionsOf(s.caller).find((d) => d.file === s.file);
		const edge: Edge = { name: s.caller, site: { file: s.file, line: s.line, character: s.character }, kind: s.kind };
		if (table) edge.table = true;
		if (def) Object.assign(edge, { file: def.file, line: def.line, character: def.character });
		out.push(edge);
	}
	if (options.ops === false) return out;
	for (const s of opsIndexOf(index).dispatchCallersOf(name, file)) {
		if (!s.caller) continue;
		const def = graph.definitionsOf(s.caller).find((d) => d.file === s.file);
		const edge: Edge = { name: s.caller, site: { file: s.file, line: s.line, character: s.character }, kind: 'dispatch', via: s.via };
		if (def) Object.assign(edge, { file: def.file, line: def.line, character: def.character });
		out.push(edge);
	}
	return out;
}

/** An edge to the definition `def` of `name`, from the call at `site`. */
function edgeTo(name: string, def: FunctionRecord, site: { file: string; line: number; character: number }, kind: Edge['kind'], via?: DispatchVia): Edge {
	const edge: Edge = { name, file: def.file, line: def.line, character: def.character, site: { file: site.file, line: site.line, character: site.character }, kind };
	if (via) edge.via = via;
	return edge;
}

/** What `name` calls (its definition in `file`, when given): every site whose callee resolves to a definition, one edge per definition. */
export function outgoingEdges(index: KernelIndex, name: string, file?: string, options: EdgeOptions = {}): Edge[] {
	const graph = index.graph;
	const out: Edge[] = [];
	for (const s of graph.calleesOf(name, file)) {
		for (const def of graph.resolve(s.callee, s.file)) out.push(edgeTo(s.callee, def, s, s.kind));
	}
	if (options.ops === false) return out;
	const files = file !== undefined ? [file] : [...new Set(graph.definitionsOf(name).map((d) => d.file))];
	const ops = opsIndexOf(index);
	for (const f of files) {
		for (const s of ops.dispatchCalleesOf(name, f)) {
			for (const def of graph.resolve(s.callee, s.via.binding.file)) out.push(edgeTo(s.callee, def, s, 'dispatch', s.via));
		}
	}
	return out;
}

export interface TreeNode {
	name: string;
	/** Definition, when known. */
	file?: string;
	/** 1-based, for printing. */
	line?: number;
	table?: boolean;
	/** The sites linking this node to its parent (calls from it, for callers; calls to it, for callees). */
	sites: { file: string; line: number; kind: Edge['kind']; via?: DispatchVia }[];
	children: TreeNode[];
	/** Expanded elsewhere in the tree already (a cycle or a shared caller): children not repeated. */
	seen?: boolean;
}

export interface TreeOptions extends EdgeOptions {
	depth: number;
	/** Stop adding nodes beyond this many; `truncated` then says so. */
	maxNodes?: number;
}

/** The callers (`incoming`) or callees (`outgoing`) of `name`, `depth` levels deep, sites grouped per function. */
export function callTree(index: KernelIndex, name: string, direction: 'incoming' | 'outgoing', options: TreeOptions): { root: TreeNode; truncated: boolean } {
	const maxNodes = options.maxNodes ?? 5000;
	let count = 0;
	let truncated = false;
	const expanded = new Set<string>();
	const edgesOf = (n: string, file: string | undefined) =>
		direction === 'incoming' ? incomingEdges(index, n, file, options) : outgoingEdges(index, n, file, options);
	const defs = index.definitionsOf(name);
	const root: TreeNode = { name, sites: [], children: [] };
	if (defs.length === 1) Object.assign(root, { file: defs[0].file, line: defs[0].line + 1 });
	const expand = (node: TreeNode, file: string | undefined, level: number) => {
		if (level >= options.depth || node.table) return;
		const key = `${node.name}\0${file ?? ''}`;
		if (expanded.has(key)) {
			node.seen = true;
			return;
		}
		expanded.add(key);
		const byTarget = new Map<string, TreeNode>();
		for (const e of edgesOf(node.name, file)) {
			const k = `${e.name}\0${e.file ?? ''}`;
			let child = byTarget.get(k);
			if (!child) {
				if (count >= maxNodes) {
					truncated = true;
					continue;
				}
				count++;
				child = { name: e.name, sites: [], children: [] };
				if (e.file !== undefined) Object.assign(child, { file: e.file, line: (e.line ?? 0) + 1 });
				if (e.table) child.table = true;
				byTarget.set(k, child);
				node.children.push(child);
			}
			const site: TreeNode['sites'][number] = { file: e.site.file, line: e.site.line + 1, kind: e.kind };
			if (e.via) site.via = e.via;
			child.sites.push(site);
		}
		node.children.sort((a, b) => (a.file ?? '').localeCompare(b.file ?? '') || a.name.localeCompare(b.name));
		for (const child of node.children) expand(child, child.file, level + 1);
	};
	expand(root, defs.length === 1 ? defs[0].file : undefined, 0);
	return { root, truncated };
}

/** `dev_pagemap_ops.page_free` (typed) or `.page_free` (member name only), with the table. */
export function describeVia(via: DispatchVia): string {
	const member = `${via.struct ?? ''}.${via.member}`;
	const table = via.table ? ` = ${via.table}` : '';
	return `via ${member}${table} (${via.binding.file}:${via.binding.line + 1}${via.typed ? '' : ', by member name'})`;
}
