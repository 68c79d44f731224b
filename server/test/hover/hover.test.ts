import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { buildKernelIndex } from '../../src/engine/kernel/build';
import { DRIVERS, MODERN, V419 } from '../helpers/paths';
import { writeModule } from '../helpers/module';
import { openDoc, type Doc } from './hover-helper';

const modern = buildKernelIndex(MODERN);
const v419 = buildKernelIndex(V419);

/** One driver that touches both eras' names; each era hovers it differently. */
const DRIVER = `#include <linux/memremap.h>
static struct dev_pagemap drv_pgmap = {
	.type = MEMORY_DEVICE_PRIVATE,
	.altmap = { .free = 16 },
};

static int drv_map(struct device *dev, struct dev_pagemap *pgmap)
{
	struct page *page = NULL;

	pgmap->altmap_valid = true;
	pgmap->flags |= PGMAP_ALTMAP_VALID;
	pgmap->res.start = 0;
	pgmap->range.start = 0;
	pgmap->altmap.free = 1;
	pgmap->type = MEMORY_DEVICE_PUBLIC;
	pgmap->type = MEMORY_DEVICE_COHERENT;
	page->pgmap->type = MEMORY_DEVICE_FS_DAX;
	return PTR_ERR_OR_ZERO(devm_memremap_pages(dev, pgmap));
}
MODULE_LICENSE("@LICENSE@");
`;

async function driver(kernel = modern, license = 'Proprietary'): Promise<Doc> {
	const dir = writeModule({ Kbuild: 'obj-m := drv.o\n', 'drv.c': DRIVER.replace("@LICENSE@", license) });
	return openDoc(kernel, join(dir, 'drv.c'));
}

/** The first paragraph: the one-line answer. */
function headline(md: string | undefined): string {
	assert.ok(md, 'expected a hover');
	return md.split('\n\n')[0];
}

