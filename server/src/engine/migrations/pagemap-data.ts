/**
 * pagemap-data: struct dev_pagemap's `void *data` (gone in 5.3) into what it pointed back to.
 * - A driver that embeds its pagemap and stores itself (`drv->pgmap.data = drv;`): the store
 *   goes, and every read `pgmap->data` becomes `container_of(pgmap, struct drv, pgmap)`, as the
 *   5.3 conversions did (kernel-facts.md "Migrating a caller").
 * - A module written for the hmm_devmem API never stored it: HMM did, with the
 *   `struct hmm_devmem *`, which the hmm-devmem migrations turn into the pagemap itself. So
 *   `page->pgmap->data` (nouveau 5.2's `drm->dmem->devmem != page->pgmap->data`) becomes
 *   `page->pgmap`, next to the holder that becomes `&drm->dmem->pagemap`.
 * A store of anything else, or several different back-pointers, is left: where that
 * pointer lives now is the driver's decision.
 */
import { ADD_APIS } from './model';
import { assignedBy, exprTypes, memberUses, wholeStatement, type MemberUse } from './members';
import { calleeName, deleteLines, enclosing, nodes, paren, src } from './syntax';
import { emptyOutput, type Doc, type Edit, type Site, type SyntaxNode } from './types';
import type { Migration, MigrationContext } from './migration';

const TITLE = 'Replace pgmap->data with container_of() on the structure that embeds the pagemap';

export const pagemapData: Migration = {
	meta: {
		id: 'pagemap-data',
		title: TITLE,
		description: 'pgmap->data (≤5.2) → container_of(pgmap, struct …, field) of the driver structure that embeds it; HMM\'s back-pointer → the pagemap itself.',
	},
	offers(doc, shape, records) {
		if (shape.pagemapFields.has('data')) return [];
		return memberUses(doc, shape, records, 'dev_pagemap', 'data')
			.filter((u) => u.expr)
			.map((u) => ({ migration: pagemapData.meta.id, file: doc.file, start: u.expr!.startIndex, end: u.expr!.endIndex, title: TITLE, preferred: true }));
	},
	run(ctx) {
		const out = emptyOutput();
		if (ctx.shape.pagemapFields.has('data')) return out;
		const uses = [...ctx.docs.values()].flatMap((doc) => memberUses(doc, ctx.shape, ctx.records, 'dev_pagemap', 'data'));
		const stores: { use: MemberUse; stmt: SyntaxNode; owner?: Owner }[] = [];
		for (const use of uses) {
			const assigned = use.expr && assignedBy(use.expr);
			if (!assigned) continue;
			const stmt = assigned.op === '=' ? wholeStatement(assigned.assignment) : undefined;
			stores.push({ use, stmt: stmt ?? assigned.assignment, owner: stmt ? ownerOf(ctx, use, assigned.value) : undefined });
		}
		const owners = new Set(stores.map((s) => (s.owner ? `${s.owner.struct}.${s.owner.field}` : '?')));
		const owner = owners.size === 1 && stores[0].owner ? stores[0].owner : undefined;
		const hmmModule = usesHmmDevmem(ctx);
		const deletes: Edit[] = owner ? stores.map((s) => deleteLines(s.use.doc, s.stmt)) : [];
		for (const use of uses) {
			if (!use.expr || !ctx.targets.has(use.doc.file)) continue;
			const store = stores.find((s) => s.use === use);
			// HMM's own back-pointer: the module stores none, or this read meets a struct hmm_devmem *.
			const hmm = hmmModule && !store && (stores.length === 0 || meetsDevmem(ctx, use));
			const reason = owner || hmm ? undefined : whyLeft(stores.length, owners.size);
			if (reason || (store && !owner)) {
				out.left.push({ file: use.doc.file, start: use.expr.startIndex, end: use.expr.endIndex, reason: reason ?? 'pgmap->data stores something other than the structure that embeds the pagemap' });
				continue;
			}
			const base = use.expr.childForFieldName('argument')!;
			const pointer = use.op === '->' ? src(use.doc, base) : `&${paren(base, src(use.doc, base))}`;
			const edits: Edit[] = store
				? deletes
				: [{ file: use.doc.file, start: use.expr.startIndex, end: use.expr.endIndex, text: owner && !hmm ? `container_of(${pointer}, struct ${owner.struct}, ${owner.field})` : pointer }, ...deletes];
			out.sites.push(siteOf(use.doc, use.expr, edits));
		}
		return out;
	},
};

