/**
 * tools/, scripts/, usr/ and Documentation/ hold user-space and host code (selftests with
 * their own max(), host programs): kbuild never builds them into the kernel or a module, so
 * their definitions, exports and calls must not resolve kernel names.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildKernelIndex } from '../../src/engine/kernel/build';
import { writeModule } from '../helpers/module';

test('definitions under tools/, scripts/, usr/ and Documentation/ are not kernel code', () => {
	const fn = (name: string) => `int ${name}(int a, int b)\n{\n\treturn a;\n}\nEXPORT_SYMBOL(${name});\n`;
	const root = writeModule({
		Makefile: 'VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\n',
		Kbuild: 'obj-y += lib/\n',
		'include/linux/export.h': '#define EXPORT_SYMBOL(sym)\n',
		'lib/Makefile': 'obj-y += sort.o\n',
		'lib/sort.c': fn('sort'),
		'tools/testing/selftests/max.c': fn('max'),
		'scripts/mod/file2alias.c': fn('do_table'),
		'usr/gen_init_cpio.c': fn('cpio_mkfile'),
		'Documentation/example.c': fn('doc_example'),
		// Only the top level is excluded: a kernel directory may well be called tools.
		'drivers/tools/helper.c': fn('drv_helper'),
	});
	const index = buildKernelIndex(root);
	assert.deepEqual(
		['sort', 'drv_helper', 'max', 'do_table', 'cpio_mkfile', 'doc_example'].map((n) => [n, index.definitionsOf(n).length, index.exports.has(n)]),
		[
			['sort', 1, true],
			['drv_helper', 1, true],
			['max', 0, false],
			['do_table', 0, false],
			['cpio_mkfile', 0, false],
			['doc_example', 0, false],
		],
	);
});
