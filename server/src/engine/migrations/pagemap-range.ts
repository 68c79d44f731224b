/**
 * pagemap-res-range: struct dev_pagemap's `struct resource res` (up to 5.9) into `struct
 * range range` + `nr_range` (5.10), as the 5.10 conversions of nouveau, test_hmm, pmem and
 * p2pdma read:
 * - `pgmap->res = *res;` → `pgmap->range.start = res->start;`, `pgmap->range.end = res->end;`,
 *   `pgmap->nr_range = 1;`
 * - `pgmap->res.start` / `.end` → `pgmap->range.start` / `.end`; a function that assigns them
 *   sets `nr_range = 1` after the last such statement (unless it sets nr_range itself);
 * - `resource_size(&pgmap->res)` → `range_len(&pgmap->range)` (both count end inclusive);
 * - `"%pR", &pgmap->res` → `"%#llx-%#llx", pgmap->range.start, pgmap->range.end` (6.1 has
 *   no printk format for a struct range; the p2pdma conversion printed it so);
 * - `.res = { .start = …, .end = … }` → `.range = { … }` and `.nr_range = 1`.
 * What takes the resource as a whole (`&pgmap->res` as a `struct resource *`, its flags or
 * name) is left: a struct range has neither. Sources: kernel-facts.md "struct dev_pagemap
 * over time" (5.10 row); the 6.1 tree's nouveau_dmem.c, test_hmm.c, pmem.c, p2pdma.c.
 */
import { assignedBy, eachTarget, memberUses, sibling, wholeStatement, type MemberUse } from './members';
import type { KernelShape } from './shape';
import type { RecordShape } from '../syntax/records';
import { padTo, visualWidth } from './model';
import { callArgs, calleeName, enclosing, indentAt, lineStart, nextLineStart, nodes, paren, src } from './syntax';
import { emptyOutput, type Doc, type Edit, type MigrationOutput, type Remark, type Site, type SyntaxNode } from './types';
import type { Migration } from './migration';

const TITLE = "Use struct dev_pagemap's range and nr_range instead of res";
/** How the p2pdma conversion printed a range. */
const WIDE = '%#llx-%#llx';

export const pagemapResRange: Migration = {
	meta: {
		id: 'pagemap-res-range',
		title: TITLE,
		description:
			'pgmap->res (≤5.9) → pgmap->range + nr_range = 1 (5.10+): assignments from a resource, .start/.end, resource_size() → range_len(), %pR printing.',
	},
	offers: (doc, shape, records) => plan(doc, shape, records).sites.map(({ edits: _edits, ...offer }) => offer),
	run: (ctx) => eachTarget(ctx, (doc) => plan(doc, ctx.shape, ctx.records)),
};

function applies(shape: KernelShape): boolean {
	return shape.hasRange && !shape.pagemapFields.has('res');
}

function plan(doc: Doc, shape: KernelShape, records: ReadonlyMap<string, RecordShape>): MigrationOutput {
	const out = emptyOutput();
	if (!applies(shape)) return out;
	/** Statements assigning `base.res.start/end`, by function and base: nr_range = 1 goes after the last. */
	const filled = new Map<string, { base: MemberUse; after: SyntaxNode; sites: Site[] }>();
	for (const use of memberUses(doc, shape, records, 'dev_pagemap', 'res')) {
		const site = use.pair ? designated(doc, use, out.left) : accessed(doc, use, out.left, filled);
		if (site) out.sites.push(site);
	}
	for (const { base, after, sites } of filled.values()) {
		const fn = enclosing(after, 'function_definition');
		if (fn && /\bnr_range\s*=/.test(src(doc, fn))) continue;
		const at = nextLineStart(doc.text, after.endIndex);
		const edit: Edit = { file: doc.file, start: at, end: at, text: `${indentAt(doc.text, after.startIndex)}${sibling(base, 'nr_range')} = 1;\n` };
		for (const s of sites) s.edits.push(edit);
	}
	return out;
}

function site(doc: Doc, span: SyntaxNode, edits: Edit[]): Site {
	return { migration: pagemapResRange.meta.id, file: doc.file, start: span.startIndex, end: span.endIndex, title: TITLE, preferred: true, edits };
}

function leave(left: Remark[], doc: Doc, node: SyntaxNode, reason: string): undefined {
	left.push({ file: doc.file, start: node.startIndex, end: node.endIndex, reason });
	return undefined;
}