interface Owner {
	struct: string;
	field: string;
}

function siteOf(doc: Doc, expr: SyntaxNode, edits: Edit[]): Site {
	return { migration: pagemapData.meta.id, file: doc.file, start: expr.startIndex, end: expr.endIndex, title: TITLE, preferred: true, edits };
}

function whyLeft(stores: number, owners: number): string {
	if (stores === 0) return 'nothing in the module stores pgmap->data: what did it point to?';
	return owners > 1 ? 'pgmap->data holds different things in this module: decide where each lives now' : 'pgmap->data stores something other than the structure that embeds the pagemap';
}

/**
 * The structure a store `pgmap->data = drv;` points back to, when it embeds that pagemap:
 * `drv` is a `struct T *` (or `&drv` a struct T) whose one dev_pagemap member F is the
 * pagemap stored into (`drv->F.data = drv`, or `pgmap->data = drv` after `pgmap = &drv->F`).
 */
function ownerOf(ctx: MigrationContext, use: MemberUse, value: SyntaxNode): Owner | undefined {
	const doc = use.doc;
	const self = value.type === 'pointer_expression' && value.child(0)?.type === '&' ? value.childForFieldName('argument') : value;
	const struct = ctx.shape.decls && self ? exprTypes(ctx.shape, ctx.records)?.typeOf(self) : undefined;
	const shape = struct ? ctx.records.get(struct) : undefined;
	const fields = shape ? [...shape].filter(([, tag]) => tag === 'dev_pagemap').map(([f]) => f) : [];
	if (!struct || fields.length !== 1 || !self) return undefined;
	const field = fields[0];
	const holder = src(doc, self).replace(/\s+/g, '');
	const reach = value === self ? `${holder}->${field}` : `${holder}.${field}`;
	const base = src(doc, use.expr!.childForFieldName('argument')!).replace(/\s+/g, '');
	if (use.op === '.' && base === reach) return { struct, field };
	// `pgmap->data = drv;` where the function took pgmap as `&drv->pagemap`.
	const fn = enclosing(use.expr!, 'function_definition');
	const esc = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/->/g, '\\s*->\\s*');
	const taken = new RegExp(`\\b${esc(base)}\\s*=\\s*&\\s*${esc(reach)}\\b`);
	return use.op === '->' && fn && taken.test(src(doc, fn)) ? { struct, field } : undefined;
}

/**
 * Whether a read of pgmap->data meets the driver's struct hmm_devmem * (`devmem == page->pgmap->data`,
 * `struct hmm_devmem *devmem = page->pgmap->data;`): then it is HMM's back-pointer.
 */
function meetsDevmem(ctx: MigrationContext, use: MemberUse): boolean {
	const expr = use.expr!;
	const parent = expr.parent;
	if (parent?.type === 'binary_expression' && ['==', '!='].includes(parent.child(1)?.type ?? '')) {
		const other = parent.childForFieldName('left')?.id === expr.id ? parent.childForFieldName('right') : parent.childForFieldName('left');
		return !!other && !!ctx.model.refOf(use.doc, other);
	}
	const decl = parent?.type === 'init_declarator' ? parent.parent : undefined;
	return decl?.type === 'declaration' && /^struct\s+hmm_devmem$/.test(src(use.doc, decl.childForFieldName('type')!));
}

/** Whether the module is written for the hmm_devmem API (its struct, or a call of an add function). */
function usesHmmDevmem(ctx: MigrationContext): boolean {
	if (ctx.model.holders.length > 0) return true;
	for (const doc of ctx.docs.values()) {
		if (nodes(doc.tree.rootNode, 'call_expression').some((c) => (ADD_APIS as readonly (string | undefined)[]).includes(calleeName(c)))) return true;
	}
	return false;
}
