import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCParser } from '../../src/engine/syntax/parser';
import { prepareSource } from '../../src/engine/syntax/prepare';
import { extractFacts, type DocumentFacts } from '../../src/engine/syntax/facts';

const V61 = { major: 6, minor: 1, patch: 0, extra: '' };

async function factsOf(src: string): Promise<DocumentFacts> {
	const parser = await createCParser();
	const tree = parser.parse(prepareSource(src));
	assert.ok(tree);
	try {
		return extractFacts(tree, src, V61);
	} finally {
		tree.delete();
		parser.delete();
	}
}

const SRC = `// SPDX-License-Identifier: GPL-2.0
#include <linux/memremap.h>

#define MAP_PAGES(d, p) devm_memremap_pages(d, p)
#define FREE_FN page_free_hook

/* devm_memremap_pages(dev, pgmap) in a comment */
static const char *msg = "get_dev_pagemap(pfn)";
void *devm_memremap_pages(struct device *dev, struct dev_pagemap *pgmap);

static int local_helper(int memremap_pages)
{
	return memremap_pages + 1;
}

static const struct dev_pagemap_ops ops = {
	.page_free = drv_page_free,
};

int probe(struct device *dev, struct dev_pagemap *pgmap)
{
	struct page *p;
	void *(*fn)(struct device *, struct dev_pagemap *) = &devm_memremap_pages;

	list_for_each_entry(p, &dev->pages, lru) {
		zone_device_page_init(p);
	}
	MAP_PAGES(dev, pgmap);
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 0, 0)
	hmm_devmem_add(NULL, dev, 4096);
#endif
	return local_helper(1) + (fn != NULL);
}
`;

test('uses: calls and references; not declarations, comments, strings or locals', async () => {
	const f = await factsOf(SRC);
	const uses = (name: string) => f.uses.filter((u) => u.name === name);
	// The address taken in the initializer, and the call hidden in MAP_PAGES.
	assert.deepEqual(
		uses('devm_memremap_pages').map((u) => [u.kind, u.range.start.line, u.viaMacro ?? '']),
		[
			['reference', 22, ''],
			['call', 27, 'MAP_PAGES'],
		],
	);
	assert.equal(uses('get_dev_pagemap').length, 0, 'string literal');
	assert.equal(uses('memremap_pages').length, 0, 'parameter shadows the export');
	assert.deepEqual(uses('drv_page_free').map((u) => u.kind), ['reference']);
	assert.deepEqual(
		uses('zone_device_page_init').map((u) => [u.kind, u.range.start.line]),
		[['call', 25]],
		'calls inside list_for_each_entry bodies survive',
	);
	assert.equal(uses('hmm_devmem_add').length, 0, 'dead for 6.1');
	assert.equal(uses('page_free_hook').length, 0, 'an unused macro reaches nothing');
});

test('definitions and macros of the document', async () => {
	const f = await factsOf(SRC);
	assert.deepEqual(
		[...f.functions.values()].map((d) => [d.name, d.isStatic, d.range.start.line]),
		[
			['local_helper', true, 10],
			['probe', false, 19],
		],
	);
	assert.deepEqual(f.macros.get('MAP_PAGES')?.calls, ['devm_memremap_pages']);
	assert.deepEqual(f.macros.get('FREE_FN')?.references, ['page_free_hook']);
});

test('kernel macro constructs do not lose the definitions inside', async () => {
	const f = await factsOf(`SYSCALL_DEFINE2(kmm_probe, int, a, int, b)
{
	return do_kmm_probe(a, b);
}

static int __init drv_init(void)
{
	return drv_setup();
}
module_init(drv_init);
`);
	assert.ok(f.functions.has('drv_init'));
	assert.ok(f.uses.some((u) => u.name === 'do_kmm_probe' && u.kind === 'call'));
	assert.ok(f.uses.some((u) => u.name === 'drv_setup' && u.kind === 'call'));
	assert.ok(f.uses.some((u) => u.name === 'drv_init' && u.kind === 'reference'));
});

test('malformed C yields facts, not an exception', async () => {
	const f = await factsOf('int x = ((( foo(;\n}}}} struct { bar(1);\n#if\n#endif\n#endif\n\0\xff');
	assert.ok(Array.isArray(f.uses));
});

test('ops tables: designated initializers name the function serving each member', async () => {
	const f = await factsOf(`static const struct dev_pagemap_ops drv_ops = {
	.page_free	= drv_page_free,
	.migrate_to_ram	= &drv_migrate_to_ram,
	.memory_failure	= NULL,
};

static struct pci_driver drv_pci = {
	.name = "drv",
	.probe = drv_probe,
};
`);
	assert.deepEqual(
		f.opsTables.map((t) => [t.struct, t.variable, t.entries.map((e) => [e.field, e.name ?? null, e.range.start.line])]),
		[
			[
				'dev_pagemap_ops',
				'drv_ops',
				[
					['page_free', 'drv_page_free', 1],
					['migrate_to_ram', 'drv_migrate_to_ram', 2],
					['memory_failure', null, 3],
				],
			],
			[
				'pci_driver',
				'drv_pci',
				[
					['name', null, 7],
					['probe', 'drv_probe', 8],
				],
			],
		],
	);
});

test('parameters (function pointers too) and locals shadow kernel names from their declaration on', async () => {
	const f = await factsOf(`int each(int (*kfree)(void *p), void *data)
{
	int vmalloc = kfree(data);

	return vmalloc + kmalloc(4);
}
`);
	assert.deepEqual(
		f.uses.map((u) => `${u.name} ${u.kind}`),
		['kmalloc call'],
	);
});

test('struct and union tags the document defines, on live lines only', async () => {
	const facts = await factsOf(
		'struct own { int a; };\nstruct dev_pagemap *p;\nunion u { int b; struct { int c; } in; };\n#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 3, 0)\nstruct hmm_devmem { int d; };\n#endif\nint f(void) { struct local { int e; } l; return 0; }\n',
	);
	assert.deepEqual([...facts.records.keys()].sort(), ['local', 'own', 'u']);
	assert.deepEqual([...facts.records.get('u')!], [['b', undefined], ['in', undefined]]);
});
