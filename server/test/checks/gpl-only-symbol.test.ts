import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../../src/engine/engine';
import { buildKernelIndex } from '../../src/engine/kernel/build';
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

/**
 * A small kernel tree whose header, like rcupdate.h under CONFIG_PREEMPT_RCU, declares
 * __foo_lock as an extern (exported GPL-only) or defines it as an empty inline, by option.
 */
function inlineKernel(): string {
	return writeModule({
		Makefile: 'VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\nEXTRAVERSION =\n',
		'kernel/Makefile': 'obj-y += foo.o\n',
		'kernel/foo.c': '#include <linux/foo.h>\nvoid __foo_lock(void)\n{\n}\nEXPORT_SYMBOL_GPL(__foo_lock);\nvoid foo_debug(void)\n{\n}\nEXPORT_SYMBOL_GPL(foo_debug);\n',
		'include/linux/foo.h': [
			'#ifndef _LINUX_FOO_H',
			'#define _LINUX_FOO_H',
			'#ifdef CONFIG_FOO',
			'void __foo_lock(void);',
			'#else',
			'static inline void __foo_lock(void)',
			'{',
			'}',
			'#endif',
			'void foo_debug(void);',
			'static inline void foo_lock(void)',
			'{',
			'#if IS_ENABLED(CONFIG_FOO_DEBUG)',
			'	foo_debug();',
			'#endif',
			'	__foo_lock();',
			'}',
			'static inline void foo_outer(void)',
			'{',
			'	foo_lock();',
			'}',
			'static inline void foo_rt(int x)',
			'{',
			'	if (IS_ENABLED(CONFIG_FOO_RT))',
			'		foo_debug();',
			'	else if (x)',
			'		__foo_lock();',
			'	if (__builtin_constant_p(x))',
			'		foo_debug();',
			'}',
			'#endif',
			'',
		].join('\n'),
	});
}

const INLINE_USER = '#include <linux/foo.h>\nvoid drv(void)\n{\n\tfoo_outer();\n\t__foo_lock();\n}\nMODULE_LICENSE("Proprietary");\n';

function withConfig(tree: string, config: string | undefined) {
	if (config === undefined) return buildKernelIndex(tree);
	const dir = writeModule({ '.config': config });
	return buildKernelIndex(tree, { configFile: join(dir, '.config') });
}

test('GPL-only exports reached through header inlines, decided by the .config', async () => {
	const tree = inlineKernel();
	const dir = writeModule({ Kbuild: 'obj-m := drv.o\n', 'drv.c': INLINE_USER });
	const gist = (list: Awaited<ReturnType<typeof findings>>) => list.map((f) => `${f.range.start.line}: ${/uses GPL-only symbol '\w+'[^:]*/.exec(f.message)?.[0]}`);

	// CONFIG_FOO=y: the extern is the one compiled, reached from foo_outer and used directly.
	const y = await findings(dir, 'drv.c', withConfig(tree, 'CONFIG_FOO=y\n'));
	assert.deepEqual(gist(y), [
		"3: uses GPL-only symbol '__foo_lock' (through foo_outer → foo_lock → __foo_lock)",
		"4: uses GPL-only symbol '__foo_lock'",
	]);
	assert.equal(y[0].range.start.character, 1);
	assert.ok(y[0].related?.some((r) => r.location.file === join(tree, 'include/linux/foo.h') && r.location.range.start.line === 17));
	assert.ok(y[0].related?.some((r) => r.location.file === join(tree, 'kernel/foo.c')));

	// Unset: the empty inline is compiled, also where the module names __foo_lock itself.
	assert.deepEqual(gist(await findings(dir, 'drv.c', withConfig(tree, '# CONFIG_FOO is not set\n'))), []);

	// The debug call inside the inline's body counts only when its condition holds.
	assert.deepEqual(gist(await findings(dir, 'drv.c', withConfig(tree, 'CONFIG_FOO_DEBUG=m\n'))), [
		"3: uses GPL-only symbol 'foo_debug' (through foo_outer → foo_lock → foo_debug)",
	]);

	// No .config: which __foo_lock is compiled is unknown, so nothing is said about it through
	// the inline; the direct use is reported as before.
	assert.deepEqual(gist(await findings(dir, 'drv.c', withConfig(tree, undefined))), ["4: uses GPL-only symbol '__foo_lock'"]);

	// A GPL module is never told.
	const gpl = writeModule({ Kbuild: 'obj-m := drv.o\n', 'drv.c': INLINE_USER.replace('Proprietary', 'GPL') });
	assert.deepEqual(await findings(gpl, 'drv.c', withConfig(tree, 'CONFIG_FOO=y\n')), []);
});

test('C-level constants in an inline body: a folded branch references nothing, an undecidable one is not guessed', async () => {
	const tree = inlineKernel();
	const dir = writeModule({ Kbuild: 'obj-m := drv.o\n', 'drv.c': '#include <linux/foo.h>\nvoid drv(void)\n{\n\tfoo_rt(1);\n}\nMODULE_LICENSE("MIT");\n' });
	const symbols = async (config: string) =>
		(await findings(dir, 'drv.c', withConfig(tree, config))).map((f) => /GPL-only symbol '(\w+)'/.exec(f.message)?.[1]).sort();
	assert.deepEqual(await symbols('CONFIG_FOO=y\n'), ['__foo_lock'], 'the else branch of IS_ENABLED(unset) is compiled');
	assert.deepEqual(await symbols('CONFIG_FOO=y\nCONFIG_FOO_RT=y\n'), ['foo_debug'], 'the IS_ENABLED branch is compiled, the else folded away');
});
