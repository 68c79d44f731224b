/**
 * The migrations between struct dev_pagemap shapes (pagemap-res-range, pagemap-data,
 * pagemap-altmap-flags, memory-type-rename) on small inputs against the 6.1-shaped fixture
 * kernel: the output text exactly, what is left, and that nothing but the kernel's struct is
 * touched. Plus the honest ends: the whole-file title and `kmm migrate` when a step remains.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../../src/engine/engine';
import { buildKernelIndex } from '../../src/engine/kernel/build';
import type { KernelIndex } from '../../src/engine/kernel/index';
import { migrateModule, migrationsAt } from '../../src/engine/migrations/index';
import { applyFix } from '../../src/cli/migrate';
import { KMM, MODERN, V419 } from '../helpers/paths';
import { writeModule } from '../helpers/module';

const modern = buildKernelIndex(MODERN);
const HEAD = '#include <linux/memremap.h>\n#include <linux/mm.h>\n';

async function migrated(source: string, kernel: KernelIndex = modern, extra: Record<string, string> = {}) {
	const dir = writeModule({ Kbuild: 'obj-m := d.o\n', 'd.c': HEAD + source, ...extra });
	const engine = await Engine.create(kernel);
	const module = engine.moduleOf(join(dir, 'd.c'))!;
	const result = migrateModule({ engine, module });
	let out = HEAD + source;
	for (const fix of result.fixes) for (const [f, t] of applyFix(fix, (p) => readFileSync(p, 'utf8'))) if (f.endsWith('d.c')) out = t;
	return { dir, out: out.slice(HEAD.length), left: result.left.map((l) => l.reason), todos: result.todos.map((t) => t.reason) };
}

test('pagemap-res-range: a resource copied in, its ends, its size and its printing become the range', async () => {
	const { out, left } = await migrated(`
struct drv {
	struct device *dev;
	struct dev_pagemap pgmap;
	struct resource res;
};

static int drv_map(struct drv *drv, struct resource *res)
{
	struct dev_pagemap *win = &drv->pgmap;

	drv->pgmap.res = *res;
	drv->res = *res;
	dev_info(drv->dev, "mapped %pR (%lu pages)\\n", &drv->pgmap.res,
		 (unsigned long)(resource_size(&drv->pgmap.res) >> PAGE_SHIFT));
	win->res.start = res->start;
	win->res.end = res->end;
	return PHYS_PFN(win->res.start) ? 0 : -EINVAL;
}
`);
	assert.equal(
		out,
		`
struct drv {
	struct device *dev;
	struct dev_pagemap pgmap;
	struct resource res;
};

static int drv_map(struct drv *drv, struct resource *res)
{
	struct dev_pagemap *win = &drv->pgmap;

	drv->pgmap.range.start = res->start;
	drv->pgmap.range.end = res->end;
	drv->pgmap.nr_range = 1;
	drv->res = *res;
	dev_info(drv->dev, "mapped %#llx-%#llx (%lu pages)\\n", drv->pgmap.range.start,
		 drv->pgmap.range.end,
		 (unsigned long)(range_len(&drv->pgmap.range) >> PAGE_SHIFT));
	win->range.start = res->start;
	win->range.end = res->end;
	win->nr_range = 1;
	return PHYS_PFN(win->range.start) ? 0 : -EINVAL;
}
`,
	);
	assert.deepEqual(left, []);
});

test('pagemap-res-range: an initializer gets nr_range; the resource as a whole is left; compat code and a kernel with res stay', async () => {
	const source = `#include <linux/version.h>

static struct dev_pagemap fixed = {
	.type	= MEMORY_DEVICE_GENERIC,
	.res	= { .start = 0x100000000ULL, .end = 0x1ffffffffULL },
};

static struct resource *window(struct dev_pagemap *pgmap)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 10, 0)
	pgmap->res.flags = IORESOURCE_MEM;
#endif
	return &pgmap->res;
}
`;
	const { out, left } = await migrated(source);
	assert.match(out, /\t\.range\t= \{ \.start = 0x100000000ULL, \.end = 0x1ffffffffULL \},\n\t\.nr_range = 1,\n\};/);
	assert.match(out, /#if LINUX_VERSION_CODE < KERNEL_VERSION\(5, 10, 0\)\n\tpgmap->res\.flags = IORESOURCE_MEM;\n#endif/);
	assert.deepEqual(left, ['&pgmap->res as a struct resource *: the pagemap keeps a struct range (start, end), no resource to point to']);
	const old = await migrated(source, buildKernelIndex(V419));
	assert.equal(old.out, source, '4.19 has res');
});

test('pagemap-data: a back-pointer to the embedding struct becomes container_of(); the store goes', async () => {
	const { out, left } = await migrated(`
struct chunk {
	struct dev_pagemap pagemap;
	unsigned long used;
};

static void chunk_page_free(struct page *page)
{
	struct chunk *chunk = page->pgmap->data;

	chunk->used--;
}

static void chunk_init(struct chunk *chunk)
{
	struct dev_pagemap *pgmap = &chunk->pagemap;

	pgmap->data = chunk;
	pgmap->type = MEMORY_DEVICE_PRIVATE;
}
`);
	assert.match(out, /struct chunk \*chunk = container_of\(page->pgmap, struct chunk, pagemap\);/);
	assert.match(out, /struct dev_pagemap \*pgmap = &chunk->pagemap;\n\n\tpgmap->type = MEMORY_DEVICE_PRIVATE;/);
	assert.deepEqual(left, []);
	// Something other than the embedding struct: where it lives now is the driver's call.
	const other = await migrated('struct dev_pagemap pm;\nstatic int cookie;\nvoid *get(void)\n{\n\tpm.data = &cookie;\n\treturn pm.data;\n}\n');
	assert.equal(other.left.length, 2);
	assert.match(other.left[0], /pgmap->data stores something other than the structure that embeds the pagemap/);
});

test('pagemap-data composes with the hmm_devmem migrations: HMM\'s back-pointer becomes the pagemap itself', async () => {
	const { out, left } = await migrated(`#include <linux/err.h>
#include <linux/hmm.h>

struct dmem {
	struct device *dev;
	struct hmm_devmem *devmem;
};

static bool dmem_owns(struct dmem *dmem, struct page *page)
{
	return dmem->devmem != page->pgmap->data;
}

static void dmem_free(struct hmm_devmem *devmem, struct page *page)
{
}

static int dmem_fault(struct hmm_devmem *devmem, struct vm_area_struct *vma,
		      unsigned long addr, const struct page *page,
		      unsigned int flags, pmd_t *pmdp)
{
	return 0;
}

static const struct hmm_devmem_ops dmem_ops = {
	.free	= dmem_free,
	.fault	= dmem_fault,
};

int dmem_init(struct dmem *dmem)
{
	dmem->devmem = hmm_devmem_add(&dmem_ops, dmem->dev, 1UL << 30);
	if (IS_ERR(dmem->devmem))
		return PTR_ERR(dmem->devmem);
	return dmem_owns(dmem, NULL);
}
`);
	assert.match(out, /return &dmem->pagemap != page->pgmap;/);
	assert.deepEqual(left, []);
});

test('pagemap-altmap-flags: set, clear, test and the altmap-or-NULL idiom', async () => {
	const { out, left } = await migrated(`
static struct dev_pagemap init = {
	.altmap_valid	= true,
};

static struct vmem_altmap *altmap_of(struct dev_pagemap *pgmap, bool on)
{
	pgmap->altmap_valid = true;
	if (!on)
		pgmap->altmap_valid = false;
	if (pgmap->altmap_valid)
		return pgmap->altmap_valid ? &pgmap->altmap : NULL;
	init.altmap_valid = on;
	return NULL;
}
`);
	assert.equal(
		out,
		`
static struct dev_pagemap init = {
	.flags	= PGMAP_ALTMAP_VALID,
};

static struct vmem_altmap *altmap_of(struct dev_pagemap *pgmap, bool on)
{
	pgmap->flags |= PGMAP_ALTMAP_VALID;
	if (!on)
		pgmap->flags &= ~PGMAP_ALTMAP_VALID;
	if (pgmap->flags & PGMAP_ALTMAP_VALID)
		return pgmap_altmap(pgmap);
	init.altmap_valid = on;
	return NULL;
}
`,
	);
	assert.deepEqual(left, ['init.altmap_valid = on: set or clear PGMAP_ALTMAP_VALID in init.flags as this value decides']);
});

test('memory-type-rename: DEVDAX is GENERIC; PUBLIC becomes COHERENT with a TODO; guarded and own names stay', async () => {
	const { out, todos } = await migrated(`
int kinds(struct dev_pagemap *pgmap)
{
	pgmap->type = MEMORY_DEVICE_DEVDAX;
	if (pgmap->type == MEMORY_DEVICE_PUBLIC)
		return 1;
#ifdef MEMORY_DEVICE_DEVDAX
	return MEMORY_DEVICE_DEVDAX;
#endif
	return 0;
}
`);
	assert.equal(
		out,
		`
int kinds(struct dev_pagemap *pgmap)
{
	pgmap->type = MEMORY_DEVICE_GENERIC;
	/*
	 * TODO(kmm): MEMORY_DEVICE_PUBLIC is gone (Linux 5.3); check that
	 * MEMORY_DEVICE_COHERENT fits this device's memory.
	 */
	if (pgmap->type == MEMORY_DEVICE_COHERENT)
		return 1;
