/**
 * Declarations of the ZONE_DEVICE family as the indexed tree has them: structs, unions and
 * enums with their fields, enumerators (and values), macros, typedefs and function
 * prototypes, each with the tree's own comment. Read on demand from a handful of headers
 * with tree-sitter and cached per file (mtime and size), so a hover costs a stat, not a
 * parse; the tree is never walked as a whole.
 *
 * Definitions of exported symbols in .c files are found lexically instead (see
 * `sourceDefinition`): the export record names the file, and the definition is the
 * unindented line above the export that names the symbol.
 */
import { statSync } from 'node:fs';
import type { Language } from 'web-tree-sitter';
import { newParser, release } from '../syntax/parser';
import type { Location } from '../types';
import type { SyntaxNode } from '../syntax/parser';
import { prepareSource } from '../syntax/prepare';
import type { ExportRecord, KernelIndex } from '../kernel/index';
import { identityKey, readText } from '../read';

/** Headers that declare the family and the types its fields reach (struct page, range, resource). */
export const FAMILY_HEADERS: readonly string[] = [
	'include/linux/memremap.h',
	'include/linux/hmm.h',
	'include/linux/migrate.h',
	'include/linux/range.h',
	'include/linux/ioport.h',
	'include/linux/percpu-refcount.h',
	'include/linux/mm_types.h',
];

/** Record bodies longer than this are cut in hovers (struct page runs to hundreds of lines). */
const MAX_RECORD_LINES = 40;
/** The kernel's flexible-array member macro (include/linux/stddef.h, 5.16+): the member's name. */
const FLEX_ARRAY_RE = /^_*DECLARE_FLEX_ARRAY\s*\([^,]+,\s*(\w+)\s*\)/;
/** How far above its export a definition may start (long functions, kernel-doc). */
const MAX_DEFINITION_DISTANCE = 600;

export interface DeclSite {
	/** Relative to the tree root. */
	file: string;
	line: number;
	character: number;
	length: number;
}

export type TypeRef = { kind: 'struct' | 'union' | 'enum'; tag: string };

export interface FieldDecl {
	name: string;
	/** The declaration as written, e.g. `struct vmem_altmap altmap;`. */
	text: string;
	/** Trailing or preceding comment, else the record's kernel-doc `@name:` line. */
	comment?: string;
	/** The struct/union/enum the field is (or points to, or is an array of). */
	type?: TypeRef;
	/** Inside an anonymous struct or union of the record. */
	nested: boolean;
	site: DeclSite;
}

export interface EnumeratorDecl {
	name: string;
	enumName: string;
	/** Undefined when the value is an expression this reader does not evaluate. */
	value?: number;
	text: string;
	comment?: string;
	site: DeclSite;
}

export interface RecordDecl {
	kind: 'struct' | 'union' | 'enum';
	name: string;
	/** The definition as written, cut after MAX_RECORD_LINES lines. */
	text: string;
	comment?: string;
	site: DeclSite;
	fields: Map<string, FieldDecl>;
	enumerators: Map<string, EnumeratorDecl>;
}

export interface OtherDecl {
	kind: 'macro' | 'function' | 'prototype' | 'typedef';
	name: string;
	/** A macro's #define line; a function's signature (without its body). */
	text: string;
	comment?: string;
	site: DeclSite;
}

interface FileDecls {
	key: string;
	records: Map<string, RecordDecl>;
	enumerators: Map<string, EnumeratorDecl>;
	others: Map<string, OtherDecl[]>;
}

interface SourceLines {
	key: string;
	lines: string[];
}

export class KernelDecls {
	private readonly files = new Map<string, FileDecls | null>();
	private readonly sources = new Map<string, SourceLines | null>();
	constructor(
		readonly kernel: KernelIndex,
		readonly language: Language,
	) {}

	/** The struct, union or enum with this tag, from the first family header that defines it. */
	record(tag: string): RecordDecl | undefined {
		for (const file of FAMILY_HEADERS) {
			const found = this.file(file)?.records.get(tag);
			if (found) return found;
		}
		return undefined;
	}

	enumerator(name: string): EnumeratorDecl | undefined {
		for (const file of FAMILY_HEADERS) {
			const found = this.file(file)?.enumerators.get(name);
			if (found) return found;
		}
		return undefined;
	}