test('altmap_valid: a field in 4.19.0, the PGMAP_ALTMAP_VALID flag in 6.1.0', async () => {
	const [old, cur] = [await driver(v419), await driver(modern)];
	const o = old.hover('altmap_valid')!;
	assert.match(headline(o), /^\*\*`dev_pagemap\.altmap_valid`\*\* — Whether `altmap` is to be used/);
	assert.match(o, /```c\nbool altmap_valid;\t\/\* whether @altmap is to be used \*\/\n```/);
	assert.match(o, /Removed in 5\.3\. Instead: the `PGMAP_ALTMAP_VALID` bit of `flags`/);
	const c = cur.hover('altmap_valid')!;
	assert.match(headline(c), /— not in 6\.1\.0: removed in 5\.3\. Instead: the `PGMAP_ALTMAP_VALID` bit of `flags`/);
	assert.match(c, /The fields of `struct dev_pagemap` in 6\.1\.0: `altmap`, `ref`, `done`, `type`, `flags`/);
	assert.doesNotMatch(c, /```c/);
});

test('res and range swap places between the eras', async () => {
	const [old, cur] = [await driver(v419), await driver(modern)];
	assert.match(headline(old.hover('res.start')), /^\*\*`dev_pagemap\.res`\*\* — The physical address range/);
	assert.match(old.hover('res.start')!, /struct resource res;/);
	assert.match(headline(cur.hover('res.start')), /not in 6\.1\.0: removed in 5\.10\. Instead: `range\.start`\/`range\.end`/);
	assert.match(headline(old.hover('range.start')), /not in 4\.19\.0: added in 5\.10; 4\.19\.0 has `struct resource res`/);
	const range = cur.hover('range.start')!;
	assert.match(headline(range), /^\*\*`dev_pagemap\.range`\*\* — The physical address range to map/);
	assert.match(range, /struct range range;/);
	assert.match(range, /include\/linux\/memremap\.h:80 \(inside an anonymous union\/struct\)/);
	// `.start` of `pgmap->range` belongs to struct range, not to any other `start`.
	assert.match(headline(cur.hover('range.start', 7)), /^\*\*`range\.start`\*\*/);
});

test('memory types: PUBLIC exists only in 4.19.0, COHERENT only in 6.1.0, values from the tree', async () => {
	const [old, cur] = [await driver(v419), await driver(modern)];
	assert.match(headline(old.hover('MEMORY_DEVICE_PUBLIC')), /^\*\*`MEMORY_DEVICE_PUBLIC`\*\* = 2 in 4\.19\.0 — CPU-addressable, cache-coherent/);
	assert.match(old.hover('MEMORY_DEVICE_PUBLIC')!, /Removed in 5\.3/);
	assert.match(headline(cur.hover('MEMORY_DEVICE_PUBLIC')), /not in 6\.1\.0: removed in 5\.3/);
	assert.match(cur.hover('MEMORY_DEVICE_PUBLIC')!, /`enum memory_type` in 6\.1\.0: MEMORY_DEVICE_PRIVATE = 1, MEMORY_DEVICE_COHERENT = 2, MEMORY_DEVICE_FS_DAX = 3/);
	assert.match(headline(cur.hover('MEMORY_DEVICE_COHERENT')), /= 2 in 6\.1\.0 — CPU-addressable, cache-coherent device memory owned by a driver/);
	assert.match(headline(old.hover('MEMORY_DEVICE_COHERENT')), /not in 4\.19\.0: added in 6\.0/);
	assert.match(old.hover('MEMORY_DEVICE_COHERENT')!, /MEMORY_DEVICE_PRIVATE = 1, MEMORY_DEVICE_PUBLIC = 2, MEMORY_DEVICE_FS_DAX = 3/);
	assert.match(headline(old.hover('MEMORY_DEVICE_FS_DAX')), /= 3 in 4\.19\.0/);
	assert.match(headline(cur.hover('MEMORY_DEVICE_FS_DAX')), /= 3 in 6\.1\.0/);
	const priv = cur.hover('MEMORY_DEVICE_PRIVATE')!;
	assert.match(priv, /= 1 in 6\.1\.0/);
	assert.match(priv, /refuses it without `ops->page_free`, `ops->migrate_to_ram` or `owner`/);
	assert.doesNotMatch(old.hover('MEMORY_DEVICE_PRIVATE')!, /refuses it without/);
	assert.match(old.hover('MEMORY_DEVICE_PRIVATE')!, /Created through `hmm_devmem_add\(\)`/);
});

test('devm_memremap_pages: plain in 4.19.0, GPL-only in 6.1.0 where a Proprietary module may not use it', async () => {
	const old = (await driver(v419)).hover('devm_memremap_pages')!;
	assert.match(old, /\*\*Export:\*\* plain export \(`EXPORT_SYMBOL`\): drv\.ko may use it/);
	assert.match(old, /Exported with `EXPORT_SYMBOL` at kernel\/memremap\.c:\d+, defined at kernel\/memremap\.c:\d+/);
	const cur = (await driver(modern)).hover('devm_memremap_pages')!;
	assert.match(cur, /\*\*Export:\*\* GPL-only export \(`EXPORT_SYMBOL_GPL`\): drv\.ko may \*\*not\*\* use it: `MODULE_LICENSE\("Proprietary"\)` is not GPL-compatible/);
	assert.match(cur, /modpost: "GPL-incompatible module drv\.ko uses GPL-only symbol 'devm_memremap_pages'"/);
	assert.match(cur, /```c\nvoid \*devm_memremap_pages\(struct device \*dev, struct dev_pagemap \*pgmap\);\n```/);
	const gpl = (await driver(modern, 'GPL')).hover('devm_memremap_pages')!;
	assert.match(gpl, /drv\.ko may use it: `MODULE_LICENSE\("GPL"\)` is GPL-compatible/);
});

test('MODULE_LICENSE: verdict, near misses, and the GPL-only uses of the file', async () => {
	const cur = (await driver(modern)).hover('MODULE_LICENSE', 3)!;
	assert.match(headline(cur), /^\*\*MODULE_LICENSE\("Proprietary"\)\*\* — not GPL-compatible: drv\.ko taints the kernel/);
	assert.match(cur, /GPL-only exports this file uses: `devm_memremap_pages`\./);
	// In 4.19.0 devm_memremap_pages is plain: nothing to list.
	assert.doesNotMatch((await driver(v419)).hover('"Proprietary"', 2)!, /GPL-only exports this file uses/);
	assert.match(headline((await driver(modern, 'GPL v2')).hover('MODULE_LICENSE')), /GPL-compatible: drv\.ko may use GPL-only exports/);
	assert.match((await driver(modern, 'gpl v2')).hover('MODULE_LICENSE')!, /Did you mean "GPL v2"\?/);
});

test('designated initializers and nested ones resolve to their struct', async () => {
	const cur = await driver(modern);
	assert.match(headline(cur.hover('.type', 1)), /^\*\*`dev_pagemap\.type`\*\*/);
	assert.match(headline(cur.hover('.free', 1)), /^\*\*`vmem_altmap\.free`\*\*/);
	assert.match(headline(cur.hover('.altmap', 1)), /^\*\*`dev_pagemap\.altmap`\*\*/);
	// Through struct page's pgmap member, read from the tree's mm_types.h.
	assert.match(headline(cur.hover('pgmap->type', 8)), /^\*\*`dev_pagemap\.type`\*\*/);
	assert.match(headline(cur.hover('page->pgmap', 7)), /^\*\*`page\.pgmap`\*\* — a field of `struct page`/);
});

test('the old HMM driver: everything resolves on 4.19.0; on 6.1.0 the API is gone with its replacement named', async () => {
	const file = join(DRIVERS, 'hmm-legacy', 'hmmdrv.c');
	const [old, cur] = [await openDoc(v419, file), await openDoc(modern, file)];
	assert.match(old.hover('hmm_devmem_add(')!, /\*\*Export:\*\* plain export \(`EXPORT_SYMBOL`\): hmmdrv\.ko may use it/);
	assert.match(old.hover('hmm_devmem_add(')!, /Removed in 5\.3\. Instead: `devm_request_free_mem_region/);
	assert.match(headline(cur.hover('hmm_devmem_add(')), /not in 6\.1\.0: removed in 5\.3\. Instead: `devm_request_free_mem_region\(dev, &iomem_resource, size\)`/);
	assert.match(headline(cur.hover('hmm_devmem_page_get_drvdata')), /removed in 5\.3\. Instead: `page->zone_device_data`/);
	// `.free`/`.fault` of hmm_devmem_ops, not vmem_altmap's free.
	assert.match(headline(old.hover('.free', 1)), /^\*\*`hmm_devmem_ops\.free`\*\* — Old HMM callback/);
	assert.match(old.hover('.free', 1)!, /void \(\*free\)\(struct hmm_devmem \*devmem, struct page \*page\);/);
	assert.match(headline(cur.hover('.fault', 1)), /^\*\*`hmm_devmem_ops\.fault`\*\* — not in 6\.1\.0: removed in 5\.3\. Instead: `dev_pagemap_ops\.migrate_to_ram/);
	assert.match(headline(old.hover('devmem->pfn_first', 8)), /^\*\*`hmm_devmem\.pfn_first`\*\* — First pfn/);
	assert.match(headline(cur.hover('struct hmm_devmem ', 8)), /^\*\*struct hmm_devmem\*\* — not in 6\.1\.0: removed in 5\.3/);
});

test('container_of and the driver\'s own structs lead to dev_pagemap fields', async () => {
	const doc = await openDoc(modern, join(MODERN, 'drivers/gpu/toygpu/toygpu_dmem.c'));
	assert.match(headline(doc.hover('pagemap.owner', 8)), /^\*\*`dev_pagemap\.owner`\*\* — An opaque cookie/);
	assert.match(doc.hover('pagemap.owner', 8)!, /Required for MEMORY_DEVICE_PRIVATE and MEMORY_DEVICE_COHERENT/);
	assert.match(headline(doc.hover('pagemap.nr_range', 8)), /^\*\*`dev_pagemap\.nr_range`\*\*/);
	// In-tree module: toygpu.ko is GPL and in-tree, memremap_pages is GPL-only.
	assert.match(doc.hover('memremap_pages(&')!, /GPL-only export \(`EXPORT_SYMBOL_GPL`\): drivers\/gpu\/toygpu\/toygpu\.ko \(a module when its option is =m\) may use it/);
});

test('export status of any exported symbol: namespaces, imports and built-in code', async () => {
	const ns = await openDoc(modern, join(DRIVERS, 'ns-missing', 'nsuser.c'));
	const alloc = headline(ns.hover('fakemem_alloc('));
	assert.match(alloc, /GPL-only export in namespace `FAKEMEM` \(`EXPORT_SYMBOL_NS_GPL`\): nsuser\.ko may \*\*not\*\* use it: .*not GPL-compatible; the module does not import `FAKEMEM`/);
	assert.match(ns.hover('fakemem_alloc(')!, /Add `MODULE_IMPORT_NS\(FAKEMEM\)`/);
	assert.match(headline(ns.hover('fakemem_free(')), /plain export in namespace `FAKEMEM`.*may \*\*not\*\* use it: the module does not import `FAKEMEM`/);
	const toy = await openDoc(modern, join(MODERN, 'drivers/gpu/toygpu/toygpu_drv.c'));
	assert.match(headline(toy.hover('fakemem_alloc(')), /may use it: `MODULE_LICENSE\("GPL"\)` is GPL-compatible; the module imports `FAKEMEM`/);
	const core = await openDoc(modern, join(MODERN, 'drivers/misc/fakemem_core.c'));
	assert.match(core.hover('devm_memremap_pages(')!, /built-in code: no license check/);
	// Not ZONE_DEVICE at all: still an export hover.
	const pdev = await openDoc(modern, join(DRIVERS, 'pdev-proprietary', 'pdev.c'));
	assert.match(headline(pdev.hover('get_dev_pagemap(')), /^\*\*`get_dev_pagemap`\*\* — Finds the `struct dev_pagemap`/);
	assert.match(pdev.hover('get_dev_pagemap(')!, /pdev\.ko may \*\*not\*\* use it/);
	assert.match(headline(pdev.hover('hmm_range_fault(&')), /^\*\*`hmm_range_fault`\*\* — Snapshots/);
	assert.match(pdev.hover('hmm_range_fault(&')!, /plain export \(`EXPORT_SYMBOL`\): pdev\.ko may use it/);
	assert.match(headline(pdev.hover('put_dev_pagemap(found')), /Drops the reference/);
	assert.match(pdev.hover('put_dev_pagemap(found')!, /A header inline \(no export involved\), defined at include\/linux\/memremap\.h:106/);
});

test('a function the module defines itself is not the kernel export', async () => {
	const doc = await openDoc(modern, join(DRIVERS, 'builtin-shadow', 'shadow.c'));
	const md = doc.hover('get_dev_pagemap(', 1, 1);
	assert.match(headline(md), /defined by this module \(shadow\)/);
});

test('struct dev_pagemap shows the tree\'s own definition', async () => {
	const [old, cur] = [await driver(v419), await driver(modern)];
	const c = cur.hover('dev_pagemap drv_pgmap', 2)!;
	assert.match(headline(c), /^\*\*struct dev_pagemap\*\* — One ZONE_DEVICE mapping/);
	assert.match(c, /```c\nstruct dev_pagemap \{[^`]*unsigned long vmemmap_shift;/);
	assert.match(c, /The physical range is `range` \(or `ranges\[\]`\)/);
	const o = old.hover('dev_pagemap drv_pgmap', 2)!;
	assert.match(o, /bool altmap_valid;/);
	assert.doesNotMatch(o, /```c[^`]*vmemmap_shift/);
	assert.match(o, /The physical range is the `struct resource res` field/);
});

test('go to definition lands on the tree\'s declarations', async () => {
	const [old, cur] = [await driver(v419), await driver(modern)];
	const at = (locs: { file: string; range: { start: { line: number } } }[]) => locs.map((l) => `${l.file.replace(/.*kernels\//, '')}:${l.range.start.line + 1}`);
	assert.deepEqual(at(cur.definition('range.start')), ['modern/include/linux/memremap.h:80']);
	assert.deepEqual(at(old.definition('range.start')), []);
	assert.deepEqual(at(old.definition('altmap_valid')), ['v4.19/include/linux/memremap.h:62']);
	assert.deepEqual(at(cur.definition('MEMORY_DEVICE_COHERENT')), ['modern/include/linux/memremap.h:43']);
	assert.deepEqual(at(cur.definition('PGMAP_ALTMAP_VALID')), ['modern/include/linux/memremap.h:63']);
	assert.deepEqual(at(cur.definition('dev_pagemap drv_pgmap')), ['modern/include/linux/memremap.h:69']);
	assert.deepEqual(at(cur.definition('.free', 1)), ['modern/include/linux/memremap.h:22']);
	const dm = at(cur.definition('devm_memremap_pages'));
	assert.equal(dm.length, 2);
	assert.match(dm[0], /^modern\/mm\/memremap\.c:\d+$/);
	assert.equal(dm[1], 'modern/include/linux/memremap.h:99');
	assert.match(at(old.definition('devm_memremap_pages'))[0], /^v4\.19\/kernel\/memremap\.c:\d+$/);
	// The definition line really is the function's.
	const line = Number(dm[0].split(':')[1]);
	const { readFileSync } = await import('node:fs');
	assert.match(readFileSync(join(MODERN, 'mm/memremap.c'), 'utf8').split('\n')[line - 1], /^void \*devm_memremap_pages\(/);
});

test('dev_pagemap_ops members: function-pointer fields read from the tree', async () => {
	const dir = writeModule({
		Kbuild: 'obj-m := drv.o\n',
		'drv.c': `#include <linux/memremap.h>
static const struct dev_pagemap_ops drv_ops = {
	.page_free = drv_page_free,
	.migrate_to_ram = drv_migrate_to_ram,
};
MODULE_LICENSE("GPL");
`,
	});
	const [old, cur] = [await openDoc(v419, join(dir, 'drv.c')), await openDoc(modern, join(dir, 'drv.c'))];
	const c = cur.hover('.migrate_to_ram', 1)!;
	assert.match(headline(c), /^\*\*`dev_pagemap_ops\.migrate_to_ram`\*\* — Called when the CPU faults/);
	assert.match(c, /```c\nvm_fault_t \(\*migrate_to_ram\)\(struct vm_fault \*vmf\);\n```/);
	assert.match(c, /The tree's comment: the CPU faulted on a device-private page: copy it back to RAM/);
	assert.match(headline(old.hover('.page_free', 1)), /not in 4\.19\.0: added in 5\.3; 4\.19\.0 has `dev_pagemap\.page_free`/);
	assert.match(headline(old.hover('dev_pagemap_ops', 2)), /^\*\*struct dev_pagemap_ops\*\* — not in 4\.19\.0: added in 5\.3/);
});
