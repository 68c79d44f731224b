import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildKernelIndex } from '../../src/engine/kernel/build';
import { removedMember } from '../../src/engine/checks/removed-member';
import { ZONE_DEVICE } from '../../src/engine/knowledge/zone-device';
import { MODERN, V419 } from '../helpers/paths';
import { kernelAs, writeModule } from '../helpers/module';
import { findingsOf } from '../helpers/analyze';

const CODE = removedMember.meta.code;

/** `line:column name` of each finding (1-based, as kmm check prints them). */
async function flagged(root: string, source: string, extra: Record<string, string> = {}): Promise<string[]> {
	const dir = writeModule({ Kbuild: 'obj-m := d.o\n', 'd.c': source, ...extra });
	const lines = source.split('\n');
	return (await findingsOf(buildKernelIndex(root), dir, 'd.c', CODE)).map((f) => {
		const { line, character } = f.range.start;
		return `${line + 1}:${character + 1} ${lines[line].slice(character, f.range.end.character)}`;
	});
}

const HEAD = '#include <linux/memremap.h>\n#include <linux/mm.h>\n';

test('members the 6.1-shaped headers lack, on bases certainly of that struct', async () => {
	const source = `${HEAD}
struct chunk {
	struct dev_pagemap pagemap;
	unsigned long first;
};

static void chunk_free(struct page *page)
{
	struct chunk *c = page->pgmap->data;

	c->first = page->pgmap->res.start;
}

static int chunk_add(struct chunk *c, struct resource *r)
{
	struct dev_pagemap *pgmap = &c->pagemap;

	c->pagemap.res = *r;
	pgmap->altmap_valid = true;
	pgmap->type = MEMORY_DEVICE_DEVDAX;
	return ((struct chunk *)pgmap)->pagemap.dev != NULL;
}

static const struct dev_pagemap_ops chunk_ops = {
	.page_free	= chunk_free,
	.kill		= NULL,
};
`;
	assert.deepEqual(await flagged(MODERN, source), [
		'11:33 data',
		'13:26 res',
		'20:13 res',
		'21:9 altmap_valid',
		'22:16 MEMORY_DEVICE_DEVDAX',
		'23:42 dev',
		'28:3 kill',
	]);
});

test('the message says what the tree lacks, when it went and what replaced it, from the knowledge base', async () => {
	const dir = writeModule({
		Kbuild: 'obj-m := d.o\n',
		'd.c': `${HEAD}int f(struct dev_pagemap *pgmap)\n{\n\treturn pgmap->res.start == MEMORY_DEVICE_PUBLIC;\n}\n`,
	});
	const [res, pub] = await findingsOf(buildKernelIndex(MODERN), dir, 'd.c', CODE);
	assert.equal(
		res.message,
		"struct dev_pagemap has no member 'res' (this tree is 6.1.0): removed in Linux 5.10; instead: range.start/range.end (end inclusive) with nr_range = 1, or ranges[] with nr_range entries.",
	);
	assert.equal(res.severity, 'error');
	assert.match(res.related?.[0].location.file ?? '', /include\/linux\/memremap\.h$/);
	assert.match(pub.message, /^enum memory_type has no MEMORY_DEVICE_PUBLIC \(this tree is 6\.1\.0\): removed in Linux 5\.3; instead: .*MEMORY_DEVICE_COHERENT/);
});

test('a struct the tree no longer has at all: its members, as the knowledge base dates them', async () => {
	const source = `${HEAD}
static int f(struct hmm_devmem *devmem)
{
	return devmem->pfn_last - devmem->pfn_first;
}
`;
	const dir = writeModule({ Kbuild: 'obj-m := d.o\n', 'd.c': source });
	const found = await findingsOf(buildKernelIndex(MODERN), dir, 'd.c', CODE);
	assert.deepEqual(
		found.map((f) => f.message.replace(/; instead.*/, '')),
		['struct hmm_devmem was removed in Linux 5.3 (this tree is 6.1.0)', 'struct hmm_devmem was removed in Linux 5.3 (this tree is 6.1.0)'],
	);
	// Its own compat header declares the struct again: then it is the driver's, and compiles.
	const compat = 'struct hmm_devmem {\n\tunsigned long pfn_first;\n\tunsigned long pfn_last;\n};\n';
	assert.deepEqual(await flagged(MODERN, `#include "compat.h"\n${source}`, { 'compat.h': compat }), []);
});

