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
import { blankNonCode, LineMap } from '../lex';
import type { KernelVersion } from '../version';
import type { Range } from '../types';
import { deadSpans, isDead, type BuildEnv, type LineSpan } from './conditionals';
import { recordShape, type RecordShape } from './records';
import { analyzeBody, Line } from './folding';
import { release, type SyntaxNode, type Tree, type TreeCursor } from './parser';

export interface SymbolUse {
	name: string;
	kind: 'call' | 'reference';
	/** Where the name is written; for a use inside a macro, the macro's invocation. */
	range: Range;
	/** The module-local macro whose expansion holds this use. */
	viaMacro?: string;
	/**
	 * A macro's name inside its own expansion (`#define f(a) f(a)`): cpp does not expand it
	 * again, so it names the function (or variable) f, not the macro.
	 */
	painted?: true;
	/**
	 * The name called with the innermost argument list that holds this use (`b` in
	 * `max(a, b)`: max). When that name is a macro, a reference in its arguments may be a
	 * piece it pastes or stringifies (`LOOP_ATTR_RO(backing_file)`), not a use.
	 */
	inArgsOf?: string;
	/** Which argument of `inArgsOf` (0-based) holds the use. */
	argIndex?: number;
}

/** An `#include` of the document, as written. */
export interface IncludeUse {
	path: string;
	/** `"path"` (looked up next to the file first) rather than `<path>`. */
	quoted: boolean;
	/** 0-based line of the `#include`. */
	line: number;
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
	/** The string of an object-like macro whose body is one string literal (`#define DRV_LICENSE "GPL"`). */
	value?: string;
	/** A function-like macro's parameters (a variadic one as written: `...` or `args...`). */
	params?: string[];
	/** The replacement text, continuations joined. */
	body: string;
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
	includes: IncludeUse[];
	/** Variables the document defines at file scope (`static int pcm[MAX_CARDS];`, not `extern`). */
	variables: Set<string>;
	/** The structs and unions it defines (with a body) on live lines, by tag: they shadow the kernel's. */
	records: Map<string, RecordShape>;
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

/** `(a, b, args...)` → ['a', 'b', 'args...']. */
export function macroParams(text: string): string[] {
	return text
		.replace(/^\s*\(|\)\s*$/g, '')
		.split(',')
		.map((p) => p.trim())
		.filter(Boolean);
}

/** The name a parameter is used by in the body: `__VA_ARGS__` for `...`, `args` for `args...`. */
export function paramName(param: string): string {
	return param === '...' ? '__VA_ARGS__' : param.replace(/\.\.\.$/, '');
}

/** The names a macro body calls (`name(`) and mentions otherwise, its parameters excluded. */
export function macroBody(text: string, params: ReadonlySet<string>): { calls: string[]; references: string[] } {
	const calls = new Set<string>();
	const references = new Set<string>();
	const code = text
		.replace(/"(?:[^"\\]|\\.)*"/g, '""')
		.replace(/\/\*[\s\S]*?\*\//g, ' ')
		// Pieces glued with `##` and stringified `#x` are not names of their own.
		.replace(/\w*(?:\s*##\s*\w+)+|#\s*\w+/g, ' ');
	for (const m of code.matchAll(MACRO_IDENT_RE)) {
		if (m[1] || params.has(m[2]) || /^\d/.test(m[2]) || KEYWORDS.has(m[2])) continue;
		(m[3] ? calls : references).add(m[2]);
	}
	return { calls: [...calls], references: [...references] };
}

/** Where a declared name's nearest declaring construct makes it a local of the function. */
const LOCAL_DECLARATIONS = new Set(['parameter_declaration', 'declaration']);
/** Constructs that declare something else than a local (a prototype, a member, a type). */
const NON_LOCAL_DECLARATIONS = new Set(['function_declarator', 'field_declaration', 'type_definition']);
const OPAQUE = new Set([
	'comment',
	'string_literal',
	'char_literal',
	'system_lib_string',
	'preproc_include',
	// `__attribute__((unused))`, `__declspec(x)`, `asm("..." : : "r"(x))` name no symbol.
	'attribute_specifier',
	'ms_declspec_modifier',
	'gnu_asm_expression',
]);

/**
 * C and GNU keywords. Inside ERROR nodes tree-sitter may leave them as identifiers
 * (`for (` after an unknown iterator macro); they never name a symbol.
 */
const KEYWORDS = new Set(
	(
		'auto break case char const continue default do double else enum extern float for goto if inline int long register ' +
		'restrict return short signed sizeof static struct switch typedef union unsigned void volatile while _Bool _Alignas ' +
		'_Alignof _Atomic _Generic _Noreturn _Static_assert _Thread_local asm __asm__ __asm typeof __typeof__ __typeof ' +
		'__attribute__ __attribute __extension__ __inline __inline__ __restrict __restrict__ __volatile__ __volatile ' +
		'__alignof__ __builtin_offsetof __builtin_types_compatible_p __label__ __auto_type __int128 __signed__ __const'
	).split(' '),
);

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
	includes: IncludeUse[];
	variables: string[];
	records: { name: string; line: number; shape: RecordShape }[];
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
		includes: f.includes.map((i) => ({ ...i, line: i.line + by })),
		variables: f.variables,
		records: f.records.map((r) => ({ ...r, line: r.line + by })),
	};
}

/**
 * The facts of a document. With the document's `cache`, top-level nodes whose text did not
 * change since the last call are taken from it instead of being walked again. With `env` (the
 * index's .config, the names some file defines), code this build leaves out is dead too.
 */
export function extractFacts(tree: Tree, text: string, version: KernelVersion | undefined, cache?: FactsCache, env?: BuildEnv): DocumentFacts {
	const facts: DocumentFacts = {
		uses: [],
		opsTables: [],
		functions: new Map(),
		macros: new Map(),
		meta: scanFile(text),
		dead: deadSpans(text, version, env),
		includes: [],
		variables: new Set(),
		records: new Map(),
	};
	// cpp drops a MODULE_LICENSE or MODULE_IMPORT_NS on a compiled-out line (`#if
	// LINUX_VERSION_CODE < KERNEL_VERSION(6, 0, 0)` around an import): modpost never sees it.
	if (facts.dead.length > 0) {
		const live = (site: { range: { start: { line: number } } }) => !isDead(facts.dead, site.range.start.line);
		facts.meta = { ...facts.meta, licenses: facts.meta.licenses.filter(live), imports: facts.meta.imports.filter(live) };
	}
	const direct: SymbolUse[] = [];
	const fragments = new Map<string, Fragment>();
	const cursor = tree.walk();
	try {
		if (cursor.gotoFirstChild()) {
			do {
				const start = cursor.startPosition;
				const key = `${start.column}\0${cursor.nodeType}\0${text.slice(cursor.startIndex, cursor.endIndex)}`;
				const known = cache?.fragments.get(key) ?? fragments.get(key);
				const fragment = known ? shift(known, start.row) : walkTopLevel(cursor, text, start.row);
				fragments.set(key, fragment);
				for (const u of fragment.uses) direct.push(u);
				for (const i of fragment.includes) facts.includes.push(i);
				for (const v of fragment.variables) facts.variables.add(v);
				for (const d of fragment.functions) facts.functions.set(d.name, d);
				// A #define on a compiled-out line defines nothing (rtlwifi's debug macros without
				// CONFIG_RTLWIFI_DEBUG); the live one of the same name is the macro.
				for (const m of fragment.macros) if (!isDead(facts.dead, m.range.start.line)) facts.macros.set(m.name, m);
				for (const t of fragment.opsTables) facts.opsTables.push(t);
				for (const r of fragment.records) if (!isDead(facts.dead, r.line) && !facts.records.has(r.name)) facts.records.set(r.name, r.shape);
			} while (cursor.gotoNextSibling());
		}
	} finally {
		// Also when wasm fails in the walk: a cursor left to its finalizer would call into a dead runtime.
		release(cursor);
	}
	if (cache) cache.fragments = fragments;
	finish(facts, env?.config ? compiledOnly(facts, direct, text, version, env) : direct);
	return facts;
}

/**
 * One pre-order walk of the top-level node under `cursor` (which is left on it). Node
 * objects cost a marshalling round trip into wasm each, so they are made only for the few
 * nodes that need one (definitions, macros, ops tables); identifiers are read off the
 * cursor (type, field, offsets) and sliced from the text.
 */
function walkTopLevel(cursor: TreeCursor, text: string, line: number): Fragment {
	const fragment: Fragment = { line, uses: [], functions: [], macros: [], opsTables: [], includes: [], variables: [], records: [] };
	/** The file-scope declaration being walked, and whether it is `extern` (declares, defines nothing). */
	let declaration: { end: number; extern: boolean } | undefined;
	/** Ops tables by the offset of their variable's name: one per variable, its entries in order. */
	const tables = new Map<number, OpsTable>();
	/** Types of the current node's ancestors, innermost last. */
	const ancestors: string[] = ['translation_unit'];
	/** The function being walked: its end and the names it declares (parameters, locals). */
	let scope: { end: number; names: Set<string> } | undefined;
	/** An identifier just recorded as a reference, which a following `(` makes a call. */
	let pending: { use: SymbolUse; depth: number } | undefined;
	/** The called name of the last call_expression's function, at its depth. */
	let callee: { name: string; depth: number } | undefined;
	/**
	 * Open argument lists, innermost last: an argument_list node (ends at `end`), or in an
	 * ERROR node a `(` token that the `)` at the same depth closes (`name` undefined for a
	 * plain parenthesis).
	 */
	const args: { name?: string; end?: number; depth: number; index: number }[] = [];
	const inArgsOf = () => {
		for (let i = args.length - 1; i >= 0; i--) if (args[i].name !== undefined) return args[i];
		return undefined;
	};

	/** The type of the node visited last: `struct` before a name makes it a tag. */
	let previous = '';
	const visit = (): boolean => {
		const type = cursor.nodeType;
		const depth = ancestors.length;
		const after = previous;
		// An ERROR node may wrap either the `struct` or the tag after it: look through it.
		if (type !== 'ERROR') previous = type;
		for (let top = args[args.length - 1]; top; top = args[args.length - 1]) {
			if (top.end !== undefined ? cursor.startIndex >= top.end : top.depth > depth) args.pop();
			else break;
		}
		let opened: string | undefined;
		if (pending && pending.depth >= depth) {
			if (pending.depth === depth && (type === '(' || type === 'argument_list')) {
				pending.use.kind = 'call';
				opened = pending.use.name;
			}
			pending = undefined;
		}
		const top = args[args.length - 1];
		if (type === 'argument_list') {
			if (callee?.depth === depth) opened = callee.name;
			args.push({ name: opened, end: cursor.endIndex, depth, index: 0 });
			callee = undefined;
		} else if (ancestors[depth - 1] === 'ERROR' && (type === '(' || type === ')' || type === ',')) {
			// Parentheses inside an ERROR node are flat tokens: track them to know the arguments.
			if (type === '(') args.push({ name: opened, depth, index: 0 });
			else if (top && top.end === undefined && top.depth === depth) {
				if (type === ')') args.pop();
				else top.index++;
			}
		} else if (type === ',' && top?.end !== undefined && top.depth === depth - 1 && ancestors[depth - 1] === 'argument_list') {
			top.index++;
		}
		if (type === 'preproc_include') {
			const path = cursor.currentNode.childForFieldName('path');
			if (path) fragment.includes.push({ path: path.text.slice(1, -1), quoted: path.type === 'string_literal', line: cursor.startPosition.row });
			return false;
		}
		if (OPAQUE.has(type)) return false;
		if (scope && cursor.startIndex >= scope.end) scope = undefined;
		if (declaration && cursor.startIndex >= declaration.end) declaration = undefined;
		switch (type) {
			case 'field_declaration_list': {
				const parent = ancestors[depth - 1];
				if (parent === 'struct_specifier' || parent === 'union_specifier') {
					const body = cursor.currentNode;
					const name = body.parent?.childForFieldName('name');
					if (name) fragment.records.push({ name: name.text, line: name.startPosition.row, shape: recordShape(body) });
				}
				return true;
			}
			case 'initializer_list': {
				// Found where the walk meets them, so under any number of #if levels (as the
				// lexical kernel/opsscan.ts, which blanks directives); only a declaration's own
				// initializer is a table, so no deep expression costs a node object.
				if (cursor.currentFieldName === 'value' && ancestors[depth - 1] === 'init_declarator' && ancestors[depth - 2] === 'declaration') {
					addOpsEntries(tables, cursor.currentNode);
				}
				return true;
			}
			case 'declaration': {
				if (!scope && !declaration) {
					const node = cursor.currentNode;
					const extern = node.children.some((c) => c?.type === 'storage_class_specifier' && c.text === 'extern');
					declaration = { end: node.endIndex, extern };
				}
				return true;
			}
			case 'function_definition': {
				// `for_each_pcm_streams(stream) {` inside a function parses as a nested
				// definition: it is the enclosing function's code, with its locals in scope.
				if (scope && cursor.startIndex < scope.end) return true;
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
					const paramsNode = node.childForFieldName('parameters');
					const list = paramsNode ? macroParams(paramsNode.text) : undefined;
					const body = (value?.text ?? '').replace(/\\\r?\n/g, ' ');
					const params = new Set(list?.map(paramName));
					const def: MacroDef = { name: name.text, range: nodeRange(name), ...macroBody(body, params), body };
					if (list) def.params = list;
					const literal = type === 'preproc_def' && value ? /^\s*"((?:[^"\\\n]|\\.)*)"\s*$/.exec(value.text) : null;
					if (literal) def.value = literal[1];
					fragment.macros.push(def);
				}
				return false;
			}
			case 'identifier': {
				const parent = ancestors[depth - 1];
				const field = cursor.currentFieldName;
				const name = text.slice(cursor.startIndex, cursor.endIndex);
				// `container_of(p, struct iomap_iter, iomap)` leaves `struct` as an identifier in an
				// ERROR node: the name after it is a tag, not a use.
				if (name === 'struct' || name === 'union' || name === 'enum') previous = 'struct';
				if (KEYWORDS.has(name) || after === 'struct' || after === 'union' || after === 'enum') return false;
				if (declares(parent, field)) {
					if (!scope && declaration && !declaration.extern && !ancestors.includes('function_declarator') && !ancestors.includes('parameter_declaration')) {
						fragment.variables.push(name);
					}
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
				const isCall = parent === 'call_expression' && field === 'function';
				const use: SymbolUse = {
					name,
					kind: isCall ? 'call' : 'reference',
					range: { start: { line: start.row, character: start.column }, end: { line: start.row, character: start.column + name.length } },
				};
				const within = inArgsOf();
				if (within?.name !== undefined) {
					use.inArgsOf = within.name;
					use.argIndex = within.index;
				}
				if (isCall) callee = { name, depth };
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
			if (ancestors.length === top) {
				fragment.opsTables = [...tables.values()];
				return fragment;
			}
			if (cursor.gotoNextSibling()) break;
			cursor.gotoParent();
			ancestors.pop();
		}
	}
}

