import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../../src/engine/engine';
import { buildKernelIndex } from '../../src/engine/kernel/build';
import { exportLicenseLeak } from '../../src/engine/checks/export-license-leak';
import { MODERN, V419 } from '../helpers/paths';

const CODE = exportLicenseLeak.meta.code;

async function leaks(root: string, rel: string) {
	const engine = await Engine.create(buildKernelIndex(root));
	const file = join(root, rel);
	const text = readFileSync(file, 'utf8');
	return { text, findings: engine.analyze(file, text).filter((f) => f.code === CODE) };
}

test('4.19: hmm_devmem_add is reported on its EXPORT line with what it reaches', async () => {
	const { text, findings } = await leaks(V419, 'mm/hmm.c');
	const add = findings.find((f) => f.message.startsWith('hmm_devmem_add is exported'));
	assert.ok(add, findings.map((f) => f.message).join('\n'));
	assert.equal(add.severity, 'information');
	assert.match(text.split('\n')[add.range.start.line], /^EXPORT_SYMBOL\(hmm_devmem_add\);/);
	assert.match(add.message, /GPL-only .*region_intersects/);
	assert.match(add.message, /percpu_ref_init/);
	assert.match(add.message, /unexported .*arch_add_memory .*\(via hmm_devmem_pages_create\)/);
	// GPL-only exports themselves are not reported.
	assert.ok(!findings.some((f) => f.message.startsWith('get_dev_pagemap')));
});

test('6.1: the GPL-only devm_memremap_pages family draws nothing; files outside the tree neither', async () => {
	const { findings } = await leaks(MODERN, 'mm/memremap.c');
	assert.ok(!findings.some((f) => /^(devm_)?memremap_pages /.test(f.message)), findings.map((f) => f.message).join('\n'));
	const engine = await Engine.create(buildKernelIndex(MODERN));
	assert.deepEqual(engine.analyze('/tmp/elsewhere.c', 'int f(void) { return 0; }\nEXPORT_SYMBOL(f);\n').filter((f) => f.code === CODE), []);
});
