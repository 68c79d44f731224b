/**
 * What the cursor is on, read from the document's syntax tree: a `MODULE_LICENSE("…")`
 * string, a struct/union/enum tag, a field (with the struct it belongs to when the
 * document reveals the base's declared type: headers/expr-types.ts), or any other name.
 */
import { nodeRange } from '../syntax/facts';
import type { Tree } from '../syntax/parser';
import { LineMap } from '../lex';
import type { Position, Range } from '../types';
import type { KernelDecls } from '../headers/structs';
import { ExprTypes } from '../headers/expr-types';
import { treeRecords } from '../syntax/records';

export type Target =
	| { kind: 'license'; license: string; range: Range }
	| { kind: 'record'; recordKind: 'struct' | 'union' | 'enum'; tag: string; range: Range }
	/** `container` is the struct tag when the document reveals it. */
	| { kind: 'field'; name: string; container?: string; range: Range }
	| { kind: 'symbol'; name: string; range: Range };

const LICENSE_RE = /\bMODULE_LICENSE\s*\(\s*"((?:[^"\\]|\\.)*)"\s*\)/g;

export function targetAt(tree: Tree, text: string, position: Position, decls: KernelDecls): Target | undefined {
	const license = licenseAt(text, position);
	if (license) return license;
	const node = tree.rootNode.descendantForPosition({ row: position.line, column: position.character });
	if (!node) return undefined;
	const range = nodeRange(node);
	const parent = node.parent;
	switch (node.type) {
		case 'type_identifier': {
			if (parent && ['struct_specifier', 'union_specifier', 'enum_specifier'].includes(parent.type)) {
				const recordKind = parent.type === 'struct_specifier' ? 'struct' : parent.type === 'union_specifier' ? 'union' : 'enum';
				return { kind: 'record', recordKind, tag: node.text, range };
			}
			return { kind: 'symbol', name: node.text, range };
		}
		case 'field_identifier':
			return { kind: 'field', name: node.text, container: new ExprTypes(decls, treeRecords(tree)).containerOfField(node), range };
		case 'identifier':
			return { kind: 'symbol', name: node.text, range };
	}
	return wordAt(text, position);
}

/** On `MODULE_LICENSE("…")`, anywhere from the macro name to the closing parenthesis. */
function licenseAt(text: string, position: Position): Target | undefined {
	const line = lineOf(text, position.line);
	if (!line.includes('MODULE_LICENSE')) return undefined;
	for (const m of line.matchAll(LICENSE_RE)) {
		const start = m.index;
		const end = start + m[0].length;
		if (position.character < start || position.character > end) continue;
		return {
			kind: 'license',
			license: m[1],
			range: { start: { line: position.line, character: start }, end: { line: position.line, character: end } },
		};
	}
	return undefined;
}

/** A name the parser did not make a leaf of (inside ERROR nodes, macro arguments). */
function wordAt(text: string, position: Position): Target | undefined {
	const line = lineOf(text, position.line);
	for (const m of line.matchAll(/[A-Za-z_]\w*/g)) {
		if (position.character < m.index || position.character > m.index + m[0].length) continue;
		if (/^\d/.test(m[0])) return undefined;
		return {
			kind: 'symbol',
			name: m[0],
			range: { start: { line: position.line, character: m.index }, end: { line: position.line, character: m.index + m[0].length } },
		};
	}
	return undefined;
}

function lineOf(text: string, line: number): string {
	const lines = new LineMap(text);
	return text.slice(lines.lineStart(line), lines.offset({ line, character: Number.MAX_SAFE_INTEGER }));
}
