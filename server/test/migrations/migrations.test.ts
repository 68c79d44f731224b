/**
 * Each migration on a small input, against the fixture kernels: the expected output text,
 * exactly. Plus the code actions (migrationsAt) and `kmm migrate`'s diff through `git apply`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../src/engine/engine';
import { buildKernelIndex } from '../../src/engine/kernel/build';
import type { KernelIndex } from '../../src/engine/kernel/index';
import { migrateFile, migrateModule, migrationsAt } from '../../src/engine/migrations/index';
import { applyFix } from '../../src/cli/migrate';
import { DRIVERS, KMM, MODERN, V419 } from '../helpers/paths';
import { writeModule } from '../helpers/module';

const modern = buildKernelIndex(MODERN);

async function migrated(files: Record<string, string>, kernel: KernelIndex = modern) {
	const dir = writeModule({ Kbuild: `obj-m := d.o\n`, ...files });
	const engine = await Engine.create(kernel);
	const module = engine.moduleOf(join(dir, 'd.c'));
	assert.ok(module, 'module found');
	const result = migrateModule({ engine, module });
	const out: Record<string, string> = {};
	for (const fix of result.fixes) for (const [f, t] of applyFix(fix, (p) => readFileSync(p, 'utf8'))) out[f.slice(dir.length + 1)] = t;
	return { dir, out, left: result.left.map((l) => l.reason), todos: result.todos.map((t) => t.reason) };
}

const HEAD = '#include <linux/err.h>\n#include <linux/hmm.h>\n#include <linux/mm.h>\n';

test('hmm-page-drvdata: get and set become page->zone_device_data, with the unsigned long casts', async () => {
	const { out, left } = await migrated({
		'd.c':
			HEAD +
			'\nvoid f(struct page *page, unsigned long v)\n{\n' +
			'\thmm_devmem_page_set_drvdata(page, v + 1);\n' +
			'\thmm_devmem_page_set_drvdata(pfn_to_page(3), 0);\n' +
			'\tv = hmm_devmem_page_get_drvdata(page);\n}\n',
	});
	assert.deepEqual(left, []);
	assert.equal(
		out['d.c'],
		'#include <linux/err.h>\n#include <linux/mm.h>\n' +
			'\nvoid f(struct page *page, unsigned long v)\n{\n' +
			'\tpage->zone_device_data = (void *)(v + 1);\n' +
			'\tpfn_to_page(3)->zone_device_data = NULL;\n' +
			'\tv = (unsigned long)page->zone_device_data;\n}\n',
	);
});

const DRIVER =
	HEAD +
	'\nstruct drv {\n\tstruct device\t\t*dev;\n\tstruct hmm_devmem\t*devmem;\n};\n' +
	'\nstatic void drv_free(struct hmm_devmem *devmem, struct page *page)\n{\n' +
	'\tstruct drv *d = dev_get_drvdata(devmem->device);\n\n\td->dev = NULL;\n}\n' +
	'\nstatic int drv_fault(struct hmm_devmem *devmem, struct vm_area_struct *vma,\n' +
	'\t\t     unsigned long addr, const struct page *page,\n\t\t     unsigned int flags, pmd_t *pmdp)\n{\n' +
	'\treturn (flags & FAULT_FLAG_WRITE) && vma && addr ? VM_FAULT_SIGBUS : 0;\n}\n' +
	'\nstatic const struct hmm_devmem_ops drv_ops = {\n\t.free\t= drv_free,\n\t.fault\t= drv_fault,\n};\n' +
	'\nint drv_init(struct drv *d)\n{\n\tstruct hmm_devmem *devmem;\n\n' +
	'\tdevmem = hmm_devmem_add(&drv_ops, d->dev, 1UL << 30);\n\tif (IS_ERR(devmem))\n\t\treturn PTR_ERR(devmem);\n' +
	'\td->devmem = devmem;\n\treturn devmem->pfn_last - devmem->pfn_first;\n}\n' +
	'\nvoid drv_fini(struct drv *d)\n{\n\thmm_devmem_remove(d->devmem);\n\td->devmem = NULL;\n}\n';

test('the whole file: holder, ops, fault parameters, add, remove and includes (6.1 shape)', async () => {
	const { out, left, todos } = await migrated({ 'd.c': DRIVER });
	assert.deepEqual(left, []);
	assert.deepEqual(todos, []);
	const want =
		'#include <linux/err.h>\n#include <linux/memremap.h>\n#include <linux/mm.h>\n' +
		'\nstruct drv {\n\tstruct device\t\t*dev;\n\tstruct dev_pagemap\tpagemap;\n};\n' +
		'\nstatic void drv_free(struct page *page)\n{\n\tstruct dev_pagemap *devmem = page->pgmap;\n' +
		'\tstruct drv *d = container_of(devmem, struct drv, pagemap);\n\n\td->dev = NULL;\n}\n' +
		'\nstatic vm_fault_t drv_fault(struct vm_fault *vmf)\n{\n' +
		'\treturn (vmf->flags & FAULT_FLAG_WRITE) && vmf->vma && vmf->address ? VM_FAULT_SIGBUS : 0;\n}\n' +
		'\nstatic const struct dev_pagemap_ops drv_ops = {\n\t.page_free\t= drv_free,\n\t.migrate_to_ram\t= drv_fault,\n};\n\n';
	assert.ok(out['d.c'].startsWith(want), out['d.c']);
	assert.match(out['d.c'], /static struct dev_pagemap \*drv_pagemap_add\(struct dev_pagemap \*pagemap,\n\t{5} {3}const struct dev_pagemap_ops \*ops,/);
	assert.match(out['d.c'], /\tres = devm_request_free_mem_region\(device, &iomem_resource, size\);\n/);
	assert.match(out['d.c'], /\tpagemap->type = MEMORY_DEVICE_PRIVATE;\n\tpagemap->range.start = res->start;\n\tpagemap->range.end = res->end;\n\tpagemap->nr_range = 1;\n\tpagemap->ops = ops;\n\tpagemap->owner = device;\n/);
	assert.ok(
		out['d.c'].endsWith(
			'\nint drv_init(struct drv *d)\n{\n\tstruct dev_pagemap *devmem;\n\n' +
				'\tdevmem = drv_pagemap_add(&d->pagemap, &drv_ops, d->dev, 1UL << 30);\n\tif (IS_ERR(devmem))\n\t\treturn PTR_ERR(devmem);\n' +
				'\treturn PHYS_PFN(devmem->range.end + 1) - PHYS_PFN(devmem->range.start);\n}\n' +
				'\nvoid drv_fini(struct drv *d)\n{\n\tdevm_memunmap_pages(d->dev, &d->pagemap);\n}\n',
		),
		out['d.c'],
	);
});

test('hmm-devmem-add into a global without a device: a device global is added and set before the call', async () => {
	const { out, left } = await migrated({
		'd.c':
			HEAD +
			'\nstatic struct hmm_devmem *my_devmem;\n' +
			'\nint my_init(struct device *dev)\n{\n\tint n;\n\n' +
			'\tmy_devmem = hmm_devmem_add(&my_ops, dev, 4096);\n\tif (IS_ERR(my_devmem))\n\t\treturn PTR_ERR(my_devmem);\n' +
			'\tn = my_devmem->pfn_first;\n\treturn n;\n}\n' +
			'\nvoid my_fini(void)\n{\n\tif (my_devmem)\n\t\thmm_devmem_remove(my_devmem);\n}\n',
	});
	assert.deepEqual(left, []);
	const text = out['d.c'];
	assert.match(text, /\nstatic struct dev_pagemap my_pagemap;\nstatic struct device \*my_pagemap_dev;\n/);
	assert.match(text, /\tint n;\n\tstruct dev_pagemap \*pgmap;\n\n\tmy_pagemap_dev = dev;\n\tpgmap = my_pagemap_add\(&my_pagemap, &my_ops, dev, 4096\);\n\tif \(IS_ERR\(pgmap\)\)\n\t\treturn PTR_ERR\(pgmap\);\n\tn = PHYS_PFN\(my_pagemap.range.start\);\n/);
	assert.match(text, /\tif \(my_pagemap.type\)\n\t\tdevm_memunmap_pages\(my_pagemap_dev, &my_pagemap\);\n/);
});

test('hmm-devmem-add-resource: the closest memory type, a TODO(kmm), and the PUBLIC descriptor dropped', async () => {
	const { out, todos, left } = await migrated({
		'd.c':
			HEAD +
			'\nstruct pub {\n\tstruct device *dev;\n\tstruct hmm_devmem *devmem;\n};\n' +
			'\nint pub_init(struct pub *p, struct resource *res)\n{\n\tstruct hmm_devmem *devmem;\n\n' +
			'\tres->desc = IORES_DESC_DEVICE_PUBLIC_MEMORY;\n' +
			'\tdevmem = hmm_devmem_add_resource(&pub_ops, p->dev, res);\n\tif (IS_ERR(devmem))\n\t\treturn PTR_ERR(devmem);\n' +
			'\tp->devmem = devmem;\n\treturn 0;\n}\n',
	});
	assert.deepEqual(left, []);
	assert.equal(todos.length, 1);
	assert.match(todos[0], /MEMORY_DEVICE_COHERENT/);
	assert.match(out['d.c'], /TODO\(kmm\): MEMORY_DEVICE_PUBLIC is gone/);
	assert.match(out['d.c'], /\tpagemap->type = MEMORY_DEVICE_COHERENT;\n/);
	assert.match(out['d.c'], /\{\n\tstruct dev_pagemap \*devmem;\n\n\tdevmem = pub_pagemap_add_resource\(&p->pagemap, &pub_ops, p->dev, res\);\n/);
	assert.doesNotMatch(out['d.c'], /IORES_DESC_DEVICE_PUBLIC_MEMORY|p->devmem = devmem/);
});

test('what cannot be migrated is left, with a reason', async () => {
	const { left } = await migrated({
		'd.c': HEAD + '\nstruct page *f(struct vm_area_struct *vma)\n{\n\treturn hmm_vma_alloc_locked_page(vma, 0);\n}\n',
	});
	assert.equal(left.length, 1);
	assert.match(left[0], /^hmm_vma_alloc_locked_page\(\): no migration for it yet/);
});

test('hmm-pages-create: mm/hmm.c of 4.19 calls devm_memremap_pages() and can drop the unused helpers', async () => {
	const kernel = buildKernelIndex(V419);
	const file = join(V419, 'mm', 'hmm.c');
	const text = readFileSync(file, 'utf8');
	const engine = await Engine.create(kernel);
	const tree = engine.parse(text);
	try {
		const line = text.split('\n').findIndex((l) => l.includes('ret = hmm_devmem_pages_create(devmem);'));
		const fixes = migrationsAt({ engine, tree, text, file, range: { start: { line, character: 8 }, end: { line, character: 8 } }, whole: false }).map((r) => r.fix);
		assert.deepEqual(fixes.map((f) => f.title), [
			'Replace hmm_devmem_pages_create() with devm_memremap_pages()',
			'Replace hmm_devmem_pages_create() and delete the functions that become unused (hmm_devmem_pages_create)',
		]);
		const after = applyFix(fixes[0], () => text).get(file)!;
		assert.match(after, /\tdevmem->pagemap.type = MEMORY_DEVICE_PRIVATE;\n\tdevmem->pagemap.res = \*res;\n[^]*\tret = PTR_ERR_OR_ZERO\(devm_memremap_pages\(devmem->device, &devmem->pagemap\)\);\n/);
		assert.doesNotMatch(after, /devm_add_action\(device, hmm_devmem_release, devmem\)/);
		const whole = migrateFile({ engine, tree, text, file });
		const all = applyFix(whole.fixes[0], () => text).get(file)!;
		assert.doesNotMatch(all, /static int hmm_devmem_pages_create|= hmm_devmem_pages_create\(/);
		assert.deepEqual(whole.left, []);
	} finally {
		tree.delete();
	}
});

test('code actions: a preferred fix on each removed-api call, and none off the sites', async () => {
	const file = join(DRIVERS, 'hmm-member', 'hmmmem.c');
	const text = readFileSync(file, 'utf8');
	const engine = await Engine.create(modern);
	const tree = engine.parse(text);
	try {
		const module = engine.moduleOf(file);
		const diagnostics = engine.analyze(file, text, tree).filter((f) => f.code === 'removed-api');
		assert.ok(diagnostics.length >= 5);
		for (const d of diagnostics) {
			const fixes = migrationsAt({ engine, module, tree, text, file, range: d.range, whole: false }).map((r) => r.fix);
			assert.ok(fixes.some((f) => f.preferred), `no preferred fix at line ${d.range.start.line + 1}`);
		}
		assert.deepEqual(migrationsAt({ engine, module, tree, text, file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, whole: false }), []);
	} finally {
		tree.delete();
	}
});

test('kmm migrate: the diff applies with git apply from the module root, and --write gives the same result', () => {
	const git = spawnSync('git', ['--version']);
	if (git.status !== 0) return;
	for (const name of ['hmm-member', 'hmm-multi', 'hmm-global']) {
		const root = mkdtempSync(join(tmpdir(), 'kmm-migrate-'));
		const a = join(root, 'a');
		const b = join(root, 'b');
		cpSync(join(DRIVERS, name), a, { recursive: true });
		cpSync(join(DRIVERS, name), b, { recursive: true });
		const diff = spawnSync(process.execPath, [KMM, 'migrate', '--kernel', MODERN], { cwd: a, encoding: 'utf8' });
		assert.equal(diff.status, 0, diff.stderr);
		assert.match(diff.stdout, /^diff --git a\//);
		spawnSync('git', ['init', '-q'], { cwd: a });
		const check = spawnSync('git', ['apply', '--check', '-'], { cwd: a, input: diff.stdout, encoding: 'utf8' });
		assert.equal(check.status, 0, `${name}: ${check.stderr}\n${diff.stdout}`);
		spawnSync('git', ['apply', '-'], { cwd: a, input: diff.stdout });
		const write = spawnSync(process.execPath, [KMM, 'migrate', '--kernel', MODERN, '--write'], { cwd: b, encoding: 'utf8' });
		assert.equal(write.status, 0, write.stderr);
		for (const f of ['hmmmem.c', 'mem.c', 'hmmmf.h', 'hmmglob.c']) {
			try {
				assert.equal(readFileSync(join(a, f), 'utf8'), readFileSync(join(b, f), 'utf8'), `${name}/${f}`);
			} catch (e) {
				if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
			}
		}
		const again = spawnSync(process.execPath, [KMM, 'migrate', '--kernel', MODERN], { cwd: b, encoding: 'utf8' });
		assert.equal(again.stdout, '', `${name}: migrating twice changes nothing`);
	}
	const legacy = spawnSync(process.execPath, [KMM, 'migrate', join(DRIVERS, 'hmm-legacy'), '--kernel', MODERN], { encoding: 'utf8' });
	assert.equal(legacy.status, 1, 'something left: exit 1');
	assert.match(legacy.stderr, /hmmdrv\.c:57:\d+: left: hmm_vma_alloc_locked_page\(\)/);
});
