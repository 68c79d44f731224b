/**
 * hmm-devmem-add: callers of hmm_devmem_add(ops, dev, size) (removed in 5.3).
 *
 * As nouveau did in 5.3 (kernel-facts.md "Migrating a caller"): request a free region with
 * devm_request_free_mem_region(), fill a driver-owned struct dev_pagemap (type
 * MEMORY_DEVICE_PRIVATE; the range as the indexed kernel's struct has it, `res` up to 5.9,
 * `range` + `nr_range` from 5.10; `ops`; `owner` from 5.7) and call devm_memremap_pages(),
 * which tears the mapping down with the device as hmm_devmem_add() did. That work goes into
 * one static helper per file that keeps the old call's shape (it returns the pagemap or an
 * ERR_PTR), so the caller's IS_ERR()/PTR_ERR() handling stays as it is; the driver's
 * `struct hmm_devmem *` member becomes the embedded pagemap (model.ts).
 */
import type { AddApi, AddSite } from './model';
import { addCallParts, visualWidth } from './model';
import { publicMemoryType, type KernelShape } from './shape';
import { aboveWithComment, calleeName, nodes, topLevel } from './syntax';
import { emptyOutput, type Doc, type Edit, type MigrationOutput, type Offer } from './types';
import type { Migration, MigrationContext } from './migration';

export const hmmDevmemAdd: Migration = {
	meta: {
		id: 'hmm-devmem-add',
		title: 'Migrate hmm_devmem_add() to devm_request_free_mem_region() and a driver-owned struct dev_pagemap',
		description:
			'hmm_devmem_add(ops, dev, size) → devm_request_free_mem_region() + struct dev_pagemap (MEMORY_DEVICE_PRIVATE) + devm_memremap_pages(); the struct hmm_devmem * member becomes an embedded struct dev_pagemap.',
	},
	offers: (doc, shape) => addOffers(doc, shape, 'hmm_devmem_add', hmmDevmemAdd.meta.id, hmmDevmemAdd.meta.title),
	run: (ctx) => addSites(ctx, 'hmm_devmem_add', hmmDevmemAdd.meta.id, hmmDevmemAdd.meta.title),
};

