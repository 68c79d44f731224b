/**
 * hmm-page-drvdata: hmm_devmem_page_get_drvdata(page) / hmm_devmem_page_set_drvdata(page,
 * data) into page->zone_device_data (5.3; kernel-facts.md "Migrating a caller"). The old
 * helpers stored an unsigned long, the field is a void *: reads get an (unsigned long) cast,
 * writes a (void *) one (0 becomes NULL), so the driver's types stay as they were. Only the
 * call's skeleton is replaced: the argument texts stay, so edits inside them (other
 * migrations') still apply.
 */
import { callArgs, calleeName, nodes, paren } from './syntax';
import { emptyOutput, type Doc, type Edit, type SyntaxNode } from './types';
import type { Migration } from './migration';

const GET = 'hmm_devmem_page_get_drvdata';
const SET = 'hmm_devmem_page_set_drvdata';

export const hmmPageDrvdata: Migration = {
	meta: {
		id: 'hmm-page-drvdata',
		title: 'Use page->zone_device_data instead of the hmm_devmem drvdata helpers',
		description: 'hmm_devmem_page_get_drvdata(page) → (unsigned long)page->zone_device_data; hmm_devmem_page_set_drvdata(page, v) → page->zone_device_data = (void *)v.',
	},
	offers(doc, shape) {
		if (!shape.hasOps) return [];
		return helperCalls(doc)
			.filter(({ call, name }) => callArgs(call).length === arity(name))
			.map(({ call, name }) => ({ migration: hmmPageDrvdata.meta.id, file: doc.file, start: call.startIndex, end: call.endIndex, title: titleOf(name), preferred: true }));
	},
	run(ctx) {
		const out = emptyOutput();
		if (!ctx.shape.hasOps) return out;
		for (const file of ctx.targets) {
			const doc = ctx.docs.get(file);
			if (!doc) continue;
			for (const { call, name } of helperCalls(doc)) {
				const args = callArgs(call);
				if (args.length !== arity(name)) {
					out.left.push({ file, start: call.startIndex, end: call.endIndex, reason: `${name}() with an unexpected number of arguments` });
					continue;
				}
				const page = args[0];
				const simple = paren(page, 'x') === 'x';
				const edits: Edit[] = [];
				const e = (start: number, end: number, text: string) => edits.push({ file, start, end, text });
				if (name === GET) {
					e(call.startIndex, page.startIndex, simple ? '(unsigned long)' : '(unsigned long)(');
					e(page.endIndex, call.endIndex, `${simple ? '' : ')'}->zone_device_data`);
				} else {
					const value = args[1];
					e(call.startIndex, page.startIndex, simple ? '' : '(');
					const field = `${simple ? '' : ')'}->zone_device_data = `;
					if (/^0[uUlL]*$/.test(value.text)) e(page.endIndex, call.endIndex, `${field}NULL`);
					else {
						const plain = paren(value, 'x') === 'x';
						e(page.endIndex, value.startIndex, `${field}(void *)${plain ? '' : '('}`);
						e(value.endIndex, call.endIndex, plain ? '' : ')');
					}
				}
				out.sites.push({
					migration: hmmPageDrvdata.meta.id,
					file,
					start: call.startIndex,
					end: call.endIndex,
					title: titleOf(name),
					preferred: true,
					edits,
				});
			}
		}
		return out;
	},
};

function helperCalls(doc: Doc): { call: SyntaxNode; name: typeof GET | typeof SET }[] {
	return nodes(doc.tree.rootNode, 'call_expression').flatMap((call) => {
		const name = calleeName(call);
		return name === GET || name === SET ? [{ call, name }] : [];
	});
}

function arity(name: typeof GET | typeof SET): number {
	return name === GET ? 1 : 2;
}

function titleOf(name: typeof GET | typeof SET): string {
	return name === GET ? 'Read page->zone_device_data instead of hmm_devmem_page_get_drvdata()' : 'Assign page->zone_device_data instead of hmm_devmem_page_set_drvdata()';
}
