import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildKernelIndex } from '../../src/engine/kernel/build';
import { unexportedSymbol } from '../../src/engine/checks/unexported-symbol';
import { DRIVERS, MODERN } from '../helpers/paths';
import { writeModule } from '../helpers/module';
import { findingsOf } from '../helpers/analyze';

const CODE = unexportedSymbol.meta.code;
const kernel = buildKernelIndex(MODERN);

test('a kernel function that is defined but not exported cannot be linked', async () => {
	const [f, ...rest] = await findingsOf(kernel, `${DRIVERS}/unexported`, 'unexp.c', CODE);
	assert.equal(rest.length, 0);
	assert.match(f.message, /^"vm_insert_internal_page" \[unexp\.ko\] undefined!: the kernel defines vm_insert_internal_page\(\) \(mm\/memory\.c:\d+\)/);
	assert.equal(f.range.start.line, 20);
	assert.ok(f.related?.[0].location.file.endsWith('/mm/memory.c'));
});

test('exported, module-defined, header-inline, unknown and built-in uses draw nothing', async () => {
	const dir = writeModule({
		Kbuild: 'obj-m := drv.o\n',
		'drv.c':
			'static int vm_insert_internal_page(int x) { return x; }\n' +
			'int drv(void)\n{\n\treturn vm_insert_internal_page(1) + memremap_compat_align() + put_dev_pagemap(0) + no_such_thing();\n}\n' +
			'MODULE_LICENSE("GPL");\n',
	});
	assert.deepEqual(await findingsOf(kernel, dir, 'drv.c', CODE), []);
	const builtin = writeModule({ Kbuild: 'obj-y := drv.o\n', 'drv.c': 'int drv(void)\n{\n\treturn vm_insert_internal_page(0, 0);\n}\n' });
	assert.deepEqual(await findingsOf(kernel, builtin, 'drv.c', CODE), []);
});

test('silent until the function index is complete', async () => {
	const partial = buildKernelIndex(MODERN);
	partial.ready.functions = false;
	assert.deepEqual(await findingsOf(partial, `${DRIVERS}/unexported`, 'unexp.c', CODE), []);
});
