/**
 * The shape of a struct or union a document defines, as far as following expressions'
 * types needs it: each member's name and the struct/union tag of its type (undefined for
 * any other type). Members of anonymous structs and unions, and those under `#ifdef`, are
 * the record's own. Read by facts.ts for the document and its module, and by
 * headers/expr-types.ts.
 */
import type { SyntaxNode, Tree } from './parser';

/** Member name → tag of its struct/union type (also through pointers and arrays). */
export type RecordShape = ReadonlyMap<string, string | undefined>;

const PREPROC_BLOCK = /^preproc_(if|ifdef|else|elif|elifdef)$/;

/** The identifier a declarator chain declares (`*name`, `name[3]`, `(*name)(…)`). */
export function declaredIdentifier(node: SyntaxNode | null): SyntaxNode | undefined {
	// `(*name)` of a function-pointer member has no declarator field: step into the parentheses.
	for (let n = node; n; n = n.type === 'parenthesized_declarator' ? n.namedChild(0) : n.childForFieldName('declarator')) {
		if (n.type === 'identifier' || n.type === 'field_identifier') return n;
	}
	return undefined;
}

/** `struct T` / `union T` (also as a cast's or container_of's type descriptor) → T. */
export function tagOf(typeNode: SyntaxNode | null | undefined): string | undefined {
	if (!typeNode) return undefined;
	if (typeNode.type === 'type_descriptor') return tagOf(typeNode.childForFieldName('type'));
	if (typeNode.type !== 'struct_specifier' && typeNode.type !== 'union_specifier') return undefined;
	return typeNode.childForFieldName('name')?.text;
}

/** The members of a record body (a field_declaration_list). */
export function recordShape(body: SyntaxNode, into = new Map<string, string | undefined>()): Map<string, string | undefined> {
	for (const child of body.namedChildren) {
		if (!child) continue;
		if (PREPROC_BLOCK.test(child.type)) {
			recordShape(child, into);
			continue;
		}
		if (child.type !== 'field_declaration') continue;
		const type = child.childForFieldName('type');
		const declarators = child.childrenForFieldName('declarator');
		if (declarators.length === 0) {
			const inner = type?.childForFieldName('body');
			if (inner && !type?.childForFieldName('name')) recordShape(inner, into);
			continue;
		}
		const tag = tagOf(type);
		for (const d of declarators) {
			const name = declaredIdentifier(d)?.text;
			if (name && !into.has(name)) into.set(name, tag);
		}
	}
	return into;
}

/** Every named struct and union a tree defines, the first definition of a tag winning. */
export function treeRecords(tree: Tree): Map<string, RecordShape> {
	const out = new Map<string, RecordShape>();
	for (const spec of tree.rootNode.descendantsOfType(['struct_specifier', 'union_specifier'])) {
		const name = spec?.childForFieldName('name');
		const body = spec?.childForFieldName('body');
		if (name && body && !out.has(name.text)) out.set(name.text, recordShape(body));
	}
	return out;
}
