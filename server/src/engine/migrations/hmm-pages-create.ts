/**
 * hmm-pages-create: in an mm/hmm.c of the 4.19 shape, replace the static
 * hmm_devmem_pages_create(devmem) (HMM's own copy of the memremap work) with the
 * dev_pagemap setup and devm_memremap_pages(devmem->device, &devmem->pagemap), as patch 6/7
 * of the 2018 series "mm: Merge hmm into devm_memremap_pages" did (kernel-facts.md, "The old
 * HMM device-memory API"). devm_memremap_pages() registers its own teardown, so the
 * `devm_add_action(…, hmm_devmem_release, …)` registrations go; a second action deletes the
 * static functions that are then unused (hmm_devmem_pages_create and whatever only it
 * reached: the radix-tree and release helpers).
 */
import { aboveWithComment, callArgs, calleeName, declaredName, deleteLines, enclosing, indentAt, lineStart, nextLineStart, nodes, src } from './syntax';
import { emptyOutput, type Doc, type Edit, type Site, type SyntaxNode } from './types';
import type { Migration } from './migration';

const NAME = 'hmm_devmem_pages_create';
const RELEASE = 'hmm_devmem_release';

export const hmmPagesCreate: Migration = {
	meta: {
		id: 'hmm-pages-create',
		title: 'Replace hmm_devmem_pages_create() with devm_memremap_pages()',
		description:
			'In mm/hmm.c (4.19): fill devmem->pagemap and call devm_memremap_pages(devmem->device, &devmem->pagemap) instead of HMM\'s own copy of the memremap work; delete the helpers that become unused.',
	},
	// The sites need nothing of the module (the second title names what its edits delete), so
	// the offers are the sites; only mm/hmm.c of 4.19 defines hmm_devmem_pages_create().
	offers: sitesIn,
	run(ctx) {
		const out = emptyOutput();
		for (const file of ctx.targets) {
			const doc = ctx.docs.get(file);
			if (doc) out.sites.push(...sitesIn(doc));
		}
		return out;
	},
};

function sitesIn(doc: Doc): Site[] {
	const defs = nodes(doc.tree.rootNode, 'function_definition');
	const def = defs.find((f) => declaredName(f.childForFieldName('declarator'))?.text === NAME);
	const replace = def && replacementEdits(doc, def);
	if (!replace) return [];
	const file = doc.file;
	const sites: Site[] = [];
	for (const call of replace.calls) {
		sites.push({ migration: hmmPagesCreate.meta.id, file, start: call.startIndex, end: call.endIndex, title: hmmPagesCreate.meta.title, edits: replace.edits });
	}
	const inserted = new Set(replace.edits.flatMap((e) => e.text.match(/\w+/g) ?? []));
	const unused = unusedStatics(doc, defs, replace.removed, inserted);
	if (unused.length > 0) {
		const names = unused.map((f) => declaredName(f.childForFieldName('declarator'))!.text);
		const deletions = unused.map((f) => deleteFunction(doc, f));
		for (const call of replace.calls) {
			sites.push({
				migration: hmmPagesCreate.meta.id,
				file,
				start: call.startIndex,
				end: call.endIndex,
				title: `Replace hmm_devmem_pages_create() and delete the functions that become unused (${names.join(', ')})`,
				edits: [...replace.edits, ...deletions],
			});
		}
	}
	return sites;
}

function replacementEdits(doc: Doc, def: SyntaxNode): { edits: Edit[]; calls: SyntaxNode[]; removed: SyntaxNode[] } | undefined {
	const param = declaredName(def.childForFieldName('declarator')?.childForFieldName('parameters')?.namedChildren[0]?.childForFieldName('declarator') ?? null)?.text;
	if (!param) return undefined;
	const setup: string[] = [];
	for (const stmt of def.childForFieldName('body')?.namedChildren ?? []) {
		const a = stmt?.type === 'expression_statement' ? stmt.namedChild(0) : undefined;
		const left = a?.type === 'assignment_expression' ? a.childForFieldName('left') : undefined;
		if (stmt && left && new RegExp(`^${param}\\s*->\\s*pagemap\\.`).test(src(doc, left))) setup.push(src(doc, stmt));
	}
	const calls = nodes(doc.tree.rootNode, 'call_expression').filter((c) => calleeName(c) === NAME && !(c.startIndex >= def.startIndex && c.endIndex <= def.endIndex));
	const edits: Edit[] = [];
	const removed: SyntaxNode[] = [def];
	for (const call of calls) {
		const arg = callArgs(call)[0];
		const stmt = enclosing(call, 'expression_statement');
		if (!arg || !stmt) continue;
		const a = src(doc, arg);
		const indent = indentAt(doc.text, stmt.startIndex);
		const at = lineStart(doc.text, stmt.startIndex);
		const lines = setup.map((s) => indent + s.replace(new RegExp(`\\b${param}\\b`, 'g'), a) + '\n');
		edits.push({ file: doc.file, start: at, end: at, text: lines.join('') });
		edits.push({ file: doc.file, start: call.startIndex, end: call.endIndex, text: `PTR_ERR_OR_ZERO(devm_memremap_pages(${a}->device, &${a}->pagemap))` });
		removed.push(call);
		// devm_memremap_pages() tears the pages down itself: drop the hmm_devmem_release registration.
		const fn = enclosing(call, 'function_definition');
		for (const other of fn ? nodes(fn, 'call_expression') : []) {
			if (calleeName(other) !== 'devm_add_action' || callArgs(other)[1]?.text !== RELEASE) continue;
			const s = enclosing(other, 'expression_statement');
			if (!s) continue;
			const next = s.nextNamedSibling;
			const check = next?.type === 'if_statement' && /^\(\s*\w+\s*\)$/.test(next.childForFieldName('condition')?.text ?? '') ? next : undefined;
			edits.push(deleteLines(doc, s, !check));
			removed.push(s);
			if (check) {
				edits.push(deleteLines(doc, check, true));
				removed.push(check);
			}
		}
	}
	return calls.length > 0 ? { edits, calls, removed } : undefined;
}

/** Static functions whose every reference lies in code that is removed (transitively). */
function unusedStatics(doc: Doc, defs: SyntaxNode[], removed: SyntaxNode[], inserted: Set<string>): SyntaxNode[] {
	const statics = defs.filter((f) => f.children.some((c) => c?.type === 'storage_class_specifier' && c.text === 'static'));
	const gone = [...removed];
	const deleted: SyntaxNode[] = [removed[0]];
	const ids = nodes(doc.tree.rootNode, 'identifier');
	for (let changed = true; changed; ) {
		changed = false;
		for (const f of statics) {
			if (deleted.includes(f)) continue;
			const name = declaredName(f.childForFieldName('declarator'))!.text;
			if (inserted.has(name)) continue;
			const refs = ids.filter((i) => i.text === name && !(i.startIndex >= f.startIndex && i.endIndex <= f.endIndex));
			if (refs.every((r) => gone.some((g) => r.startIndex >= g.startIndex && r.endIndex <= g.endIndex))) {
				deleted.push(f);
				gone.push(f);
				changed = true;
			}
		}
	}
	return deleted;
}

function deleteFunction(doc: Doc, fn: SyntaxNode): Edit {
	const start = aboveWithComment(doc, fn);
	let end = nextLineStart(doc.text, fn.endIndex);
	if (doc.text.slice(end, nextLineStart(doc.text, end)).trim() === '') end = nextLineStart(doc.text, end);
	return { file: doc.file, start, end, text: '' };
}
