/**
 * The header/macro model's raw material is read by the index workers, not by each question:
 * every public header's #defines and #includes (first pass, so macro verdicts are there with
 * the exports), a headers tree's prototypes (function pass), the same from the cache as cold,
 * and current after an edit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildKernelIndex, buildKernelIndexAsync } from '../../src/engine/kernel/build';
import type { KernelIndex } from '../../src/engine/kernel/index';
import { namesOf, PROTO_STRIDE, SiteTable } from '../../src/engine/kernel/headerscan';
import { FIXTURES } from '../helpers/paths';

const TREE: Record<string, string> = {
	Makefile: 'VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 7\n',
	// No `{` anywhere: such a header is skipped by the function pass, yet its macros count.
	'include/linux/regs.h': '#ifndef _LINUX_REGS_H\n#define _LINUX_REGS_H\n/*\n#define COMMENTED_OUT 1\n */\n#define REG_CTRL\t0x10\n#  define REG_STATUS(n) (0x20 + (n))\n#endif\n',
	'include/linux/api.h': '#include <linux/regs.h>\n#include "local.h"\nextern int api_call(int reg);\n',
	'include/linux/local.h': '#define LOCAL_ONLY 1\n',
	'arch/x86/include/asm/io.h': '#define ARCH_IO 1\n',
	// Not a public header: a driver's own.
	'drivers/a/a.h': '#define DRIVER_PRIVATE 1\n',
	'drivers/a/Makefile': 'obj-m += a.o\n',
	'drivers/a/a.c': '#include <linux/api.h>\nint a_probe(void)\n{\n\treturn api_call(REG_CTRL);\n}\n',
};

function writeTree(files: Record<string, string>): string {
	const root = mkdtempSync(join(tmpdir(), 'kmm-hfacts-'));
	for (const [rel, text] of Object.entries(files)) {
		mkdirSync(dirname(join(root, rel)), { recursive: true });
		writeFileSync(join(root, rel), text);
	}
	return root;
}

/** name → "file:line" of every #define, from the index's facts. */
function defines(index: KernelIndex): Record<string, string[]> {
	const table = new SiteTable();
	const names = new Set<string>();
	for (const [file, facts] of index.headerFacts()) {
		table.add(file, facts.defines, facts.defineLines);
		for (const n of namesOf(facts.defines)) names.add(n);
	}
	return Object.fromEntries([...names].sort().map((n) => [n, table.sites(n).map((s) => `${s.file}:${s.line}`)]));
}

test('header facts: public headers only, comments ignored, brace-less headers included, cache equal to cold', async () => {
	const root = writeTree(TREE);
	const cacheDir = mkdtempSync(join(tmpdir(), 'kmm-hfacts-cache-'));
	try {
		const cold = await buildKernelIndexAsync(root, { cacheDir });
		const expected = {
			ARCH_IO: ['arch/x86/include/asm/io.h:0'],
			LOCAL_ONLY: ['include/linux/local.h:0'],
			REG_CTRL: ['include/linux/regs.h:5'],
			REG_STATUS: ['include/linux/regs.h:6'],
			_LINUX_REGS_H: ['include/linux/regs.h:1'],
		};
		assert.deepEqual(defines(cold), expected);
		const api = cold.headerFacts().get('include/linux/api.h');
		assert.deepEqual(namesOf(api?.includes ?? ''), ['include/linux/regs.h', 'include/linux/local.h']);
		assert.deepEqual([...(api?.includeLines ?? [])], [0, 1]);
		// A source tree has sources to say what exists: no prototypes are read.
		assert.equal(cold.headerPrototypes().size, 0);

		const warm = await buildKernelIndexAsync(root, { cacheDir });
		assert.equal(warm.stats.fromCache, true);
		assert.deepEqual(defines(warm), expected);

		writeFileSync(join(root, 'include/linux/local.h'), '#define LOCAL_ONLY 1\n#define LOCAL_NEW 2\n');
		warm.updateFile('include/linux/local.h');
		assert.deepEqual(defines(warm).LOCAL_NEW, ['include/linux/local.h:1']);
		rmSync(join(root, 'include/linux/regs.h'));
		warm.removeFile('include/linux/regs.h');
		assert.equal(defines(warm).REG_CTRL, undefined);
	} finally {
		rmSync(root, { recursive: true, force: true });
		rmSync(cacheDir, { recursive: true, force: true });
	}
});

test('header facts: a headers tree reads its prototypes, lines and columns exact', () => {
	const build = join(FIXTURES, 'headers/debian/usr/src/linux-headers-6.1.0-9-amd64');
	const index = buildKernelIndex(build);
	const found = index.headerPrototypes().get('include/linux/kmmdemo.h');
	assert.ok(found, 'kmmdemo.h has prototypes');
	const at = namesOf(found.names).map((name, k) => `${name}@${found.at[k * PROTO_STRIDE]}:${found.at[k * PROTO_STRIDE + 1]}`);
	assert.deepEqual(at, ['kmm_demo_plain@7:11', 'kmm_demo_gpl@8:4', 'kmm_demo_ns@9:17', 'kmm_demo_internal@12:12', 'kmm_demo_debug@15:5']);
	assert.equal(index.headerFacts().get('include/linux/kmmdemo.h')?.defines, '_LINUX_KMMDEMO_H\nkmm_demo_put');
});
