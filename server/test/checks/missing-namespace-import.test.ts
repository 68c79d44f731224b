import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildKernelIndex } from '../../src/engine/kernel/build';
import { missingNamespaceImport } from '../../src/engine/checks/missing-namespace-import';
import { MODERN } from '../helpers/paths';
import { kernelAs, writeModule } from '../helpers/module';
import { applyEdits, findingsOf } from '../helpers/analyze';

const CODE = missingNamespaceImport.meta.code;
const modern = buildKernelIndex(MODERN);
const USER = '#include <linux/fakemem.h>\nint drv_go(void)\n{\n\treturn fakemem_alloc(4096) ? 0 : -1;\n}\n';

test('worded like modpost, and the fix adds the import where the module keeps its macros', async () => {
	const dir = writeModule({
		Kbuild: 'obj-m := drv.o\ndrv-y := use.o meta.o\n',
		'use.c': USER,
		'meta.c': 'MODULE_LICENSE("GPL");\nMODULE_DESCRIPTION("x");\n',
	});
	const [f] = await findingsOf(modern, dir, 'use.c', CODE);
	assert.ok(f);
	assert.match(f.message, /^module drv uses symbol fakemem_alloc from namespace FAKEMEM, but does not import it/);
	assert.deepEqual(f.range.start, { line: 3, character: 8 });
	const fix = f.fixes?.[0];
	assert.equal(fix?.title, 'Add MODULE_IMPORT_NS(FAKEMEM)');
	assert.equal(fix.edits[0].file, join(dir, 'meta.c'), 'next to MODULE_LICENSE, in the other file');
	const meta = applyEdits(readFileSync(join(dir, 'meta.c'), 'utf8'), fix.edits);
	assert.equal(meta, 'MODULE_LICENSE("GPL");\nMODULE_IMPORT_NS(FAKEMEM);\nMODULE_DESCRIPTION("x");\n');
	writeFileSync(join(dir, 'meta.c'), meta);
	assert.deepEqual(await findingsOf(modern, dir, 'use.c', CODE), []);
});

test('6.13 and later spell the namespace as a string literal', async () => {
	const dir = writeModule({ Kbuild: 'obj-m := drv.o\n', 'drv.c': `${USER}MODULE_LICENSE("GPL");\n` });
	const [old] = await findingsOf(modern, dir, 'drv.c', CODE);
	assert.equal(old.fixes?.[0].edits[0].newText, 'MODULE_IMPORT_NS(FAKEMEM);\n');
	const v613 = buildKernelIndex(kernelAs(MODERN, 6, 13));
	const [f] = await findingsOf(v613, dir, 'drv.c', CODE);
	assert.equal(f.fixes?.[0].edits[0].newText, 'MODULE_IMPORT_NS("FAKEMEM");\n');
	// Either spelling in the module counts as the import.
	writeFileSync(join(dir, 'drv.c'), `${USER}MODULE_LICENSE("GPL");\nMODULE_IMPORT_NS("FAKEMEM");\n`);
	assert.deepEqual(await findingsOf(v613, dir, 'drv.c', CODE), []);
});

test('an import or license that a version guard compiles out does not count, as cpp drops it for modpost', async () => {
	const guarded = (cond: string) =>
		`${USER}#if LINUX_VERSION_CODE ${cond} KERNEL_VERSION(6, 0, 0)\nMODULE_IMPORT_NS(FAKEMEM);\nMODULE_LICENSE("Proprietary");\n#endif\nMODULE_LICENSE("GPL");\n`;
	// 6.1 compiles the `>=` branch: the import holds, and so does the Proprietary license.
	const live = writeModule({ Kbuild: 'obj-m := drv.o\n', 'drv.c': guarded('>=') });
	assert.deepEqual(await findingsOf(modern, live, 'drv.c', CODE), []);
	assert.equal((await findingsOf(modern, live, 'drv.c', 'gpl-only-symbol')).length, 1, 'fakemem_alloc is GPL-only: the live Proprietary license counts');
	// The `<` branch is dead on 6.1: no import, and only the GPL license.
	const dead = writeModule({ Kbuild: 'obj-m := drv.o\n', 'drv.c': guarded('<') });
	assert.equal((await findingsOf(modern, dead, 'drv.c', CODE)).length, 1);
	assert.deepEqual(await findingsOf(modern, dead, 'drv.c', 'gpl-only-symbol'), []);
});

test('plain exports, built-in code and imported namespaces draw nothing', async () => {
	const ok = writeModule({ Kbuild: 'obj-m := drv.o\n', 'drv.c': `${USER}MODULE_IMPORT_NS(FAKEMEM);\n` });
	assert.deepEqual(await findingsOf(modern, ok, 'drv.c', CODE), []);
	const builtin = writeModule({ Kbuild: 'obj-y := drv.o\n', 'drv.c': USER });
	assert.deepEqual(await findingsOf(modern, builtin, 'drv.c', CODE), []);
});

test('namespaced exports reached through a header inline count, and the fix imports them', async () => {
	const tree = writeModule({
		Makefile: 'VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\nEXTRAVERSION =\n',
		'lib/Makefile': 'obj-y += bar.o\n',
		'lib/bar.c': 'void bar_get(void)\n{\n}\nEXPORT_SYMBOL_NS(bar_get, BAR);\n',
		'include/linux/bar.h': '#ifndef _BAR_H\n#define _BAR_H\nvoid bar_get(void);\nstatic inline void bar_hold(void)\n{\n\tbar_get();\n}\n#endif\n',
	});
	const dir = writeModule({
		Kbuild: 'obj-m := drv.o\n',
		'drv.c': '#include <linux/bar.h>\nvoid drv(void)\n{\n\tbar_hold();\n}\nMODULE_LICENSE("GPL");\n',
	});
	const got = await findingsOf(buildKernelIndex(tree), dir, 'drv.c', CODE);
	assert.equal(got.length, 1);
	assert.match(got[0].message, /^module drv uses symbol bar_get from namespace BAR, but does not import it \(reached through header inlines bar_hold → bar_get; /);
	assert.equal(got[0].range.start.line, 3);
	assert.match(applyEdits(readFileSync(join(dir, 'drv.c'), 'utf8'), got[0].fixes?.[0].edits ?? []), /MODULE_IMPORT_NS\(BAR\);/);
});