function helperName(site: AddSite, api: AddApi): string {
	const base = site.holder?.base || site.doc.file.replace(/^.*\//, '').replace(/\.[ch]$/, '').replace(/\W/g, '_');
	return `${base}_pagemap_add${api === 'hmm_devmem_add_resource' ? '_resource' : ''}`;
}

function signature(name: string, params: string[]): string {
	const head = `static struct dev_pagemap *${name}(`;
	const col = visualWidth(head);
	const lines: string[] = [];
	let line = head;
	params.forEach((p, i) => {
		const piece = p + (i < params.length - 1 ? ',' : ')');
		if (i > 0 && visualWidth(`${line} ${piece}`) > 80) {
			lines.push(line);
			line = '\t'.repeat(Math.floor(col / 8)) + ' '.repeat(col % 8) + piece;
		} else line = i === 0 ? line + piece : `${line} ${piece}`;
	});
	lines.push(line);
	return lines.join('\n');
}

function fillRange(shape: KernelShape, from: string): string[] {
	return shape.hasRange
		? [`\tpagemap->range.start = ${from}->start;`, `\tpagemap->range.end = ${from}->end;`, '\tpagemap->nr_range = 1;']
		: [`\tpagemap->res = *${from};`];
}

/** The static helper that does what the removed function did, for this kernel's struct. */
export function helperText(shape: KernelShape, name: string, api: AddApi): string {
	const owner = shape.hasOwner ? ['\tpagemap->owner = device;'] : [];
	const tail = ['', '\taddr = devm_memremap_pages(device, pagemap);', '\tif (IS_ERR(addr))', '\t\treturn ERR_CAST(addr);', '\treturn pagemap;', '}', ''];
	if (api === 'hmm_devmem_add') {
		return [
			'/*',
			' * What hmm_devmem_add() did before Linux 5.3: find @size bytes of unused',
			' * physical address space, claim it, and create MEMORY_DEVICE_PRIVATE',
			' * struct pages for it in the driver-owned @pagemap.',
			' */',
			signature(name, ['struct dev_pagemap *pagemap', 'const struct dev_pagemap_ops *ops', 'struct device *device', 'unsigned long size']),
			'{',
			'\tstruct resource *res;',
			'\tvoid *addr;',
			'',
			'\tres = devm_request_free_mem_region(device, &iomem_resource, size);',
			'\tif (IS_ERR(res))',
			'\t\treturn ERR_CAST(res);',
			'',
			'\tpagemap->type = MEMORY_DEVICE_PRIVATE;',
			...fillRange(shape, 'res'),
			'\tpagemap->ops = ops;',
			...owner,
			...tail,
		].join('\n');
	}
	const type = publicMemoryType(shape);
	const todo =
		type === 'MEMORY_DEVICE_COHERENT'
			? [
					'\t/*',
					'\t * TODO(kmm): MEMORY_DEVICE_PUBLIC is gone (Linux 5.3). The closest',
					'\t * type is MEMORY_DEVICE_COHERENT: CPU-addressable, cache-coherent',
					'\t * device memory that the driver manages and that can migrate back',
					'\t * to system RAM. Check that this is what the device has.',
					'\t */',
				]
			: [
					'\t/*',
					`\t * TODO(kmm): MEMORY_DEVICE_PUBLIC is gone (Linux 5.3) and this kernel has`,
					`\t * no MEMORY_DEVICE_COHERENT (6.0). ${type} is a guess: decide how the`,
					'\t * device memory should be mapped.',
					'\t */',
				];
	return [
		'/*',
		' * What hmm_devmem_add_resource() did before Linux 5.3: create struct pages',
		' * for CPU-addressable device memory in @res, which the driver has claimed,',
		' * in the driver-owned @pagemap.',
		' */',
		signature(name, ['struct dev_pagemap *pagemap', 'const struct dev_pagemap_ops *ops', 'struct device *device', 'struct resource *res']),
		'{',
		'\tvoid *addr;',
		'',
		...todo,
		`\tpagemap->type = ${type};`,
		...fillRange(shape, 'res'),
		'\tpagemap->ops = ops;',
		...owner,
		...tail,
	].join('\n');
}

/** Every edit that rewrites the calls of one add function: its helper per file and the calls. */
export function addEdits(ctx: MigrationContext, api: AddApi): Edit[] {
	const sites = ctx.model.adds.filter((a) => a.api === api);
	const helpers = new Map<string, { name: string; edit: Edit }>();
	for (const site of sites) {
		if (helpers.has(site.doc.file)) continue;
		const name = helperName(site, api);
		const at = aboveWithComment(site.doc, topLevel(site.call));
		helpers.set(site.doc.file, { name, edit: { file: site.doc.file, start: at, end: at, text: helperText(ctx.shape, name, api) + '\n' } });
	}
	const calls = sites.map((site): Edit => {
		const fn = site.call.childForFieldName('function')!;
		const open = site.call.childForFieldName('arguments')!;
		return { file: site.doc.file, start: fn.startIndex, end: open.startIndex + 1, text: `${helpers.get(site.doc.file)!.name}(${site.pagemapPtr}, ` };
	});
	return [...[...helpers.values()].map((h) => h.edit), ...calls];
}

/** The calls of one add function that have the shape the conversion takes; whether the model finds their holder, `run` says. */
export function addOffers(doc: Doc, shape: KernelShape, api: AddApi, id: string, title: string): Offer[] {
	if (!shape.hasOps) return [];
	return nodes(doc.tree.rootNode, 'call_expression')
		.filter((call) => calleeName(call) === api && addCallParts(call))
		.map((call) => ({ migration: id, file: doc.file, start: call.startIndex, end: call.endIndex, title, preferred: true }));
}

/**
 * The sites of one of the two add functions. Each fix carries the whole conversion (the
 * holder's type changes, so every use and every add call of either kind must change with it).
 */
export function addSites(ctx: MigrationContext, api: AddApi, id: string, title: string): MigrationOutput {
	const out = emptyOutput();
	if (!ctx.shape.hasOps) return out;
	const edits = [...ctx.model.edits, ...addEdits(ctx, 'hmm_devmem_add'), ...addEdits(ctx, 'hmm_devmem_add_resource')];
	for (const site of ctx.model.adds) {
		if (site.api !== api || !ctx.targets.has(site.doc.file)) continue;
		out.sites.push({ migration: id, file: site.doc.file, start: site.call.startIndex, end: site.call.endIndex, title, preferred: true, edits });
		if (api === 'hmm_devmem_add_resource') {
			out.todos.push({
				file: site.doc.file,
				start: site.call.startIndex,
				end: site.call.endIndex,
				reason: `MEMORY_DEVICE_PUBLIC is gone: the migration uses ${publicMemoryType(ctx.shape)}; decide whether it fits (see the TODO(kmm) in the helper)`,
			});
		}
	}
	return out;
}