/**
 * The entries of `list`, the initializer of a declarator, when the declaration is of a named
 * struct type: `.field = value` pairs (`.page_free = &drv_page_free` names the function too).
 */
function addOpsEntries(tables: Map<number, OpsTable>, list: SyntaxNode): void {
	const declarator = list.parent;
	const struct = declarator?.parent?.childForFieldName('type');
	const tag = struct?.type === 'struct_specifier' ? struct.childForFieldName('name') : null;
	const name = declaredName(declarator?.childForFieldName('declarator') ?? null);
	if (!tag || !name) return;
	let table = tables.get(name.startIndex);
	for (const pair of list.namedChildren) {
		if (pair?.type !== 'initializer_pair') continue;
		const value = pair.childForFieldName('value');
		// `.driver.pm = &x` is an entry of `driver`, the table's own member.
		const designator = pair.childForFieldName('designator');
		const field = designator?.type === 'field_designator' ? designator.namedChildren.find((c) => c?.type === 'field_identifier') : undefined;
		if (!value || !field) continue;
		if (!table) {
			table = { struct: tag.text, variable: name.text, entries: [] };
			tables.set(name.startIndex, table);
		}
		const target = value.type === 'pointer_expression' ? value.childForFieldName('argument') : value;
		table.entries.push({ field: field.text, name: target?.type === 'identifier' ? target.text : undefined, range: nodeRange(value) });
	}
}

