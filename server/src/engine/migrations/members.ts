/**
 * Where a document uses a member of a kernel struct (`pgmap->res`, `chunk->pagemap.data`,
 * `.altmap_valid = true`) on a line the indexed version compiles, found by the type of the
 * base expression as removed-member finds them (headers/expr-types.ts, with the structs the module defines), so that the
 * migrations rewrite exactly what the check flags: never a driver's own struct's member of
 * the same name.
 */
import { ExprTypes } from '../headers/expr-types';
import { deadSpans, isDead } from '../syntax/conditionals';
import type { RecordShape } from '../syntax/records';
import { treeRecords } from '../syntax/records';
import type { KernelShape } from './shape';
import { nodes, src } from './syntax';
import { emptyOutput, type Doc, type MigrationOutput, type SyntaxNode } from './types';
import type { MigrationContext } from './migration';

/** One use of a member. */
export interface MemberUse {
	doc: Doc;
	/** The member's name node (a field_identifier). */
	name: SyntaxNode;
	/** `base.member` / `base->member`; undefined for a designator. */
	expr?: SyntaxNode;
	/** The base's text, and how the member is reached (`.` or `->`); for a designator, the pair. */
	base?: string;
	op?: '.' | '->';
	/** `.member = value` in an initializer. */
	pair?: SyntaxNode;
}

/** The structs the module defines, by tag: what a member's base may be besides the kernel's structs. */
export function moduleRecords(docs: Iterable<Doc>): Map<string, RecordShape> {
	const out = new Map<string, RecordShape>();
	for (const doc of docs) for (const [tag, shape] of treeRecords(doc.tree)) if (!out.has(tag)) out.set(tag, shape);
	return out;
}

/**
 * The uses of `container.member` in a document whose base is certainly of the kernel's struct
 * `container` (none when the tree's headers are unreadable, or the module defines that struct).
 */
export function memberUses(doc: Doc, shape: KernelShape, records: ReadonlyMap<string, RecordShape>, container: string, member: string): MemberUse[] {
	const types = exprTypes(shape, records);
	if (!types || records.has(container) || !doc.text.includes(member)) return [];
	const out: MemberUse[] = [];
	// Compat code for other versions (`#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 10, 0)`) stays as it is.
	const dead = deadSpans(doc.text, shape.version);
	for (const name of nodes(doc.tree.rootNode, 'field_identifier')) {
		if (name.text !== member || isDead(dead, name.startPosition.row)) continue;
		const parent = name.parent;
		if (parent?.type !== 'field_expression' && parent?.type !== 'field_designator') continue;
		if (types.containerOfField(name) !== container) continue;
		if (parent.type === 'field_designator') {
			const pair = parent.parent;
			if (pair?.type === 'initializer_pair') out.push({ doc, name, pair });
			continue;
		}
		const base = parent.childForFieldName('argument');
		const op = parent.child(1)?.type;
		if (base && (op === '.' || op === '->')) out.push({ doc, name, expr: parent, base: src(doc, base), op });
	}
	return out;
}

/** Expression types against the tree's headers and the module's structs; undefined when the headers are unreadable. */
export function exprTypes(shape: KernelShape, records: ReadonlyMap<string, RecordShape>): ExprTypes | undefined {
	return shape.decls && new ExprTypes(shape.decls, records);
}

/** `base.field` or `base->field`, as the use reached its member. */
export function sibling(use: MemberUse, field: string): string {
	return `${use.base}${use.op}${field}`;
}

/** The statement an expression is the whole of (`x = y;`), if it is. */
export function wholeStatement(expr: SyntaxNode): SyntaxNode | undefined {
	const stmt = expr.parent;
	return stmt?.type === 'expression_statement' && stmt.namedChildCount === 1 ? stmt : undefined;
}

/** The assignment a use is the left side of, with its operator. */
export function assignedBy(expr: SyntaxNode): { assignment: SyntaxNode; op: string; value: SyntaxNode } | undefined {
	const a = expr.parent;
	if (a?.type !== 'assignment_expression' || a.childForFieldName('left')?.id !== expr.id) return undefined;
	const value = a.childForFieldName('right');
	const op = a.childForFieldName('operator')?.type ?? a.child(1)?.type;
	return value && op ? { assignment: a, op, value } : undefined;
}

/** A migration's run over its target documents, each planned from that document alone (as its offers are). */
export function eachTarget(ctx: MigrationContext, plan: (doc: Doc) => MigrationOutput): MigrationOutput {
	const out = emptyOutput();
	for (const file of ctx.targets) {
		const doc = ctx.docs.get(file);
		if (!doc) continue;
		const p = plan(doc);
		out.sites.push(...p.sites);
		out.left.push(...p.left);
		out.todos.push(...p.todos);
	}
	return out;
}
