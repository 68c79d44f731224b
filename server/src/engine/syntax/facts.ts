/**
 * The facts of one C document that the checks need: every use of a name (calls and other
 * references), the functions it defines, the macros it defines and what they expand to,
 * and its lexical metadata. Uses in code compiled out for the kernel's version are dropped.
 *
 * Kernel files parse with ERROR nodes (unknown macros such as list_for_each_entry); the
 * walk therefore looks at identifiers wherever they are, and reads `name (` inside an
 * ERROR node as a call.
 */
import { scanFile, type FileMeta } from '../kernel/lexscan';
import type { KernelVersion } from '../kernel/version';
import type { Range } from '../types';
import { deadSpans, isDead, type LineSpan } from './conditionals';
import { query, type SyntaxNode, type Tree, type TreeCursor } from './parser';

export interface SymbolUse {
	name: string;
	kind: 'call' | 'reference';
	/** Where the name is written; for a use inside a macro, the macro's invocation. */
	range: Range;
	/** The module-local macro whose expansion holds this use. */
	viaMacro?: string;
}

export interface FunctionDef {
	name: string;
	isStatic: boolean;
	/** The name in the definition. */
	range: Range;
	/** The whole definition. */
	extent: Range;
}

export interface MacroDef {
	name: string;
	range: Range;
	/** Names the body calls (`name(`) and other names it mentions. */
	calls: string[];
	references: string[];
}

/** One `.field = value` of a struct variable's designated initializer. */
export interface OpsEntry {
	field: string;
	/** The value when it is a plain name (a function, usually); undefined for expressions. */
	name?: string;
	range: Range;
}

/** A struct variable initialized with designated fields: an ops table, typically. */
export interface OpsTable {
	/** `dev_pagemap_ops` for `struct dev_pagemap_ops`. */
	struct: string;
	variable: string;
	entries: OpsEntry[];
}

export interface DocumentFacts {
	uses: SymbolUse[];
	opsTables: OpsTable[];
	functions: Map<string, FunctionDef>;
	macros: Map<string, MacroDef>;
	meta: FileMeta;
	dead: LineSpan[];
}

const DECLARATOR_PARENTS = new Set([
	'function_declarator',
	'init_declarator',
	'pointer_declarator',
	'array_declarator',
	'parenthesized_declarator',
	'attributed_declarator',
	'declaration',
	'parameter_declaration',
	'field_declaration',
	'type_definition',
	'enumerator',
	'preproc_def',
	'preproc_function_def',
	'preproc_params',
	'preproc_defined',
	'labeled_statement',
	'goto_statement',
]);

export function nodeRange(node: SyntaxNode): Range {
	return {
		start: { line: node.startPosition.row, character: node.startPosition.column },
		end: { line: node.endPosition.row, character: node.endPosition.column },
	};
}

/** The declared name of a declarator chain (`*foo[3]` → foo), if it has one. */
function declaredName(node: SyntaxNode | null): SyntaxNode | undefined {
	for (let n = node; n; n = n.childForFieldName('declarator')) {
		if (n.type === 'identifier') return n;
	}
	return undefined;
}

