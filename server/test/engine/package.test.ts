/**
 * Out-of-tree packages: the other modules of one M= build and the Module.symvers files of
 * KBUILD_EXTRA_SYMBOLS are what modpost links a module against besides the kernel, so every
 * check and the hover judge a sibling's export as modpost does; a source linked into two
 * modules is checked as part of each.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../../src/engine/engine';
import { buildKernelIndex } from '../../src/engine/kernel/build';
import { writeModule } from '../helpers/module';
import { MODERN } from '../helpers/paths';
import { openDoc } from '../hover/hover-helper';

const modern = buildKernelIndex(MODERN);

async function check(dir: string, file: string): Promise<string[]> {
	const engine = await Engine.create(modern);
	const path = join(dir, file);
	return engine
		.analyze(path, readFileSync(path, 'utf8'))
		.map((f) => `${f.range.start.line + 1} ${f.code} ${f.message.replace(/: .*| \(.*/, '')}`)
		.sort();
}

const USER = `#include <linux/module.h>
static int __init usr_init(void)
{
	return lib_gpl() + lib_plain() + lib_ns();
}
module_init(usr_init);
MODULE_LICENSE("Proprietary");
`;

const LIB = `#include <linux/module.h>
int lib_gpl(void) { return 1; }
EXPORT_SYMBOL_GPL(lib_gpl);
int lib_plain(void) { return 2; }
EXPORT_SYMBOL(lib_plain);
int lib_ns(void) { return 3; }
EXPORT_SYMBOL_NS(lib_ns, LIBNS);
MODULE_LICENSE("GPL");
`;

const VERDICT = [
	'4 gpl-only-symbol GPL-incompatible module usr.ko uses GPL-only symbol \'lib_gpl\'',
	'4 missing-namespace-import module usr uses symbol lib_ns from namespace LIBNS, but does not import it',
];

test('KBUILD_EXTRA_SYMBOLS: the Module.symvers it names, through variables of the Kbuild or the Makefile', async () => {
	const symvers = '0x1\tlib_gpl\tlib/lib\tEXPORT_SYMBOL_GPL\t\n0x2\tlib_plain\tlib/lib\tEXPORT_SYMBOL\t\n0x3\tlib_ns\tlib/lib\tEXPORT_SYMBOL\tLIBNS\n';
	const viaKbuild = writeModule({
		'usr/Kbuild': 'obj-m := usr.o\nLIBDIR := $(src)/../lib\nKBUILD_EXTRA_SYMBOLS += $(LIBDIR)/Module.symvers\n',
		'usr/usr.c': USER,
		'lib/Module.symvers': symvers,
	});
	assert.deepEqual(await check(viaKbuild, 'usr/usr.c'), VERDICT);
	const viaMakefile = writeModule({
		'usr/Kbuild': 'obj-m := usr.o\n',
		'usr/Makefile': 'KDIR ?= /lib/modules/$(shell uname -r)/build\nexport KBUILD_EXTRA_SYMBOLS := $(PWD)/../lib/Module.symvers\n',
		'usr/usr.c': USER,
		'lib/Module.symvers': symvers,
	});
	assert.deepEqual(await check(viaMakefile, 'usr/usr.c'), VERDICT);
	const viaCommandLine = writeModule({
		'usr/Kbuild': 'obj-m := usr.o\n',
		'usr/Makefile': 'PWD := $(shell pwd)\nLIB := $(PWD)/../lib\nall:\n\t$(MAKE) -C $(KDIR) M=$(PWD) KBUILD_EXTRA_SYMBOLS="$(LIB)/Module.symvers" modules\n',
		'usr/usr.c': USER,
		'lib/Module.symvers': symvers,
	});
	assert.deepEqual(await check(viaCommandLine, 'usr/usr.c'), VERDICT);
	// Not built yet: modpost skips a missing file, and kmm knows nothing of the symbols either.
	const unbuilt = writeModule({ 'usr/Kbuild': 'obj-m := usr.o\nKBUILD_EXTRA_SYMBOLS := $(src)/../lib/Module.symvers\n', 'usr/usr.c': USER });
	assert.deepEqual(await check(unbuilt, 'usr/usr.c'), []);
});

test('one M= build: modules of the same Kbuild and of the subdirectories it descends into', async () => {
	const flat = writeModule({ Kbuild: 'obj-m += lib.o usr.o\n', 'lib.c': LIB, 'usr.c': USER });
	assert.deepEqual(await check(flat, 'usr.c'), VERDICT);
	const nested = writeModule({ Kbuild: 'obj-m += lib/ usr/\n', 'lib/Kbuild': 'obj-m := lib.o\n', 'lib/lib.c': LIB, 'usr/Kbuild': 'obj-m := usr.o\n', 'usr/usr.c': USER });
	assert.deepEqual(
		await check(nested, 'usr/usr.c'),
		VERDICT.map((v) => v.replace('module usr.ko', 'module usr/usr.ko').replace('module usr uses', 'module usr/usr uses')),
	);
	// A directory the top does not descend into is another build: its exports are unknown here.
	const apart = writeModule({ Kbuild: 'obj-m += usr/\n', 'lib/Kbuild': 'obj-m := lib.o\n', 'lib/lib.c': LIB, 'usr/Kbuild': 'obj-m := usr.o\n', 'usr/usr.c': USER });
	assert.deepEqual(await check(apart, 'usr/usr.c'), []);
	// Namespaces from the sibling's kbuild flags count too.
	const flags = writeModule({
		Kbuild: 'obj-m += lib/ usr/\n',
		'lib/Kbuild': 'obj-m := lib.o\nccflags-y += -DDEFAULT_SYMBOL_NAMESPACE=LIBDEF\n',
		'lib/lib.c': '#include <linux/module.h>\nint lib_gpl(void) { return 1; }\nEXPORT_SYMBOL(lib_gpl);\nMODULE_LICENSE("GPL");\n',
		'usr/Kbuild': 'obj-m := usr.o\n',
		'usr/usr.c': '#include <linux/module.h>\nint usr(void) { return lib_gpl(); }\nMODULE_LICENSE("GPL");\n',
	});
	assert.deepEqual(await check(flags, 'usr/usr.c'), ['2 missing-namespace-import module usr/usr uses symbol lib_gpl from namespace LIBDEF, but does not import it']);
});

test('the hover judges a sibling export as the checks do', async () => {
	const dir = writeModule({ Kbuild: 'obj-m += lib.o usr.o\n', 'lib.c': LIB, 'usr.c': USER });
	const doc = await openDoc(modern, join(dir, 'usr.c'));
	try {
		const hover = doc.hover('lib_gpl(');
		assert.match(hover ?? '', /EXPORT_SYMBOL_GPL/);
		assert.match(hover ?? '', /lib\.c:3/);
	} finally {
		doc.dispose();
	}
});

test('a source linked into two modules is checked in each; identical findings once', async () => {
	const common = `#include <linux/memremap.h>
