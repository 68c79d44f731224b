import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildKernelIndex } from '../../src/engine/kernel/build';
import { missingModuleLicense } from '../../src/engine/checks/missing-module-license';
import { MODERN } from '../helpers/paths';
import { writeModule } from '../helpers/module';
import { applyEdits, findingsOf } from '../helpers/analyze';

const kernel = buildKernelIndex(MODERN);
const CODE = missingModuleLicense.meta.code;

test('reported once, in the file that declares the module, with a fix that satisfies the check', async () => {
	const dir = writeModule({
		Kbuild: 'obj-m := drv.o\ndrv-y := util.o main.o\n',
		'util.c': 'int drv_util(void)\n{\n\treturn 0;\n}\n',
		'main.c': 'static int __init drv_init(void)\n{\n\treturn drv_util();\n}\nmodule_init(drv_init);\nMODULE_AUTHOR("me");',
	});
	assert.deepEqual(await findingsOf(kernel, dir, 'util.c', CODE), [], 'not the anchor file');
	const [f, ...rest] = await findingsOf(kernel, dir, 'main.c', CODE);
	assert.equal(rest.length, 0);
	assert.equal(f.severity, 'error');
	assert.match(f.message, /^missing MODULE_LICENSE\(\) in drv\.o/);
	assert.deepEqual(f.range.start, { line: 4, character: 0 }, 'on module_init');
	assert.equal(f.related?.[0].location.file, join(dir, 'Kbuild'));
	const fix = f.fixes?.[0];
	assert.ok(fix?.preferred);
	const text = readFileSync(join(dir, 'main.c'), 'utf8');
	const fixed = applyEdits(text, fix.edits);
	assert.ok(fixed.endsWith('MODULE_AUTHOR("me");\nMODULE_LICENSE("GPL");\n'), JSON.stringify(fixed));
	writeFileSync(join(dir, 'main.c'), fixed);
	assert.deepEqual(await findingsOf(kernel, dir, 'main.c', CODE), []);
});

test('a license in any member file is enough; built-in code needs none', async () => {
	const dir = writeModule({
		Kbuild: 'obj-m := drv.o\ndrv-objs := a.o b.o\n',
		'a.c': 'module_init(x);\n',
		'b.c': 'MODULE_LICENSE("Proprietary");\n',
	});
	assert.deepEqual(await findingsOf(kernel, dir, 'a.c', CODE), []);
	const builtin = writeModule({ Kbuild: 'obj-y := core.o\n', 'core.c': 'module_init(x);\n' });
	assert.deepEqual(await findingsOf(kernel, builtin, 'core.c', CODE), []);
});

test('without any module macro the first member file carries the finding', async () => {
	const dir = writeModule({ Kbuild: 'obj-m := drv.o\ndrv-y := first.o second.o\n', 'first.c': 'int a;\n', 'second.c': 'int b;\n' });
	assert.equal((await findingsOf(kernel, dir, 'first.c', CODE)).length, 1);
	assert.equal((await findingsOf(kernel, dir, 'second.c', CODE)).length, 0);
});
