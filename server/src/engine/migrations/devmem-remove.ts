/**
 * hmm-devmem-remove: hmm_devmem_remove(devmem) (removed in 5.0) into
 * devm_memunmap_pages(dev, &pagemap): the pagemap was mapped with devm_memremap_pages(), so
 * this tears it down early, as hmm_devmem_remove() did; the device comes from the driver
 * structure that holds the pagemap (model.ts). The argument is rewritten by the conversion.
 */
import { callArgs, calleeName, nodes } from './syntax';
import { emptyOutput, type Doc, type SyntaxNode } from './types';
import type { Migration } from './migration';

export const hmmDevmemRemove: Migration = {
	meta: {
		id: 'hmm-devmem-remove',
		title: 'Migrate hmm_devmem_remove() to devm_memunmap_pages()',
		description: 'hmm_devmem_remove(devmem) → devm_memunmap_pages(dev, &pagemap), for a pagemap mapped with devm_memremap_pages().',
	},
	// Whether the model knows the device is for `run` to say.
	offers(doc, shape) {
		if (!shape.hasOps) return [];
		return removeCalls(doc)
			.filter((call) => callArgs(call)[0])
			.map((call) => ({ migration: hmmDevmemRemove.meta.id, file: doc.file, start: call.startIndex, end: call.endIndex, title: hmmDevmemRemove.meta.title, preferred: true }));
	},
	run(ctx) {
		const out = emptyOutput();
		if (!ctx.shape.hasOps) return out;
		for (const file of ctx.targets) {
			const doc = ctx.docs.get(file);
			if (!doc) continue;
			for (const call of removeCalls(doc)) {
				const arg = callArgs(call)[0];
				const found = arg && ctx.model.refOf(doc, arg);
				if (!arg || !found?.dev) {
					out.left.push({
						file,
						start: call.startIndex,
						end: call.endIndex,
						reason: 'hmm_devmem_remove(): cannot tell which driver structure (and device) holds this device memory',
					});
					continue;
				}
				const fn = call.childForFieldName('function')!;
				const inArg = ctx.model.edits.filter((e) => e.file === file && e.start >= arg.startIndex && e.end <= arg.endIndex);
				out.sites.push({
					migration: hmmDevmemRemove.meta.id,
					file,
					start: call.startIndex,
					end: call.endIndex,
					title: hmmDevmemRemove.meta.title,
					preferred: true,
					edits: [{ file, start: fn.startIndex, end: arg.startIndex, text: `devm_memunmap_pages(${found.dev}, ` }, ...inArg],
				});
			}
		}
		return out;
	},
};

function removeCalls(doc: Doc): SyntaxNode[] {
	return nodes(doc.tree.rootNode, 'call_expression').filter((call) => calleeName(call) === 'hmm_devmem_remove');
}
