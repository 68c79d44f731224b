/** Small tree and text helpers the migrations share. */
import type { Doc, Edit, SyntaxNode } from './types';

export function nodes(root: SyntaxNode, types: string | string[]): SyntaxNode[] {
	return root.descendantsOfType(types).filter((n): n is SyntaxNode => n !== null);
}

/** The original text of a node (the tree was parsed from the prepared text). */
export function src(doc: Doc, node: SyntaxNode): string {
	return doc.text.slice(node.startIndex, node.endIndex);
}

export function enclosing(node: SyntaxNode, type: string): SyntaxNode | undefined {
	for (let n = node.parent; n; n = n.parent) if (n.type === type) return n;
	return undefined;
}

/** The name a declarator chain declares (`*foo`, `foo[3]`, `(*foo)(…)` → foo). */
export function declaredName(node: SyntaxNode | null): SyntaxNode | undefined {
	for (let n = node; n; ) {
		if (n.type === 'identifier' || n.type === 'field_identifier') return n;
		n = n.type === 'parenthesized_declarator' ? n.namedChild(0) : n.childForFieldName('declarator');
	}
	return undefined;
}

/** `struct NAME` as a type node, else undefined. */
export function structTag(typeNode: SyntaxNode | null): string | undefined {
	if (typeNode?.type !== 'struct_specifier') return undefined;
	return typeNode.childForFieldName('name')?.text;
}

export function isPointerDeclarator(d: SyntaxNode | null): boolean {
	return d?.type === 'pointer_declarator';
}

/** The function a call expression calls, when it is a plain name. */
export function calleeName(call: SyntaxNode): string | undefined {
	const fn = call.childForFieldName('function');
	return fn?.type === 'identifier' ? fn.text : undefined;
}

export function callArgs(call: SyntaxNode): SyntaxNode[] {
	const list = call.childForFieldName('arguments');
	return (list?.namedChildren ?? []).filter((n): n is SyntaxNode => n !== null && n.type !== 'comment');
}

export function lineStart(text: string, offset: number): number {
	return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The offset just after the newline that ends the line holding `offset` (or the text's end). */
export function nextLineStart(text: string, offset: number): number {
	const nl = text.indexOf('\n', offset);
	return nl < 0 ? text.length : nl + 1;
}

export function indentAt(text: string, offset: number): string {
	const start = lineStart(text, offset);
	return /^[ \t]*/.exec(text.slice(start))![0];
}

/**
 * Deletes a statement with its whole line(s) when nothing else is on them; with
 * `blankBefore`, also one empty line above it when the statement is followed by one too
 * or by the end of the block (so no double blank lines are left).
 */
export function deleteLines(doc: Doc, node: SyntaxNode, blankBefore = false): Edit {
	const text = doc.text;
	const start = lineStart(text, node.startIndex);
	const end = nextLineStart(text, node.endIndex);
	const alone = /^[ \t]*$/.test(text.slice(start, node.startIndex)) && /^[ \t]*\r?\n?$/.test(text.slice(node.endIndex, end));
	if (!alone) return { file: doc.file, start: node.startIndex, end: node.endIndex, text: '' };
	let from = start;
	if (blankBefore && start > 0) {
		const prevStart = lineStart(text, start - 1);
		const prevBlank = text.slice(prevStart, start).trim() === '';
		const after = text.slice(end, nextLineStart(text, end));
		if (prevBlank && (after.trim() === '' || after.trim().startsWith('}'))) from = prevStart;
	}
	return { file: doc.file, start: from, end, text: '' };
}

/** The top-level node (function definition, declaration, …) holding a node. */
export function topLevel(node: SyntaxNode): SyntaxNode {
	let n = node;
	while (n.parent && n.parent.type !== 'translation_unit' && !n.parent.type.startsWith('preproc_')) n = n.parent;
	return n;
}

/** Where to insert text before a top-level node: above its leading comment, if it has one. */
export function aboveWithComment(doc: Doc, node: SyntaxNode): number {
	let first = node;
	for (let prev = node.previousSibling; prev?.type === 'comment'; prev = prev.previousSibling) {
		if (prev.endPosition.row < first.startPosition.row - 1) break;
		first = prev;
	}
	return lineStart(doc.text, first.startIndex);
}

/** Wraps an expression in parentheses unless it is a primary or postfix expression. */
export function paren(node: SyntaxNode, text: string): string {
	return ['identifier', 'field_expression', 'call_expression', 'number_literal', 'parenthesized_expression', 'subscript_expression'].includes(
		node.type,
	)
		? text
		: `(${text})`;
}

/** Identifiers used in a subtree (not field names, not declarators' own names excluded). */
export function identifierUses(root: SyntaxNode, name: string): SyntaxNode[] {
	return nodes(root, 'identifier').filter((n) => n.text === name);
}