int common_map(struct dev_pagemap *pgmap)
{
	hmm_devmem_remove(0);
	return PTR_ERR_OR_ZERO(memremap_pages(pgmap, 0));
}
`;
	const kbuild = 'obj-m += a.o b.o\na-y := common.o a_main.o\nb-y := common.o b_main.o\n';
	const mixed = writeModule({ Kbuild: kbuild, 'common.c': common, 'a_main.c': 'MODULE_LICENSE("GPL");\n', 'b_main.c': 'MODULE_LICENSE("Proprietary");\n' });
	assert.deepEqual(await check(mixed, 'common.c'), [
		'4 removed-api hmm_devmem_remove() was removed in Linux 5.0',
		'5 gpl-only-symbol GPL-incompatible module b.ko uses GPL-only symbol \'memremap_pages\'',
	]);
	const both = writeModule({ Kbuild: kbuild, 'common.c': common, 'a_main.c': 'MODULE_LICENSE("MIT");\n', 'b_main.c': 'MODULE_LICENSE("Proprietary");\n' });
	assert.deepEqual(await check(both, 'common.c'), [
		'4 removed-api hmm_devmem_remove() was removed in Linux 5.0',
		'5 gpl-only-symbol GPL-incompatible module a.ko uses GPL-only symbol \'memremap_pages\'',
		'5 gpl-only-symbol GPL-incompatible module b.ko uses GPL-only symbol \'memremap_pages\'',
	]);
});

test('an M= package is read once per burst of edits, and again once the front end reports changed files', async () => {
	const dir = writeModule({ Kbuild: 'obj-m += first.o\nfirst-y := drv.o\n', 'drv.c': 'MODULE_LICENSE("GPL");\n' });
	const engine = await Engine.create(modern);
	const drv = join(dir, 'drv.c');
	assert.equal(engine.moduleOf(drv)?.name, 'first');
	writeFileSync(join(dir, 'Kbuild'), 'obj-m += second.o\nsecond-y := drv.o\n');
	// Edits come many a second: the package's kbuild files are not read again for each...
	assert.equal(engine.moduleOf(drv)?.name, 'first');
	// ...but as soon as the front end says files changed (LSP: didChangeWatchedFiles).
	engine.forgetFileSummaries();
	assert.equal(engine.moduleOf(drv)?.name, 'second');
});
