import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { buildKernelIndex } from '../../src/engine/kernel/build';
import { requireRealKernel } from '../helpers/real-kernel';
import { writeModule } from '../helpers/module';
import { openDoc } from './hover-helper';
import { GPL_DRIVER } from './gpl-driver';

test('real 6.1 tree: a GPL driver\'s hovers show 6.1\'s facts', async (t) => {
	const real = requireRealKernel(t);
	if (!real) return;
	const kernel = buildKernelIndex(real.src);
	assert.equal(kernel.version?.major, 6);
	assert.equal(kernel.version?.minor, 1);
	const dir = writeModule({ Kbuild: 'obj-m := drv.o\n', 'drv.c': GPL_DRIVER });
	const doc = await openDoc(kernel, join(dir, 'drv.c'));

	const altmap = doc.hover('altmap.free', 2)!;
	assert.match(altmap, /^\*\*`dev_pagemap\.altmap`\*\*/);
	assert.match(altmap, /```c\nstruct vmem_altmap altmap;\n```/);
	assert.match(altmap, /pre-allocated\/reserved memory for vmemmap allocations/, "the tree's kernel-doc line");
	assert.match(altmap, /Used only when `flags` has `PGMAP_ALTMAP_VALID`/);

	const priv = doc.hover('MEMORY_DEVICE_PRIVATE', 3)!;
	assert.match(priv, /= 1 in 6\.1\.\d+/);
	assert.match(priv, /MEMORY_DEVICE_COHERENT,/);
	assert.match(priv, /refuses it without `ops->page_free`, `ops->migrate_to_ram` or `owner`/);

	const devm = doc.hover('devm_memremap_pages', 3)!;
	assert.match(devm, /GPL-only export \(`EXPORT_SYMBOL_GPL`\): drv\.ko may use it: `MODULE_LICENSE\("GPL"\)` is GPL-compatible/);
	assert.match(devm, /Exported with `EXPORT_SYMBOL_GPL` at mm\/memremap\.c:417, defined at mm\/memremap\.c:402/);

	const hmm = doc.hover('hmm_range_fault', 3)!;
	assert.match(hmm, /plain export \(`EXPORT_SYMBOL`\): drv\.ko may use it/);
	assert.match(hmm, /at mm\/hmm\.c:\d+/);

	const pagemap = doc.hover('dev_pagemap drv_pgmap', 3)!;
	assert.match(pagemap, /^\*\*struct dev_pagemap\*\*/);
	assert.match(pagemap, /unsigned long vmemmap_shift;/);
	assert.match(pagemap, /struct range ranges\[0\];/);

	const defs = doc.definition('devm_memremap_pages', 3).map((l) => `${l.file.slice(real.src.length + 1)}:${l.range.start.line + 1}`);
	assert.equal(defs[0], 'mm/memremap.c:402');
	doc.dispose();
});
