/**
 * hmm-devmem-add-resource: callers of hmm_devmem_add_resource(ops, dev, res) (removed in
 * 5.3). It mapped CPU-addressable device memory as MEMORY_DEVICE_PUBLIC, which 5.3 removed
 * too; the closest type the indexed kernel has is used instead (MEMORY_DEVICE_COHERENT from
 * 6.0, see shape.ts) with a `TODO(kmm)` comment where a person must decide. Otherwise as
 * hmm-devmem-add: a driver-owned struct dev_pagemap for @res and devm_memremap_pages().
 */
import { addOffers, addSites } from './devmem-add';
import { deleteLines, nodes } from './syntax';
import type { Migration } from './migration';

const PUBLIC_DESC = 'IORES_DESC_DEVICE_PUBLIC_MEMORY';

export const hmmDevmemAddResource: Migration = {
	meta: {
		id: 'hmm-devmem-add-resource',
		title: 'Migrate hmm_devmem_add_resource() to a driver-owned struct dev_pagemap',
		description:
			'hmm_devmem_add_resource(ops, dev, res) → struct dev_pagemap for @res (MEMORY_DEVICE_COHERENT where the kernel has it, with a TODO) + devm_memremap_pages().',
	},
	offers: (doc, shape) => addOffers(doc, shape, 'hmm_devmem_add_resource', hmmDevmemAddResource.meta.id, hmmDevmemAddResource.meta.title),
	run(ctx) {
		const out = addSites(ctx, 'hmm_devmem_add_resource', hmmDevmemAddResource.meta.id, hmmDevmemAddResource.meta.title);
		if (out.sites.length === 0 || ctx.shape.hasPublicDesc) return out;
		// hmm_devmem_add_resource() insisted on res->desc = IORES_DESC_DEVICE_PUBLIC_MEMORY;
		// the constant is gone with the type, and nothing checks the descriptor any more.
		for (const doc of ctx.docs.values()) {
			for (const id of nodes(doc.tree.rootNode, 'identifier')) {
				if (id.text !== PUBLIC_DESC) continue;
				const assign = id.parent;
				const stmt = assign?.parent;
				if (assign?.type === 'assignment_expression' && assign.childForFieldName('right')?.id === id.id && stmt?.type === 'expression_statement') {
					const del = deleteLines(doc, stmt);
					for (const site of out.sites) site.edits = [...site.edits, del];
				} else out.left.push({ file: doc.file, start: id.startIndex, end: id.endIndex, reason: `${PUBLIC_DESC} is gone (Linux 5.3) and this use is not a plain assignment to drop` });
			}
		}
		return out;
	},
};
