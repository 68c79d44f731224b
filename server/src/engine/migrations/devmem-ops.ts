/**
 * hmm-devmem-ops: struct hmm_devmem_ops tables into struct dev_pagemap_ops (5.3).
 *
 * - `.free(devmem, page)` becomes `.page_free(page)`;
 * - `.fault(devmem, vma, addr, page, flags, pmdp)` becomes
 *   `vm_fault_t .migrate_to_ram(struct vm_fault *vmf)`; the body's uses of the old
 *   parameters become vmf->vma, vmf->address, vmf->page, vmf->flags and vmf->pmd.
 * The old devmem parameter becomes a local `struct dev_pagemap *` taken from page->pgmap
 * (the driver structure is then reached with container_of, see model.ts). Sources:
 * kernel-facts.md "Migrating a caller" and the 6.1 dev_pagemap_ops.
 */
import { ADD_APIS } from './model';
import type { Callback } from './model';
import { callArgs, declaredName, nodes, src, structTag } from './syntax';
import { emptyOutput, type Doc, type Edit, type SyntaxNode } from './types';
import type { Migration, MigrationContext } from './migration';

export const hmmDevmemOps: Migration = {
	meta: {
		id: 'hmm-devmem-ops',
		title: 'Migrate struct hmm_devmem_ops to struct dev_pagemap_ops',
		description:
			'.free(devmem, page) → .page_free(page); .fault(devmem, vma, addr, page, flags, pmdp) → vm_fault_t .migrate_to_ram(struct vm_fault *vmf).',
	},
	offers(doc, shape) {
		if (!shape.hasOps) return [];
		return opsTables(doc).map((decl) => ({ migration: hmmDevmemOps.meta.id, file: doc.file, start: decl.startIndex, end: decl.endIndex, title: hmmDevmemOps.meta.title }));
	},
	run(ctx) {
		const out = emptyOutput();
		if (!ctx.shape.hasOps) return out;
		const cbEdits = [...ctx.model.callbacks.values()].flatMap((cb) => callbackEdits(ctx, cb));
		const renames: Edit[] = [];
		const tables: { doc: Doc; decl: SyntaxNode; edits: Edit[] }[] = [];
		for (const doc of ctx.docs.values()) {
			for (const spec of nodes(doc.tree.rootNode, 'struct_specifier')) {
				const name = spec.childForFieldName('name');
				if (name?.text !== 'hmm_devmem_ops' || spec.childForFieldName('body')) continue;
				renames.push({ file: doc.file, start: name.startIndex, end: name.endIndex, text: 'dev_pagemap_ops' });
			}
			for (const decl of opsTables(doc)) {
				const edits: Edit[] = [];
				const fields = new Set<string>();
				for (const pair of nodes(decl, 'initializer_pair')) {
					const field = pair.childForFieldName('designator')?.namedChild(0);
					if (field?.text === 'free' || field?.text === 'fault') {
						fields.add(field.text);
						edits.push({ file: doc.file, start: field.startIndex, end: field.endIndex, text: field.text === 'free' ? 'page_free' : 'migrate_to_ram' });
					}
				}
				const variable = declaredName(decl.childForFieldName('declarator'))?.text;
				if (variable && !fields.has('fault') && usedForPrivate(ctx, variable)) {
					out.todos.push({
						file: doc.file,
						start: decl.startIndex,
						end: decl.endIndex,
						reason: `${variable} has no .fault: MEMORY_DEVICE_PRIVATE needs .migrate_to_ram (6.1's memremap_pages() refuses the map without it)`,
					});
				}
				tables.push({ doc, decl, edits });
			}
		}
		const all = [...renames, ...tables.flatMap((t) => t.edits), ...cbEdits];
		for (const t of tables) {
			if (!ctx.targets.has(t.doc.file)) continue;
			out.sites.push({
				migration: hmmDevmemOps.meta.id,
				file: t.doc.file,
				start: t.decl.startIndex,
				end: t.decl.endIndex,
				title: hmmDevmemOps.meta.title,
				edits: [...all, ...modelEditsInCallbacks(ctx)],
			});
		}
		return out;
	},
};

