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
import { query, type SyntaxNode, type Tree } from './parser';

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

function isDeclarationSite(node: SyntaxNode, parent: SyntaxNode): boolean {
	if (!DECLARATOR_PARENTS.has(parent.type)) return false;
	// `int x = foo;` — foo is the init_declarator's value, a use.
	if (parent.type === 'init_declarator') return parent.childForFieldName('value')?.id !== node.id;
	if (parent.type === 'array_declarator') return parent.childForFieldName('size')?.id !== node.id;
	if (parent.type === 'enumerator') return parent.childForFieldName('value')?.id !== node.id;
	return true;
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

/** Names declared inside a function (parameters and locals), which shadow global ones. */
function localNames(fn: SyntaxNode): Set<string> {
	const names = new Set<string>();
	for (const decl of fn.descendantsOfType(['parameter_declaration', 'declaration'])) {
		if (!decl) continue;
		if (decl.type === 'declaration' && decl.descendantsOfType('function_declarator').length > 0) continue;
		for (const child of decl.namedChildren) {
			if (!child) continue;
			const id = declaredName(child);
			if (id) names.add(id.text);
		}
	}
	return names;
}

export function extractFacts(tree: Tree, text: string, version: KernelVersion | undefined): DocumentFacts {
	const facts: DocumentFacts = {
		uses: [],
		opsTables: opsTables(tree),
		functions: new Map(),
		macros: new Map(),
		meta: scanFile(text),
		dead: deadSpans(text, version),
	};
	const direct: SymbolUse[] = [];
	const scopes: { end: number; names: Set<string> }[] = [];

	const cursor = tree.walk();
	const visit = (node: SyntaxNode) => {
		switch (node.type) {
			case 'function_definition': {
				const name = declaredName(node.childForFieldName('declarator'));
				if (name) {
					const isStatic = node.children.some((c) => c?.type === 'storage_class_specifier' && c.text === 'static');
					facts.functions.set(name.text, {
						name: name.text,
						isStatic,
						range: nodeRange(name),
						extent: nodeRange(node),
					});
				}
				scopes.push({ end: node.endIndex, names: localNames(node) });
				break;
			}
			case 'preproc_def':
			case 'preproc_function_def': {
				const name = node.childForFieldName('name');
				const value = node.childForFieldName('value');
				if (name) {
					const params = new Set(
						(node.childForFieldName('parameters')?.namedChildren ?? []).flatMap((p) => (p ? [p.text] : [])),
					);
					facts.macros.set(name.text, {
						name: name.text,
						range: nodeRange(name),
						...macroBody(value?.text ?? '', params),
					});
				}
				return false;
			}
			case 'comment':
			case 'string_literal':
			case 'char_literal':
			case 'system_lib_string':
			case 'preproc_include':
				return false;
			case 'identifier': {
				const parent = node.parent;
				if (!parent || isDeclarationSite(node, parent)) break;
				while (scopes.length > 0 && scopes[scopes.length - 1].end <= node.startIndex) scopes.pop();
				if (scopes.some((s) => s.names.has(node.text))) break;
				let kind: SymbolUse['kind'] = 'reference';
				if (parent.type === 'call_expression' && parent.childForFieldName('function')?.id === node.id) kind = 'call';
				else if (node.nextSibling?.type === '(' || node.nextSibling?.type === 'argument_list') kind = 'call';
				direct.push({ name: node.text, kind, range: nodeRange(node) });
				break;
			}
		}
		return true;
	};

	// Iterative pre-order walk: kernel files nest deeply enough to make recursion costly.
	for (;;) {
		const descend = visit(cursor.currentNode);
		if (descend && cursor.gotoFirstChild()) continue;
		while (!cursor.gotoNextSibling()) {
			if (!cursor.gotoParent()) {
				cursor.delete();
				finish(facts, direct);
				return facts;
			}
		}
	}
}

function opsTables(tree: Tree): OpsTable[] {
	const tables = new Map<number, OpsTable>();
	for (const match of query('ops-tables').matches(tree.rootNode)) {
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
