/**
 * pagemap-altmap-flags: struct dev_pagemap's `bool altmap_valid` (gone in 5.3) into the
 * `PGMAP_ALTMAP_VALID` bit of `flags`, as pfn_devs.c has it since:
 * - `pgmap->altmap_valid = true;` → `pgmap->flags |= PGMAP_ALTMAP_VALID;` (`false` clears it);
 * - a read → `(pgmap->flags & PGMAP_ALTMAP_VALID)`, and `pgmap->altmap_valid ? &pgmap->altmap :
 *   NULL` → `pgmap_altmap(pgmap)`, the helper 5.3 added for exactly that;
 * - `.altmap_valid = true` in an initializer → `.flags = PGMAP_ALTMAP_VALID`.
 * An assignment of anything but a constant is left (its value is the driver's decision).
 * Source: kernel-facts.md "struct dev_pagemap over time" (5.3 row); 6.1 pfn_devs.c, memremap.h.
 */
import { assignedBy, eachTarget, memberUses, sibling, wholeStatement, type MemberUse } from './members';
import { nodes, src } from './syntax';
import { emptyOutput, type Doc, type Edit, type MigrationOutput, type Remark, type Site, type SyntaxNode } from './types';
import type { Migration } from './migration';
import type { KernelShape } from './shape';
import type { RecordShape } from '../syntax/records';

const TITLE = 'Use the PGMAP_ALTMAP_VALID flag instead of altmap_valid';
const TRUE = /^(true|1)$/;
const FALSE = /^(false|0)$/;

export const pagemapAltmapFlags: Migration = {
	meta: {
		id: 'pagemap-altmap-flags',
		title: TITLE,
		description: 'pgmap->altmap_valid = true (≤5.2) → pgmap->flags |= PGMAP_ALTMAP_VALID (5.3+); reads → flags & PGMAP_ALTMAP_VALID or pgmap_altmap().',
	},
	offers: (doc, shape, records) => plan(doc, shape, records).sites.map(({ edits: _edits, ...offer }) => offer),
	run: (ctx) => eachTarget(ctx, (doc) => plan(doc, ctx.shape, ctx.records)),
};

function plan(doc: Doc, shape: KernelShape, records: ReadonlyMap<string, RecordShape>): MigrationOutput {
	const out = emptyOutput();
	if (shape.pagemapFields.has('altmap_valid') || !shape.pagemapFields.has('flags')) return out;
	for (const use of memberUses(doc, shape, records, 'dev_pagemap', 'altmap_valid')) {
		const s = use.pair ? designated(doc, use, out.left) : accessed(doc, use, out.left);
		if (s) out.sites.push(s);
	}
	return out;
}

function site(doc: Doc, span: SyntaxNode, edits: Edit[]): Site {
	return { migration: pagemapAltmapFlags.meta.id, file: doc.file, start: span.startIndex, end: span.endIndex, title: TITLE, preferred: true, edits };
}

function replace(doc: Doc, node: SyntaxNode, text: string): Edit {
	return { file: doc.file, start: node.startIndex, end: node.endIndex, text };
}

function leave(left: Remark[], doc: Doc, node: SyntaxNode, reason: string): undefined {
	left.push({ file: doc.file, start: node.startIndex, end: node.endIndex, reason });
	return undefined;
}

function accessed(doc: Doc, use: MemberUse, left: Remark[]): Site | undefined {
	const expr = use.expr!;
	const assigned = assignedBy(expr);
	if (assigned) {
		const value = src(doc, assigned.value).trim();
		const stmt = assigned.op === '=' ? wholeStatement(assigned.assignment) : undefined;
		const flags = sibling(use, 'flags');
		if (stmt && TRUE.test(value)) return site(doc, stmt, [replace(doc, assigned.assignment, `${flags} |= PGMAP_ALTMAP_VALID`)]);
		if (stmt && FALSE.test(value)) return site(doc, stmt, [replace(doc, assigned.assignment, `${flags} &= ~PGMAP_ALTMAP_VALID`)]);
		return leave(left, doc, assigned.assignment, `${src(doc, assigned.assignment)}: set or clear PGMAP_ALTMAP_VALID in ${flags} as this value decides`);
	}
	// `pgmap->altmap_valid ? &pgmap->altmap : NULL` is what pgmap_altmap() returns.
	const cond = expr.parent;
	if (cond?.type === 'conditional_expression' && cond.childForFieldName('condition')?.id === expr.id) {
		const yes = cond.childForFieldName('consequence');
		const no = cond.childForFieldName('alternative');
		if (yes && no && src(doc, yes).replace(/\s+/g, '') === `&${sibling(use, 'altmap')}`.replace(/\s+/g, '') && /^(NULL|0)$/.test(src(doc, no).trim())) {
			const pointer = use.op === '->' ? use.base! : `&${use.base}`;
			return site(doc, cond, [replace(doc, cond, `pgmap_altmap(${pointer})`)]);
		}
	}
	const bare = cond?.type === 'parenthesized_expression' || cond?.type === 'argument_list';
	const test = `${sibling(use, 'flags')} & PGMAP_ALTMAP_VALID`;
	return site(doc, expr, [replace(doc, expr, bare ? test : `(${test})`)]);
}

/** `.altmap_valid = true` among a struct dev_pagemap's designated initializers. */
function designated(doc: Doc, use: MemberUse, left: Remark[]): Site | undefined {
	const pair = use.pair!;
	const value = pair.childForFieldName('value');
	const list = pair.parent;
	const hasFlags = !!list && nodes(list, 'field_designator').some((d) => d.namedChild(0)?.text === 'flags');
	const text = value ? src(doc, value).trim() : '';
	if (!value || hasFlags || (!TRUE.test(text) && !FALSE.test(text))) return leave(left, doc, pair, `${src(doc, pair)}: set PGMAP_ALTMAP_VALID in .flags as this initializer decides`);
	return site(doc, pair, [replace(doc, use.name, 'flags'), replace(doc, value, TRUE.test(text) ? 'PGMAP_ALTMAP_VALID' : '0')]);
}
