/**
 * memory-type-rename: `enum memory_type` constants the indexed kernel no longer has.
 * - `MEMORY_DEVICE_DEVDAX` (5.3 – 5.9) → `MEMORY_DEVICE_GENERIC`, its 5.10 name.
 * - `MEMORY_DEVICE_PUBLIC` (up to 5.2) → the closest type the kernel has
 *   (`MEMORY_DEVICE_COHERENT` from 6.0), with a `TODO(kmm)` above the statement: whether the
 *   device's memory fits it is a person's call.
 * Uses on compiled-out lines, under a test of the constant itself, or with a `#define` of the
 * module's own are left alone, as removed-member leaves them. Source: kernel-facts.md "enum
 * memory_type"; knowledge/zone-device.ts.
 */
import { namesOnly } from '../checks/removed-member';
import { eachTarget } from './members';
import { deadSpans, isDead } from '../syntax/conditionals';
import { indentAt, lineStart, nodes } from './syntax';
import { publicMemoryType, type KernelShape } from './shape';
import { emptyOutput, type Doc, type Edit, type MigrationOutput, type SyntaxNode } from './types';
import type { Migration } from './migration';

const TITLE = 'Use the memory type this kernel names';
/** When the closest type is a guess: the title says that a person must decide. */
const TITLE_REVIEW = 'Use the closest memory type this kernel has (a manual step remains: check that it fits)';

export const memoryTypeRename: Migration = {
	meta: {
		id: 'memory-type-rename',
		title: TITLE,
		description: 'MEMORY_DEVICE_DEVDAX → MEMORY_DEVICE_GENERIC (5.10); MEMORY_DEVICE_PUBLIC → MEMORY_DEVICE_COHERENT (6.0), to review.',
	},
	offers: (doc, shape) => plan(doc, shape).sites.map(({ edits: _edits, ...offer }) => offer),
	run: (ctx) => eachTarget(ctx, (doc) => plan(doc, ctx.shape, ctx.module?.definitions)),
};

/** What each removed constant becomes in this kernel, and whether a person must confirm it. */
function renames(shape: KernelShape): Map<string, { to: string; review: boolean }> {
	const out = new Map<string, { to: string; review: boolean }>();
	const has = (t: string) => shape.memoryTypes.has(t);
	if (!has('MEMORY_DEVICE_DEVDAX') && has('MEMORY_DEVICE_GENERIC')) out.set('MEMORY_DEVICE_DEVDAX', { to: 'MEMORY_DEVICE_GENERIC', review: false });
	if (!has('MEMORY_DEVICE_PUBLIC')) out.set('MEMORY_DEVICE_PUBLIC', { to: publicMemoryType(shape), review: true });
	return out;
}

function plan(doc: Doc, shape: KernelShape, defined?: ReadonlySet<string>): MigrationOutput {
	const out = emptyOutput();
	if (!doc.text.includes('MEMORY_DEVICE_')) return out;
	const map = renames(shape);
	const dead = deadSpans(doc.text, shape.version);
	const own = new Set(nodes(doc.tree.rootNode, ['enumerator', 'preproc_def']).map((n) => n.childForFieldName('name')?.text));
	for (const id of nodes(doc.tree.rootNode, 'identifier')) {
		const r = map.get(id.text);
		if (!r || isDead(dead, id.startPosition.row) || own.has(id.text) || defined?.has(id.text) || namesOnly(id)) continue;
		const edits: Edit[] = [{ file: doc.file, start: id.startIndex, end: id.endIndex, text: r.to }];
		if (r.review) {
			const stmt = statementOf(id);
			const at = lineStart(doc.text, stmt.startIndex);
			const indent = indentAt(doc.text, stmt.startIndex);
			const todo = [`/*`, ` * TODO(kmm): ${id.text} is gone (Linux 5.3); check that`, ` * ${r.to} fits this device's memory.`, ` */`];
			edits.push({ file: doc.file, start: at, end: at, text: todo.map((l) => `${indent}${l}\n`).join('') });
			out.todos.push({ file: doc.file, start: id.startIndex, end: id.endIndex, reason: `${id.text} is gone: the migration uses ${r.to}; decide whether it fits (see the TODO(kmm))` });
		}
		out.sites.push({ migration: memoryTypeRename.meta.id, file: doc.file, start: id.startIndex, end: id.endIndex, title: r.review ? TITLE_REVIEW : TITLE, preferred: true, edits });
	}
	return out;
}

/** The statement (or declaration, or top-level node) an identifier is part of, for a comment above it. */
function statementOf(id: SyntaxNode): SyntaxNode {
	let n = id;
	while (n.parent && !/statement$|^declaration$|^translation_unit$|^initializer_pair$/.test(n.type) && n.parent.type !== 'translation_unit') n = n.parent;
	return n;
}