const MACRO_IDENT_RE = /(->|\.)?\s*\b([A-Za-z_]\w*)\b(\s*\()?/g;

function macroBody(text: string, params: Set<string>): { calls: string[]; references: string[] } {
	const calls = new Set<string>();
	const references = new Set<string>();
	const code = text.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/\/\*[\s\S]*?\*\//g, ' ');
	for (const m of code.matchAll(MACRO_IDENT_RE)) {
		if (m[1] || params.has(m[2]) || /^\d/.test(m[2])) continue;
		(m[3] ? calls : references).add(m[2]);
	}
	return { calls: [...calls], references: [...references] };
}

/** Where a declared name's nearest declaring construct makes it a local of the function. */
const LOCAL_DECLARATIONS = new Set(['parameter_declaration', 'declaration']);
/** Constructs that declare something else than a local (a prototype, a member, a type). */
const NON_LOCAL_DECLARATIONS = new Set(['function_declarator', 'field_declaration', 'type_definition']);
const OPAQUE = new Set(['comment', 'string_literal', 'char_literal', 'system_lib_string', 'preproc_include']);

/** Whether an identifier under `parentType` (in field `field`) declares rather than uses. */
function declares(parentType: string, field: string | null): boolean {
	if (!DECLARATOR_PARENTS.has(parentType)) return false;
	// `int x = foo;`, `int a[N];`, `A = B`: the value, size and enumerator value are uses.
	if (parentType === 'init_declarator' || parentType === 'enumerator') return field !== 'value';
	if (parentType === 'array_declarator') return field !== 'size';
	return true;
}

/** What one top-level node (a function, a declaration, a macro) contributes. */
interface Fragment {
	/** 0-based line the node starts on when the fragment was made; positions are absolute. */
	line: number;
	uses: SymbolUse[];
	functions: FunctionDef[];
	macros: MacroDef[];
	opsTables: OpsTable[];
}

/**
 * The fragments of a document's last extraction, by top-level node text. An edit changes
 * one function, typically; every other top-level node is found here unchanged (maybe moved
 * down or up) and is not walked again.
 */
export class FactsCache {
	fragments = new Map<string, Fragment>();
}

const shiftRange = (r: Range, by: number): Range => ({
	start: { line: r.start.line + by, character: r.start.character },
	end: { line: r.end.line + by, character: r.end.character },
});

function shift(f: Fragment, line: number): Fragment {
	const by = line - f.line;
	if (by === 0) return f;
	return {
		line,
		uses: f.uses.map((u) => ({ ...u, range: shiftRange(u.range, by) })),
		functions: f.functions.map((d) => ({ ...d, range: shiftRange(d.range, by), extent: shiftRange(d.extent, by) })),
		macros: f.macros.map((m) => ({ ...m, range: shiftRange(m.range, by) })),
		opsTables: f.opsTables.map((t) => ({ ...t, entries: t.entries.map((e) => ({ ...e, range: shiftRange(e.range, by) })) })),
	};
}

/**
 * The facts of a document. With the document's `cache`, top-level nodes whose text did not
 * change since the last call are taken from it instead of being walked again.
 */
export function extractFacts(tree: Tree, text: string, version: KernelVersion | undefined, cache?: FactsCache): DocumentFacts {
	const facts: DocumentFacts = {
		uses: [],
		opsTables: [],
		functions: new Map(),
		macros: new Map(),
		meta: scanFile(text),
		dead: deadSpans(text, version),
	};
	const direct: SymbolUse[] = [];
	const fragments = new Map<string, Fragment>();
	const cursor = tree.walk();
	if (cursor.gotoFirstChild()) {
		do {
			const start = cursor.startPosition;
			const key = `${start.column}\0${cursor.nodeType}\0${text.slice(cursor.startIndex, cursor.endIndex)}`;
			const known = cache?.fragments.get(key) ?? fragments.get(key);
			const fragment = known ? shift(known, start.row) : walkTopLevel(cursor, text, start.row);
			fragments.set(key, fragment);
			direct.push(...fragment.uses);
			for (const d of fragment.functions) facts.functions.set(d.name, d);
			for (const m of fragment.macros) facts.macros.set(m.name, m);
			facts.opsTables.push(...fragment.opsTables);
		} while (cursor.gotoNextSibling());
	}
	cursor.delete();
	if (cache) cache.fragments = fragments;
	finish(facts, direct);
	return facts;
}

/**
 * One pre-order walk of the top-level node under `cursor` (which is left on it). Node
 * objects cost a marshalling round trip into wasm each, so they are made only for the few
 * nodes that need one (definitions, macros, ops tables); identifiers are read off the
 * cursor (type, field, offsets) and sliced from the text.
 */
function walkTopLevel(cursor: TreeCursor, text: string, line: number): Fragment {
	const fragment: Fragment = { line, uses: [], functions: [], macros: [], opsTables: [] };
	// Ops tables may sit inside #ifdef blocks: query every top-level node, not only declarations.
	fragment.opsTables = opsTables(cursor.currentNode);
	/** Types of the current node's ancestors, innermost last. */
	const ancestors: string[] = ['translation_unit'];
	/** The function being walked: its end and the names it declares (parameters, locals). */
	let scope: { end: number; names: Set<string> } | undefined;
	/** An identifier just recorded as a reference, which a following `(` makes a call. */
	let pending: { use: SymbolUse; depth: number } | undefined;

	const visit = (): boolean => {
		const type = cursor.nodeType;
		const depth = ancestors.length;
		if (pending && pending.depth >= depth) {
			if (pending.depth === depth && (type === '(' || type === 'argument_list')) pending.use.kind = 'call';
			pending = undefined;
		}
		if (OPAQUE.has(type)) return false;
		if (scope && cursor.startIndex >= scope.end) scope = undefined;
		switch (type) {
			case 'function_definition': {
				const node = cursor.currentNode;
				const name = declaredName(node.childForFieldName('declarator'));
				if (name) {
					const isStatic = node.children.some((c) => c?.type === 'storage_class_specifier' && c.text === 'static');
					fragment.functions.push({ name: name.text, isStatic, range: nodeRange(name), extent: nodeRange(node) });
				}
				scope = { end: node.endIndex, names: new Set() };
				return true;
			}
			case 'preproc_def':
			case 'preproc_function_def': {
				const node = cursor.currentNode;
				const name = node.childForFieldName('name');
				const value = node.childForFieldName('value');
				if (name) {
					const params = new Set((node.childForFieldName('parameters')?.namedChildren ?? []).flatMap((p) => (p ? [p.text] : [])));
					fragment.macros.push({ name: name.text, range: nodeRange(name), ...macroBody(value?.text ?? '', params) });
				}
				return false;
			}
			case 'identifier': {
				const parent = ancestors[depth - 1];
				const field = cursor.currentFieldName;
				const name = text.slice(cursor.startIndex, cursor.endIndex);
				if (declares(parent, field)) {
					if (scope) {
						// A parameter or local shadows a kernel symbol of the same name from here on.
						for (let i = depth - 1; i >= 0; i--) {
							if (LOCAL_DECLARATIONS.has(ancestors[i])) {
								scope.names.add(name);
								break;
							}
							if (NON_LOCAL_DECLARATIONS.has(ancestors[i]) && !(ancestors[i] === 'function_declarator' && ancestors[i - 1] === 'parameter_declaration')) break;
						}
					}
					return false;
				}
				if (scope?.names.has(name)) return false;
				const start = cursor.startPosition;
				const use: SymbolUse = {
					name,
					kind: parent === 'call_expression' && field === 'function' ? 'call' : 'reference',
					range: { start: { line: start.row, character: start.column }, end: { line: start.row, character: start.column + name.length } },
				};
				fragment.uses.push(use);
				if (use.kind === 'reference') pending = { use, depth };
				return false;
			}
		}
		return true;
	};

	// Iterative pre-order walk (kernel code nests deeply), ending back on the top-level node.
	const top = ancestors.length;
	for (;;) {
		const descend = visit();
		if (descend) {
			const type = cursor.nodeType;
			if (cursor.gotoFirstChild()) {
				ancestors.push(type);
				continue;
			}
		}
		for (;;) {
			if (ancestors.length === top) return fragment;
			if (cursor.gotoNextSibling()) break;
			cursor.gotoParent();
			ancestors.pop();
		}
	}
}

function opsTables(declaration: SyntaxNode): OpsTable[] {
	const tables = new Map<number, OpsTable>();
	for (const match of query('ops-tables').matches(declaration)) {
		const get = (name: string) => match.captures.find((c) => c.name === name)?.node;
		const [struct, variable, field, value] = ['struct', 'variable', 'field', 'value'].map(get);
		const name = variable && declaredName(variable);
		if (!struct || !name || !field || !value) continue;
		const key = name.startIndex;
		let table = tables.get(key);
		if (!table) {
			table = { struct: struct.text, variable: name.text, entries: [] };
			tables.set(key, table);
		}
		// `.page_free = drv_page_free` and `.page_free = &drv_page_free` both name the function.
		const target = value.type === 'pointer_expression' ? value.childForFieldName('argument') : value;
		table.entries.push({
			field: field.text,
			name: target?.type === 'identifier' ? target.text : undefined,
			range: nodeRange(value),
		});
	}
	return [...tables.values()];
}

/** Drops dead uses and expands uses of the document's own macros into the names they reach. */
function finish(facts: DocumentFacts, direct: SymbolUse[]): void {
	const live = direct.filter((u) => !isDead(facts.dead, u.range.start.line));
	for (const use of live) {
		facts.uses.push(use);
		if (!facts.macros.has(use.name)) continue;
		const seen = new Set<string>([use.name]);
		const expand = (macro: string) => {
			const def = facts.macros.get(macro);
			if (!def) return;
			for (const [names, kind] of [
				[def.calls, 'call'],
				[def.references, 'reference'],
			] as const) {
				for (const name of names) {
					if (seen.has(name)) continue;
					seen.add(name);
					facts.uses.push({ name, kind, range: use.range, viaMacro: use.name });
					expand(name);
				}
			}
		};
		expand(use.name);
	}
}