	/** Macros, typedefs, prototypes and inline definitions of a name, in header order. */
	declarations(name: string): OtherDecl[] {
		return FAMILY_HEADERS.flatMap((file) => this.file(file)?.others.get(name) ?? []);
	}

	/**
	 * Where an exported symbol is defined: the nearest unindented line above its export that
	 * names it (`void *devm_memremap_pages(struct device *dev, …)`, `DEFINE_STATIC_KEY_FALSE(x)`),
	 * with the signature up to its body. Undefined when the export is not under a definition.
	 */
	sourceDefinition(exp: ExportRecord): { site: DeclSite; signature: string } | undefined {
		const lines = this.sourceLines(exp.file);
		if (!lines) return undefined;
		const re = new RegExp(`\\b${exp.symbol}\\b`);
		const stop = Math.max(0, exp.line - MAX_DEFINITION_DISTANCE);
		for (let i = Math.min(exp.line - 1, lines.length - 1); i >= stop; i--) {
			const line = lines[i];
			if (!/^[A-Za-z_]/.test(line)) continue;
			const m = re.exec(line);
			if (!m || /^EXPORT_/.test(line)) continue;
			return {
				site: { file: exp.file, line: i, character: m.index, length: exp.symbol.length },
				signature: signatureFrom(lines, i),
			};
		}
		return undefined;
	}

	location(site: DeclSite): Location {
		return {
			file: this.kernel.absolutePath(site.file),
			range: {
				start: { line: site.line, character: site.character },
				end: { line: site.line, character: site.character + site.length },
			},
		};
	}

	private file(rel: string): FileDecls | undefined {
		const path = this.kernel.absolutePath(rel);
		let key: string;
		try {
			key = identityKey(statSync(path));
		} catch {
			this.files.set(rel, null);
			return undefined;
		}
		const cached = this.files.get(rel);
		if (cached && cached.key === key) return cached;
		const text = readText(path, 'source');
		if (text === undefined) return undefined;
		// A parser per header read (each is read once): none outlives a restart of the runtime.
		const parser = newParser(this.language);
		const tree = parser.parse(prepareSource(text));
		release(parser);
		if (!tree) return undefined;
		try {
			const decls = readDecls(rel, text, tree.rootNode);
			decls.key = key;
			this.files.set(rel, decls);
			return decls;
		} finally {
			tree.delete();
		}
	}

	private sourceLines(rel: string): string[] | undefined {
		const path = this.kernel.absolutePath(rel);
		try {
			const key = identityKey(statSync(path));
			const cached = this.sources.get(rel);
			if (cached && cached.key === key) return cached.lines;
			const lines = readText(path, 'source')?.split('\n');
			if (lines === undefined) return undefined;
			this.sources.set(rel, { key, lines });
			return lines;
		} catch {
			return undefined;
		}
	}
}

const perKernel = new WeakMap<KernelIndex, KernelDecls>();

/** The declaration reader of a kernel index, shared by every hover on it. */
export function kernelDecls(kernel: KernelIndex, language: Language): KernelDecls {
	let decls = perKernel.get(kernel);
	// A new language: the parser runtime was restarted after a failure.
	if (decls?.language !== language) {
		decls = new KernelDecls(kernel, language);
		perKernel.set(kernel, decls);
	}
	return decls;
}