/** `pgmap->res` in an expression. */
function accessed(doc: Doc, use: MemberUse, left: Remark[], filled: Map<string, { base: MemberUse; after: SyntaxNode; sites: Site[] }>): Site | undefined {
	const expr = use.expr!;
	const rename: Edit = { file: doc.file, start: use.name.startIndex, end: use.name.endIndex, text: 'range' };
	const parent = expr.parent;
	if (parent?.type === 'field_expression' && parent.childForFieldName('argument')?.id === expr.id) {
		const sub = parent.childForFieldName('field')?.text;
		if (sub !== 'start' && sub !== 'end') return leave(left, doc, parent, `${src(doc, parent)}: a struct range has only start and end`);
		const s = site(doc, parent, [rename]);
		const assigned = assignedBy(parent);
		const stmt = assigned && assigned.op === '=' ? wholeStatement(assigned.assignment) : undefined;
		const fn = stmt && enclosing(stmt, 'function_definition');
		if (stmt && fn) {
			const key = `${fn.id}\0${use.base}${use.op}`;
			const group = filled.get(key);
			if (group) {
				group.after = stmt;
				group.sites.push(s);
			} else filled.set(key, { base: use, after: stmt, sites: [s] });
		}
		return s;
	}
	if (parent?.type === 'pointer_expression' && parent.child(0)?.type === '&') return addressed(doc, use, parent, rename, left);
	const assigned = assignedBy(expr);
	const stmt = assigned?.op === '=' ? wholeStatement(assigned.assignment) : undefined;
	if (assigned && stmt) {
		const value = assigned.value;
		const from =
			value.type === 'pointer_expression' && value.child(0)?.type === '*'
				? (f: string) => `${paren(value.childForFieldName('argument')!, src(doc, value.childForFieldName('argument')!))}->${f}`
				: (f: string) => `${paren(value, src(doc, value))}.${f}`;
		const indent = indentAt(doc.text, stmt.startIndex);
		const lines = [`${sibling(use, 'range.start')} = ${from('start')};`, `${indent}${sibling(use, 'range.end')} = ${from('end')};`, `${indent}${sibling(use, 'nr_range')} = 1;`];
		return site(doc, stmt, [{ file: doc.file, start: stmt.startIndex, end: stmt.endIndex, text: lines.join('\n') }]);
	}
	return leave(left, doc, expr, `${src(doc, expr)} as a whole struct resource: the pagemap keeps a struct range (start, end) instead`);
}

/** `&pgmap->res` as an argument: of resource_size(), or a `%pR` of a printk-style call. */
function addressed(doc: Doc, use: MemberUse, addr: SyntaxNode, rename: Edit, left: Remark[]): Site | undefined {
	const list = addr.parent;
	const call = list?.type === 'argument_list' ? list.parent : undefined;
	if (call?.type === 'call_expression') {
		const args = callArgs(call);
		if (calleeName(call) === 'resource_size' && args.length === 1) {
			const fn = call.childForFieldName('function')!;
			return site(doc, call, [{ file: doc.file, start: fn.startIndex, end: fn.endIndex, text: 'range_len' }, rename]);
		}
		const spec = printedAs(doc, args, args.findIndex((a) => a.id === addr.id));
		if (spec && /^%p[Rr]/.test(spec.text)) {
			const start = sibling(use, 'range.start');
			const end = sibling(use, 'range.end');
			// Kernel style: past 80 columns the second value goes on a line of its own, under the first argument.
			const from = lineStart(doc.text, addr.startIndex);
			const line = doc.text.slice(from, nextLineStart(doc.text, addr.endIndex)).replace(/\r?\n$/, '');
			const grown = (spec.start >= from ? WIDE.length - 3 : 0) + `${start}, ${end}`.length - (addr.endIndex - addr.startIndex);
			const open = call.childForFieldName('arguments')!.startIndex;
			const under = visualWidth(doc.text.slice(lineStart(doc.text, open), open + 1));
			const sep = visualWidth(line) + grown > 80 ? `\n${padTo(0, Math.floor(under / 8) * 8).replace(/^ $/, '')}${' '.repeat(under % 8)}` : ' ';
			return site(doc, call, [
				{ file: doc.file, start: spec.start, end: spec.start + 3, text: WIDE },
				{ file: doc.file, start: addr.startIndex, end: addr.endIndex, text: `${start},${sep}${end}` },
			]);
		}
	}
	return leave(left, doc, addr, `${src(doc, addr)} as a struct resource *: the pagemap keeps a struct range (start, end), no resource to point to`);
}

/** `.res = { .start = …, .end = … }` in a struct dev_pagemap initializer. */
function designated(doc: Doc, use: MemberUse, left: Remark[]): Site | undefined {
	const pair = use.pair!;
	const value = pair.childForFieldName('value');
	const inner = value?.type === 'initializer_list' ? nodes(value, 'field_designator').map((d) => d.namedChild(0)?.text) : [];
	if (!value || value.type !== 'initializer_list' || inner.length === 0 || inner.some((f) => f !== 'start' && f !== 'end')) {
		return leave(left, doc, pair, `${src(doc, pair)}: only a { .start, .end } initializer becomes a struct range`);
	}
	return site(doc, pair, [
		{ file: doc.file, start: use.name.startIndex, end: use.name.endIndex, text: 'range' },
		{ file: doc.file, start: pair.endIndex, end: pair.endIndex, text: `,\n${indentAt(doc.text, pair.startIndex)}.nr_range = 1` },
	]);
}

/** The printf conversion that prints argument `index` of a call, with its offset in the text. */
function printedAs(doc: Doc, args: SyntaxNode[], index: number): { start: number; text: string } | undefined {
	const f = args.findIndex((a) => a.type === 'string_literal' || a.type === 'concatenated_string');
	if (f < 0 || index <= f) return undefined;
	let want = index - f - 1;
	const literals = args[f].type === 'string_literal' ? [args[f]] : args[f].namedChildren.filter((c): c is SyntaxNode => c?.type === 'string_literal');
	for (const lit of literals) {
		const text = src(doc, lit);
		for (const m of text.matchAll(/%(%|[-+ #0]*(\*|\d+)?(?:\.(\*|\d+))?(?:hh|h|ll|l|z|t|j|L)?([a-zA-Z])([A-Za-z0-9]*))/g)) {
			if (m[1] === '%') continue;
			// Each `*` width or precision takes an argument of its own before the value.
			want -= (m[2] === '*' ? 1 : 0) + (m[3] === '*' ? 1 : 0);
			if (want < 0) return undefined;
			if (want === 0) return { start: lit.startIndex + m.index, text: m[4] === 'p' ? `%p${m[5]}` : m[0] };
			want--;
		}
	}
	return undefined;
}
