import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseKbuild } from '../../src/engine/kernel/kbuild';
import { parseKconfig, parseDotConfig } from '../../src/engine/kernel/kconfig';
import { unitsOfDir } from '../../src/engine/kernel/modules';
import { parseKernelVersion, formatVersion, compareVersion } from '../../src/engine/version';

const KBUILD = `# SPDX-License-Identifier: GPL-2.0
obj-m += single.o
obj-y := core.o
obj-$(CONFIG_FOO) += foo.o \\
	bar.o
obj-$(CONFIG_SUB) += sub/
foo-y := foo_main.o foo_util.o
foo-$(CONFIG_FOO_EXTRA) += extra/foo_extra.o
bar-objs := bar1.o bar2.o
lib-y += helpers.o
ccflags-y += -DDEFAULT_SYMBOL_NAMESPACE='"FOO_NS"'
CFLAGS_single.o += -DDEFAULT_SYMBOL_NAMESPACE=SINGLE
KDIR ?= /lib/modules/$(shell uname -r)/build
`;

test('parseKbuild reads objects, subdirs, composites, namespaces and KDIR', () => {
	const kb = parseKbuild(KBUILD);
	assert.deepEqual(
		kb.objects.map((o) => [o.name, typeof o.cond === 'string' ? o.cond : o.cond.config, o.line]),
		[
			['single', 'm', 2],
			['core', 'y', 3],
			['foo', 'FOO', 4],
			['bar', 'FOO', 4],
			['helpers', 'y', 10],
		],
	);
	assert.deepEqual(kb.subdirs.map((s) => s.name), ['sub']);
	assert.deepEqual(kb.composites.get('foo')?.map((m) => m.name), ['foo_main', 'foo_util', 'extra/foo_extra']);
	assert.deepEqual(kb.composites.get('bar')?.map((m) => m.name), ['bar1', 'bar2']);
	assert.equal(kb.defaultNamespace, 'FOO_NS');
	assert.equal(kb.objectNamespaces.get('single'), 'SINGLE');
	assert.equal(kb.kdir, '/lib/modules/$(shell uname -r)/build');
});

test('units: Kconfig types and .config decide module vs built-in', () => {
	const kb = parseKbuild(KBUILD);
	const sources = new Set(['single.c', 'core.c', 'foo_main.c', 'foo_util.c', 'extra/foo_extra.c', 'bar1.c', 'bar2.S', 'helpers.c']);
	const sourceOf = (o: string) => [`${o}.c`, `${o}.S`].find((s) => sources.has(s));
	const kconfig = parseKconfig('config FOO\n\ttristate "foo"\nconfig FOO_EXTRA\n\tbool "extra"\n');
	const units = unitsOfDir('drivers/x', kb, 'drivers/x/Kbuild', { kconfig }, (o) => {
		const s = sourceOf(o.slice('drivers/x/'.length));
		return s && `drivers/x/${s}`;
	});
	const byName = new Map(units.map((u) => [u.name, u]));
	assert.equal(byName.get('drivers/x/single')?.kind, 'module');
	assert.equal(byName.get('drivers/x/core')?.kind, 'builtin');
	assert.equal(byName.get('drivers/x/foo')?.kind, 'maybe-module');
	assert.deepEqual(byName.get('drivers/x/foo')?.files, [
		'drivers/x/foo_main.c',
		'drivers/x/foo_util.c',
		'drivers/x/extra/foo_extra.c',
	]);
	assert.deepEqual(byName.get('drivers/x/bar')?.files, ['drivers/x/bar1.c', 'drivers/x/bar2.S']);

	const dotConfig = parseDotConfig('CONFIG_FOO=y\n# CONFIG_FOO_EXTRA is not set\n');
	const exact = new Map(unitsOfDir('', kb, 'Kbuild', { kconfig, dotConfig }, sourceOf).map((u) => [u.name, u]));
	assert.equal(exact.get('foo')?.kind, 'builtin');
	assert.deepEqual(exact.get('foo')?.files, ['foo_main.c', 'foo_util.c']);
});

test('Kconfig: tristate anywhere wins over bool elsewhere; menuconfig counts', () => {
	const k = parseKconfig('menuconfig A\n\tbool "a"\nconfig B\n\tdef_tristate m\nconfig C\n\tbool\n');
	parseKconfig('config C\n\ttristate "c"\n', k);
	assert.deepEqual([...k], [
		['A', 'bool'],
		['B', 'tristate'],
		['C', 'tristate'],
	]);
});

test('kernel version from the top Makefile', () => {
	const v = parseKernelVersion('# x\nVERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 192\nEXTRAVERSION =\nNAME = x\n');
	assert.ok(v);
	assert.equal(formatVersion(v), '6.1.192');
	assert.ok(compareVersion(v, '5.10') > 0);
	assert.ok(compareVersion(v, '6.13') < 0);
	assert.equal(parseKernelVersion('all:\n\techo hi\n'), undefined);
});