/** A definition's head: from its first line until the parameter list closes. */
function signatureFrom(lines: string[], start: number): string {
	const out: string[] = [];
	let depth = 0;
	let opened = false;
	for (let i = start; i < lines.length && i < start + 8; i++) {
		const line = lines[i];
		out.push(line);
		for (const ch of line) {
			if (ch === '(') {
				depth++;
				opened = true;
			} else if (ch === ')') depth--;
		}
		if ((opened && depth <= 0) || line.includes(';')) break;
	}
	return out.join('\n').replace(/\s*\{\s*$/, '').trimEnd();
}

function site(rel: string, node: SyntaxNode): DeclSite {
	return {
		file: rel,
		line: node.startPosition.row,
		character: node.startPosition.column,
		length: node.endIndex - node.startIndex,
	};
}

/** A comment's words without its delimiters and leading stars. */
export function commentText(raw: string): string {
	return raw
		.replace(/^\/\*+|\*+\/$/g, '')
		.replace(/^\/\/\s?/, '')
		.split('\n')
		.map((l) => l.replace(/^\s*\*\s?/, '').trimEnd())
		.join('\n')
		.trim();
}

/** The kernel-doc paragraph of `@name:` (or a bare `NAME:` heading line) in a comment. */
function docFor(comment: string | undefined, name: string): string | undefined {
	if (!comment) return undefined;
	const lines = comment.split('\n');
	const head = lines.findIndex((l) => l.startsWith(`@${name}:`) || l.trim() === `${name}:`);
	if (head < 0) return undefined;
	const out = [lines[head].replace(new RegExp(`^@?${name}:\\s*`), '')];
	for (const l of lines.slice(head + 1)) {
		if (/^@\w+:/.test(l) || /^[A-Z_][A-Z0-9_]*:$/.test(l.trim()) || l.trim() === '') break;
		out.push(l.trim());
	}
	return out.join(' ').trim() || undefined;
}

/** The comment right before a node (ending on its line or the one above). */
function leadingComment(node: SyntaxNode): string | undefined {
	const prev = node.previousSibling;
	if (prev?.type !== 'comment' || prev.endPosition.row < node.startPosition.row - 1) return undefined;
	return commentText(prev.text);
}

/** A comment starting on the line where the node ends. */
function trailingComment(node: SyntaxNode): string | undefined {
	const next = node.nextSibling;
	if (next?.type !== 'comment' || next.startPosition.row !== node.endPosition.row) return undefined;
	return commentText(next.text);
}

function declaredIdentifier(node: SyntaxNode | null): SyntaxNode | undefined {
	// `(*name)` of a function-pointer member has no declarator field: step into the parentheses.
	for (let n = node; n; n = n.type === 'parenthesized_declarator' ? n.namedChild(0) : n.childForFieldName('declarator')) {
		if (n.type === 'identifier' || n.type === 'field_identifier' || n.type === 'type_identifier') return n;
	}
	return undefined;
}

function typeRef(typeNode: SyntaxNode | null): TypeRef | undefined {
	if (!typeNode) return undefined;
	const kind = typeNode.type === 'struct_specifier' ? 'struct' : typeNode.type === 'union_specifier' ? 'union' : typeNode.type === 'enum_specifier' ? 'enum' : undefined;
	const name = typeNode.childForFieldName('name');
	return kind && name ? { kind, tag: name.text } : undefined;
}

function readDecls(rel: string, text: string, root: SyntaxNode): FileDecls {
	const decls: FileDecls = { key: '', records: new Map(), enumerators: new Map(), others: new Map() };
	const slice = (n: SyntaxNode) => text.slice(n.startIndex, n.endIndex);
	const addOther = (d: OtherDecl) => {
		const list = decls.others.get(d.name);
		if (list) list.push(d);
		else decls.others.set(d.name, [d]);
	};
	const specifiers = root.descendantsOfType(['struct_specifier', 'union_specifier', 'enum_specifier']);
	for (const spec of specifiers) {
		const name = spec?.childForFieldName('name');
		const body = spec?.childForFieldName('body');
		if (!spec || !name || !body || decls.records.has(name.text)) continue;
		const kind = spec.type === 'struct_specifier' ? 'struct' : spec.type === 'union_specifier' ? 'union' : 'enum';
		// The kernel-doc sits before the statement that holds the specifier.
		const holder = spec.parent?.type === 'translation_unit' || spec.parent?.type.startsWith('preproc_') ? spec : spec.parent ?? spec;
		const comment = leadingComment(holder);
		const lines = slice(spec).split('\n');
		const record: RecordDecl = {
			kind,
			name: name.text,
			text: (lines.length > MAX_RECORD_LINES ? [...lines.slice(0, MAX_RECORD_LINES), '\t/* … */'] : lines).join('\n') + ';',
			comment,
			site: site(rel, name),
			fields: new Map(),
			enumerators: new Map(),
		};
		if (kind === 'enum') readEnumerators(rel, record, body, slice);
		else readFields(rel, record, body, slice, false);
		decls.records.set(name.text, record);
		for (const e of record.enumerators.values()) decls.enumerators.set(e.name, e);
	}
	for (const node of root.descendantsOfType(['preproc_def', 'preproc_function_def'])) {
		const name = node?.childForFieldName('name');
		if (!node || !name) continue;
		addOther({ kind: 'macro', name: name.text, text: slice(node).trimEnd(), comment: leadingComment(node), site: site(rel, name) });
	}
	for (const node of root.descendantsOfType(['declaration', 'function_definition', 'type_definition'])) {
		if (!node) continue;
		const declarator = node.childForFieldName('declarator');
		const id = declaredIdentifier(declarator);
		if (!id) continue;
		if (node.type === 'type_definition') {
			addOther({ kind: 'typedef', name: id.text, text: slice(node), comment: leadingComment(node), site: site(rel, id) });
			continue;
		}
		if (!declarator?.descendantsOfType('function_declarator').length && declarator?.type !== 'function_declarator') continue;
		const body = node.childForFieldName('body');
		const head = body ? text.slice(node.startIndex, body.startIndex).trimEnd() : slice(node);
		addOther({
			kind: body ? 'function' : 'prototype',
			name: id.text,
			text: head,
			comment: leadingComment(node),
			site: site(rel, id),
		});
	}
	return decls;
}

function readFields(
	rel: string,
	record: RecordDecl,
	body: SyntaxNode,
	slice: (n: SyntaxNode) => string,
	nested: boolean,
): void {
	for (const child of body.namedChildren) {
		// Members under `#ifdef CONFIG_…` are members too (whichever branch the build takes).
		if (child && /^preproc_(if|ifdef|else|elif|elifdef)$/.test(child.type)) {
			readFields(rel, record, child, slice, nested);
			continue;
		}
		if (child?.type !== 'field_declaration') continue;
		const type = child.childForFieldName('type');
		const declarators = child.childrenForFieldName('declarator').filter((d): d is SyntaxNode => d !== null);
		if (declarators.length === 0 && type && (type.type === 'struct_specifier' || type.type === 'union_specifier')) {
			// An anonymous struct/union: its members are the record's own.
			const inner = type.childForFieldName('body');
			if (inner && !type.childForFieldName('name')) readFields(rel, record, inner, slice, true);
			continue;
		}
		// `DECLARE_FLEX_ARRAY(struct range, ranges);` (6.x headers) declares the flexible array `ranges`.
		const flex = declarators.length === 0 && type?.type === 'macro_type_specifier' ? FLEX_ARRAY_RE.exec(slice(child)) : null;
		if (flex && type && !record.fields.has(flex[1])) {
			const trailing = trailingComment(child);
			record.fields.set(flex[1], {
				name: flex[1],
				text: slice(child) + (trailing ? `\t/* ${trailing} */` : ''),
				comment: trailing ?? leadingComment(child) ?? docFor(record.comment, flex[1]),
				type: typeRef(type.childForFieldName('type')?.childForFieldName('type') ?? null),
				nested,
				// At the member's name (the macro's second argument), as for any other field.
				site: { file: rel, line: child.startPosition.row, character: child.startPosition.column + flex[0].lastIndexOf(flex[1]), length: flex[1].length },
			});
			continue;
		}
		for (const d of declarators) {
			const id = declaredIdentifier(d);
			if (!id || record.fields.has(id.text)) continue;
			const trailing = trailingComment(child);
			record.fields.set(id.text, {
				name: id.text,
				text: slice(child) + (trailing ? `\t/* ${trailing} */` : ''),
				comment: trailing ?? leadingComment(child) ?? docFor(record.comment, id.text),
				type: typeRef(type),
				nested,
				site: site(rel, id),
			});
		}
	}
}

function readEnumerators(rel: string, record: RecordDecl, body: SyntaxNode, slice: (n: SyntaxNode) => string): void {
	let next: number | undefined = 0;
	for (const child of body.namedChildren) {
		if (child?.type !== 'enumerator') continue;
		const name = child.childForFieldName('name');
		if (!name) continue;
		const valueNode = child.childForFieldName('value');
		let value: number | undefined = next;
		if (valueNode) value = valueNode.type === 'number_literal' ? parseCInteger(valueNode.text) : undefined;
		next = value === undefined ? undefined : value + 1;
		const trailing = trailingComment(child.nextSibling?.type === ',' ? child.nextSibling : child);
		record.enumerators.set(name.text, {
			name: name.text,
			enumName: record.name,
			value,
			text: slice(child),
			comment: docFor(record.comment, name.text) ?? trailing ?? leadingComment(child),
			site: site(rel, name),
		});
	}
}

function parseCInteger(text: string): number | undefined {
	const n = Number(text.replace(/[uUlL]+$/, ''));
	return Number.isFinite(n) ? n : undefined;
}
