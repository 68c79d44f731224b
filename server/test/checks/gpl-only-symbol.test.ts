import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../../src/engine/engine';
import { buildKernelIndex } from '../../src/engine/kernel/index';
import { gplOnlySymbol } from '../../src/engine/checks/gpl-only-symbol';
import { MODERN, V419 } from '../helpers/paths';
import { writeModule } from '../helpers/module';

const modern = buildKernelIndex(MODERN);

async function findings(dir: string, file: string, kernel = modern) {
	const engine = await Engine.create(kernel);
	const path = join(dir, file);
	return engine.analyze(path, readFileSync(path, 'utf8')).filter((f) => f.code === gplOnlySymbol.meta.code);
}

const USER = `#include <linux/memremap.h>
static int drv_map(struct device *dev, struct dev_pagemap *pgmap)
{
	return PTR_ERR_OR_ZERO(devm_memremap_pages(dev, pgmap));
}
`;

test('license decides, exactly as license.h lists them', async () => {
	const cases: [string, boolean][] = [
		['GPL', false],
		['GPL v2', false],
		['GPL and additional rights', false],
		['Dual BSD/GPL', false],
		['Dual MIT/GPL', false],
		['Dual MPL/GPL', false],
		['Proprietary', true],
		['MIT', true],
		['BSD', true],
		['gpl', true],
		['GPL v2 ', true],
		['GPLv2', true],
	];
	for (const [license, reported] of cases) {
		const dir = writeModule({ Kbuild: 'obj-m := drv.o\n', 'drv.c': `${USER}MODULE_LICENSE("${license}");\n` });
		const got = await findings(dir, 'drv.c');
		assert.equal(got.length, reported ? 1 : 0, `MODULE_LICENSE("${license}")`);
		if (reported) {
			assert.equal(got[0].severity, 'error');
			assert.match(got[0].message, new RegExp(`^GPL-incompatible module drv\\.ko uses GPL-only symbol 'devm_memremap_pages'`));
			assert.deepEqual(got[0].range, { start: { line: 3, character: 24 }, end: { line: 3, character: 43 } });
			assert.ok(got[0].related?.some((r) => r.location.file === join(MODERN, 'mm/memremap.c')));
		}
	}
});

test('no MODULE_LICENSE: left to missing-module-license, as modpost does', async () => {
	const dir = writeModule({ Kbuild: 'obj-m := drv.o\n', 'drv.c': USER });
	assert.deepEqual(await findings(dir, 'drv.c'), []);
});

test('any incompatible license of a multi-license module counts', async () => {
	const dir = writeModule({
		Kbuild: 'obj-m := drv.o\ndrv-y := a.o b.o\n',
		'a.c': 'MODULE_LICENSE("GPL");\n',
		'b.c': `${USER}MODULE_LICENSE("Proprietary");\n`,
	});
	assert.equal((await findings(dir, 'a.c')).length, 0, 'a.c uses nothing');
	assert.equal((await findings(dir, 'b.c')).length, 1);
});

test('plain exports, unknown names and files no Kbuild builds are not reported', async () => {
	const dir = writeModule({
		Kbuild: 'obj-m := drv.o\n',
		'drv.c': 'MODULE_LICENSE("MIT");\nint f(void) { return hmm_range_fault(0) + not_a_kernel_symbol(); }\n',
		'stray.c': `${USER}MODULE_LICENSE("MIT");\n`,
	});
	assert.deepEqual(await findings(dir, 'drv.c'), []);
	assert.deepEqual(await findings(dir, 'stray.c'), [], 'not part of any module');
});

test('in-tree: built-in (bool) code is never checked; tristate modules are', async () => {
	const engine = await Engine.create(modern);
	const core = join(MODERN, 'drivers/misc/fakemem_core.c');
	const coreText = readFileSync(core, 'utf8');
	assert.match(coreText, /devm_memremap_pages/);
	assert.deepEqual(engine.analyze(core, coreText.replace(/MODULE_LICENSE\("[^"]*"\)/, '') + '\nMODULE_LICENSE("Proprietary");\n'), []);
	const dax = join(MODERN, 'drivers/dax/device.c');
	const daxText = readFileSync(dax, 'utf8').replace('MODULE_LICENSE("GPL v2")', 'MODULE_LICENSE("Proprietary")');
	assert.ok(engine.analyze(dax, daxText).some((f) => f.code === 'gpl-only-symbol' && f.message.includes('drivers/dax/device_dax.ko')));
});

test('the indexed kernel decides GPL-ness: devm_memremap_pages is plain in 4.19.0', async () => {
	const dir = writeModule({ Kbuild: 'obj-m := drv.o\n', 'drv.c': `${USER}MODULE_LICENSE("Proprietary");\n` });
	assert.equal((await findings(dir, 'drv.c')).length, 1);
	assert.deepEqual(await findings(dir, 'drv.c', buildKernelIndex(V419)), []);
});