/** The declarations of struct hmm_devmem_ops tables. */
function opsTables(doc: Doc): SyntaxNode[] {
	return nodes(doc.tree.rootNode, 'declaration').filter((decl) => structTag(decl.childForFieldName('type')) === 'hmm_devmem_ops');
}

/** Whether an ops table is passed to hmm_devmem_add() (MEMORY_DEVICE_PRIVATE). */
function usedForPrivate(ctx: MigrationContext, variable: string): boolean {
	return ctx.model.adds.some((a) => {
		if (a.api !== ADD_APIS[0]) return false;
		const ops = callArgs(a.call)[0];
		return !!ops && src(a.doc, ops).replace(/^&\s*/, '') === variable;
	});
}

/** The conversion's edits inside the callbacks (their devmem uses), so the fix compiles on its own. */
function modelEditsInCallbacks(ctx: MigrationContext): Edit[] {
	const spans = [...ctx.model.callbacks.values()].map((cb) => ({ file: cb.doc.file, start: cb.fn.startIndex, end: cb.fn.endIndex }));
	return ctx.model.edits.filter((e) => spans.some((s) => s.file === e.file && e.start >= s.start && e.end <= s.end));
}

const FAULT_PARAMS = ['', 'vma', 'address', 'page', 'flags', 'pmd'];

function paramName(p: SyntaxNode | null): string | undefined {
	return declaredName(p?.childForFieldName('declarator') ?? null)?.text;
}

function callbackEdits(ctx: MigrationContext, cb: Callback): Edit[] {
	const { doc, fn, role } = cb;
	const declarator = fn.childForFieldName('declarator')!;
	const list = declarator.childForFieldName('parameters')!;
	const params = list.namedChildren.filter((p): p is SyntaxNode => p !== null);
	const body = fn.childForFieldName('body')!;
	const devmem = paramName(params[0]);
	const edits: Edit[] = [];
	let pageExpr: string;
	if (role === 'free') {
		const page = paramName(params[1]) ?? 'page';
		edits.push({ file: doc.file, start: list.startIndex, end: list.endIndex, text: `(${src(doc, params[1])})` });
		pageExpr = page;
	} else {
		const used = new Set(nodes(body, 'identifier').map((n) => n.text));
		const vmf = used.has('vmf') ? 'fault' : 'vmf';
		edits.push({ file: doc.file, start: list.startIndex, end: list.endIndex, text: `(struct vm_fault *${vmf})` });
		const type = fn.childForFieldName('type');
		if (type && type.text !== 'vm_fault_t') edits.push({ file: doc.file, start: type.startIndex, end: type.endIndex, text: 'vm_fault_t' });
		const renames = new Map<string, string>();
		params.forEach((p, i) => {
			const name = paramName(p);
			if (i > 0 && name) renames.set(name, `${vmf}->${FAULT_PARAMS[i]}`);
		});
		for (const id of nodes(body, 'identifier')) {
			const to = renames.get(id.text);
			if (to && !isDeclared(id)) edits.push({ file: doc.file, start: id.startIndex, end: id.endIndex, text: to });
		}
		pageExpr = `${vmf}->page`;
	}
	// The local is needed while some use of the old parameter survives the conversion's edits.
	const survives = (n: SyntaxNode) =>
		!ctx.model.edits.some((e) => e.file === doc.file && e.start <= n.startIndex && e.end >= n.endIndex && !new RegExp(`\\b${n.text}\\b`).test(e.text));
	if (devmem && nodes(body, 'identifier').some((n) => n.text === devmem && survives(n))) {
		const first = body.namedChildren.find((c) => c?.type !== 'comment');
		const blank = first && first.type !== 'declaration' ? '\n' : '';
		const at = body.startIndex + 1 + (doc.text[body.startIndex + 1] === '\n' ? 1 : 0);
		edits.push({ file: doc.file, start: at, end: at, text: `\tstruct dev_pagemap *${devmem} = ${pageExpr}->pgmap;\n${blank}` });
	}
	return edits;
}

function isDeclared(id: SyntaxNode): boolean {
	const p = id.parent;
	return !!p && ['init_declarator', 'pointer_declarator', 'declaration', 'parameter_declaration'].includes(p.type) && p.childForFieldName('value')?.id !== id.id;
}