/** Conditions the compiler folds with a .config: only bodies that test one are analyzed. */
const FOLDABLE_RE = /\b(IS_ENABLED|IS_BUILTIN|IS_MODULE|IS_REACHABLE)\s*\(/;

/**
 * The uses the compiler keeps, as far as a .config decides: not in a branch of `if
 * (IS_ENABLED(CONFIG_X))` whose option is off (syntax/folding.ts), and not in a static
 * function that only those branches referenced (GCC drops it, so modpost never sees what it
 * calls: softdog's pretimeout handler without its option).
 */
function compiledOnly(facts: DocumentFacts, uses: SymbolUse[], text: string, version: KernelVersion | undefined, env: BuildEnv): SymbolUse[] {
	let code: string | undefined;
	const lines = new LineMap(text);
	const offsetOf = (line: number, character: number): number => lines.offset({ line, character });
	const within = (u: SymbolUse, extent: Range) =>
		(u.range.start.line > extent.start.line || (u.range.start.line === extent.start.line && u.range.start.character >= extent.start.character)) &&
		(u.range.start.line < extent.end.line || (u.range.start.line === extent.end.line && u.range.start.character < extent.end.character));
	let kept = uses;
	for (const def of facts.functions.values()) {
		const from = offsetOf(def.extent.start.line, def.extent.start.character);
		const to = offsetOf(def.extent.end.line, def.extent.end.character);
		if (!FOLDABLE_RE.test(text.slice(from, to))) continue;
		code ??= blankNonCode(text);
		const body = analyzeBody(code, offsetOf(def.range.start.line, def.range.start.character), version, env);
		if (!body) continue;
		kept = kept.filter((u) => !within(u, def.extent) || body.state(offsetOf(u.range.start.line, u.range.start.character)) !== Line.Dead);
	}
	// Static functions that were named outside themselves only in dropped code; dropping one
	// may orphan another. One never named at all stays: a macro may paste its name
	// (DEVICE_ATTR_RO(foo) references foo_show).
	const named = (list: SymbolUse[], def: FunctionDef) => list.some((u) => u.name === def.name && !within(u, def.extent));
	const dropped = new Set<string>();
	for (let changed = kept !== uses; changed; ) {
		changed = false;
		for (const def of facts.functions.values()) {
			if (!def.isStatic || dropped.has(def.name) || !named(uses, def)) continue;
			if (named(kept, def)) continue;
			dropped.add(def.name);
			kept = kept.filter((u) => !within(u, def.extent));
			changed = true;
		}
	}
	return kept;
}

/** Drops dead uses and expands uses of the document's own macros into the names they reach. */
function finish(facts: DocumentFacts, direct: SymbolUse[]): void {
	const live = direct.filter((u) => !isDead(facts.dead, u.range.start.line));
	const memo = new Map<string, MacroReach>();
	for (const use of live) {
		facts.uses.push(use);
		if (facts.macros.has(use.name)) for (const reached of expandMacro((n) => facts.macros.get(n), use, memo)) facts.uses.push(reached);
	}
}

/** What a macro reaches, the same for every use of it (`expandMacro` adds the use's place). */
export type MacroReach = readonly { name: string; kind: 'call' | 'reference'; painted?: true }[];

/** Macros one expansion may go through: far beyond kernel chains (tens), short of hostile ones. */
const MAX_MACRO_EXPANSIONS = 1 << 16;

/**
 * The names a use of a macro reaches through its body and the macros it names in turn,
 * each once, as uses at the macro's invocation. The macros passed through are not listed
 * (they are the document's or module's own, never linked); a macro named inside its own
 * expansion stays that name (`painted`). Iterative: kernel code chains macros deep. `memo`
 * keeps each macro's reach for the other uses of one document: a chain used many times is
 * walked once.
 */
export function expandMacro(lookup: (name: string) => MacroDef | undefined, use: SymbolUse, memo?: Map<string, MacroReach>): SymbolUse[] {
	let reach = memo?.get(use.name);
	if (!reach) {
		reach = macroReach(lookup, use.name);
		memo?.set(use.name, reach);
	}
	return reach.map((r) => (r.painted ? { ...r, range: use.range, viaMacro: use.name } : { name: r.name, kind: r.kind, range: use.range, viaMacro: use.name }));
}

function macroReach(lookup: (name: string) => MacroDef | undefined, root: string): MacroReach {
	const out: { name: string; kind: 'call' | 'reference'; painted?: true }[] = [];
	const seen = new Set<string>([root]);
	const painted = new Set<string>();
	/** Each expansion with the one it is inside, for cpp's rule on names being expanded. */
	interface Expansion {
		name: string;
		outer?: Expansion;
	}
	const inside = (name: string, at: Expansion | undefined): boolean => {
		for (let e = at; e; e = e.outer) if (e.name === name) return true;
		return false;
	};
	const stack: Expansion[] = [{ name: root }];
	for (let expanded = 0; stack.length > 0 && expanded < MAX_MACRO_EXPANSIONS; expanded++) {
		const at = stack.pop() as Expansion;
		const def = lookup(at.name);
		if (!def) continue;
		for (const [names, kind] of [
			[def.calls, 'call'],
			[def.references, 'reference'],
		] as const) {
			for (const name of names) {
				if (!seen.has(name)) {
					seen.add(name);
					if (lookup(name)) stack.push({ name, outer: at });
					else out.push({ name, kind });
				} else if (!painted.has(name) && lookup(name) && inside(name, at)) {
					painted.add(name);
					out.push({ name, kind, painted: true });
				}
			}
		}
	}
	return out;
}