test('never a driver\'s own struct, a base of unknown type, or code this kernel does not compile', async () => {
	const source = `${HEAD}
#include <linux/version.h>

struct mine {
	struct resource res;
	void *data;
	int altmap_valid;
};
typedef struct dev_pagemap pgmap_t;
struct dev_pagemap *lookup(int id);

static int f(struct mine *m, pgmap_t *t, struct dev_pagemap *pgmap)
{
	struct mine *pgmap_owner = m;

	m->res.start = 0;
	m->data = &m->res;
	pgmap_owner->altmap_valid = 1;
	{
		struct mine *pgmap = m;

		pgmap->data = NULL;
	}
	t->res.start = 0;
	lookup(0)->data = NULL;
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 10, 0)
	pgmap->res.start = 0;
#else
	pgmap->range.start = 0;
#endif
#ifdef MEMORY_DEVICE_DEVDAX
	return MEMORY_DEVICE_DEVDAX;
#endif
	return 0;
}
`;
	assert.deepEqual(await flagged(MODERN, source), []);
	// A #define of the driver's own stands in for a removed enumerator.
	assert.deepEqual(await flagged(MODERN, `${HEAD}#define MEMORY_DEVICE_DEVDAX MEMORY_DEVICE_GENERIC\nint t = MEMORY_DEVICE_DEVDAX;\n`), []);
});

test('the tree\'s headers decide, not its version number', async () => {
	const source = `${HEAD}int f(struct dev_pagemap *pgmap)\n{\n\treturn pgmap->res.start + pgmap->altmap_valid + !!pgmap->data;\n}\n`;
	assert.deepEqual(await flagged(V419, source), [], '4.19 has all three');
	// A tree that calls itself 5.9 but whose header has the 6.1 shape: the header is what compiles.
	assert.deepEqual(await flagged(kernelAs(MODERN, 5, 9), source), ['5:16 res', '5:35 altmap_valid', '5:59 data']);
	// A 6.1 tree whose header (a vendor backport) still has `res`.
	const vendor = kernelAs(MODERN, 6, 1);
	writeFileSync(join(vendor, 'include/linux/memremap.h'), 'struct dev_pagemap {\n\tstruct resource res;\n\tint type;\n};\n');
	assert.deepEqual(await flagged(vendor, source), ['5:35 altmap_valid', '5:59 data']);
});

test('every removed member the check knows has a replacement and a source', () => {
	for (const e of ZONE_DEVICE.values()) {
		if ((e.kind !== 'field' && e.kind !== 'enumerator') || !e.until) continue;
		assert.ok((e.replacement ?? '').length > 5, `${e.container}.${e.name} has a replacement`);
		assert.ok(e.source.length > 5, `${e.container}.${e.name} has a source`);
	}
});

test('the driver\'s struct may live in its own header: its members are followed there', async () => {
	const header = 'struct drv {\n\tstruct dev_pagemap pgmap;\n\tstruct resource res;\n};\n';
	const source = `${HEAD}#include "drv.h"\nint f(struct drv *d)\n{\n\treturn d->pgmap.res.start + d->res.start;\n}\n`;
	assert.deepEqual(await flagged(MODERN, source, { 'drv.h': header }), ['6:18 res']);
});

test('a member that became an embedded struct (dev_pagemap.ref, 5.19) used as the pointer it was', async () => {
	const source = `${HEAD}struct d {\n\tstruct dev_pagemap pgmap;\n\tstruct percpu_ref ref;\n};\nvoid f(struct d *d, struct dev_pagemap *pgmap)\n{\n\td->pgmap.ref = &d->ref;\n\tpercpu_ref_get(pgmap->ref);\n\tpercpu_ref_get(&pgmap->ref);\n\td->ref.data = NULL;\n}\n`;
	assert.deepEqual(await flagged(MODERN, source), ['9:11 ref', '10:24 ref']);
	assert.deepEqual(await flagged(V419, source), [], '4.19: a pointer');
});