#ifdef MEMORY_DEVICE_DEVDAX
	return MEMORY_DEVICE_DEVDAX;
#endif
	return 0;
}
`,
	);
	assert.equal(todos.length, 1);
});

test('a member no migration rewrites is left, and the whole-file action says a manual step remains', async () => {
	const source = `
static void drv_kill(struct dev_pagemap *pgmap)
{
}

static const struct dev_pagemap_ops drv_ops = {
	.kill		= drv_kill,
};

int drv_type(struct dev_pagemap *pgmap)
{
	pgmap->type = MEMORY_DEVICE_DEVDAX;
	return pgmap->ops == &drv_ops;
}
`;
	const { dir, left } = await migrated(source);
	assert.deepEqual(left.map((l) => l.replace(/:.*/, '')), ['no migration for it yet']);
	assert.match(left[0], /struct dev_pagemap_ops has no member 'kill'/);
	const engine = await Engine.create(modern);
	const file = join(dir, 'd.c');
	const text = readFileSync(file, 'utf8');
	const tree = engine.parse(text);
	try {
		const findings = engine.analyze(file, text, tree);
		const whole = { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } };
		const actions = engine.migrationsAt(file, text, tree, whole, { findings, whole: true });
		assert.ok(actions.some((a) => a.offer.title === "Migrate the whole file to this kernel's struct dev_pagemap (1 place left to do by hand)"), JSON.stringify(actions.map((a) => a.offer.title)));
		assert.ok(actions.some((a) => a.offer.migration === 'memory-type-rename' && a.offer.preferred));
	} finally {
		tree.delete();
	}
	// kmm migrate: migrated text checked again; what the checks still find is listed, exit 1.
	const cli = spawnSync(process.execPath, [KMM, 'migrate', dir, '--kernel', MODERN, '--write'], { encoding: 'utf8' });
	assert.equal(cli.status, 1, cli.stderr);
	assert.match(cli.stderr, /d\.c:9:\d+: left: no migration for it yet: struct dev_pagemap_ops has no member 'kill'/);
	assert.match(cli.stderr, /d\.c:9:\d+: still: struct dev_pagemap_ops has no member 'kill' .*\[removed-member\]/);
	assert.match(cli.stderr, /kmm: wrote 1 file, not migrated yet\n/);
	assert.match(readFileSync(file, 'utf8'), /MEMORY_DEVICE_GENERIC/);
});

test('code actions: each removed-member use offers its rewrite, and nothing else', async () => {
	const dir = writeModule({ Kbuild: 'obj-m := d.o\n', 'd.c': `${HEAD}struct own { struct resource res; };\nint f(struct dev_pagemap *pgmap, struct own *o)\n{\n\treturn pgmap->res.start + o->res.start;\n}\n` });
	const engine = await Engine.create(modern);
	const file = join(dir, 'd.c');
	const text = readFileSync(file, 'utf8');
	const tree = engine.parse(text);
	try {
		const findings = engine.analyze(file, text, tree);
		const at = (line: number, character: number) => ({ start: { line, character }, end: { line, character } });
		const onPgmap = migrationsAt({ engine, tree, text, file, range: at(5, 17), whole: false, findings });
		assert.deepEqual(onPgmap.map((a) => a.fix.edits.map((e) => e.newText)), [['range']]);
		assert.deepEqual(migrationsAt({ engine, tree, text, file, range: at(5, 35), whole: false, findings }), []);
	} finally {
		tree.delete();
	}
});
