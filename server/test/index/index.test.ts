/**
 * The kernel index on synthetic trees: the call graph and its resolution, the persistent
 * cache (warm starts, changed files, truncated or foreign caches), incremental updates, and
 * bad trees that must index to completion.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildKernelIndex, buildKernelIndexAsync } from '../../src/engine/kernel/build';
import { unpackOps } from '../../src/engine/kernel/opsscan';
import { OpsIndex } from '../../src/engine/graph/ops';
import { surveyTree } from '../../src/engine/kernel/pool';
import { statSources, walkTree } from '../../src/engine/kernel/walk';

function writeTree(files: Record<string, string | Buffer>): string {
	const root = mkdtempSync(join(tmpdir(), 'kmm-tree-'));
	const all: Record<string, string | Buffer> = {
		Makefile: 'VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 7\n',
		'include/linux/mm.h': 'static inline int page_helper(int x)\n{\n\treturn x;\n}\n',
		...files,
	};
	for (const [rel, text] of Object.entries(all)) {
		mkdirSync(dirname(join(root, rel)), { recursive: true });
		writeFileSync(join(root, rel), text);
	}
	return root;
}

const DRIVER_TREE = {
	'drivers/a/Makefile': 'obj-m += a.o\n',
	'drivers/a/a.c': `#include <linux/mm.h>
static int helper(int x)
{
	return page_helper(x);
}

int a_probe(void)
{
	return helper(1) + shared_api(2);
}
EXPORT_SYMBOL_GPL(a_probe);
MODULE_LICENSE("GPL");
`,
	'drivers/b/Makefile': 'obj-m += b.o\n',
	'drivers/b/b.c': `static int helper(int x)
{
	return x * 2;
}

static const struct ops b_ops = {
	.probe = helper,
};

int shared_api(int y)
{
	return helper(y) + a_probe();
}
EXPORT_SYMBOL(shared_api);
MODULE_LICENSE("Dual BSD/GPL");
`,
};

test('call graph: same-named statics of different files stay apart', async () => {
	const root = writeTree(DRIVER_TREE);
	try {
		const index = await buildKernelIndexAsync(root, { noCache: true });
		assert.equal(index.definitionsOf('helper').length, 2);
		assert.ok(index.functions.get('helper')?.every((f) => f.isStatic));
		const callersA = index.callersOf('helper', 'drivers/a/a.c');
		assert.deepEqual(callersA.map((c) => `${c.caller}@${c.file}`), ['a_probe@drivers/a/a.c']);
		const callersB = index.callersOf('helper', 'drivers/b/b.c').map((c) => `${c.caller}:${c.kind}`).sort();
		assert.deepEqual(callersB, ['b_ops:reference', 'shared_api:call']);
		assert.deepEqual(index.calleesOf('a_probe').map((c) => c.callee), ['helper', 'shared_api']);
		// A header's static inline is what a file without its own definition calls.
		assert.deepEqual(index.callersOf('page_helper').map((c) => c.caller), ['helper']);
		assert.deepEqual(index.graph.resolve('shared_api', 'drivers/a/a.c').map((d) => d.file), ['drivers/b/b.c']);
		assert.equal(index.exportOf('a_probe')?.gplOnly, true);
	} finally {
		rmSync(root, { recursive: true, force: true });
	}
});

test('the synchronous build, with workers or without, gives the same index', async () => {
	const root = writeTree(DRIVER_TREE);
	try {
		const sync = buildKernelIndex(root);
		const inThread = await buildKernelIndexAsync(root, { noCache: true, workers: 0 });
		const pooled = await buildKernelIndexAsync(root, { noCache: true, workers: 2 });
		for (const index of [inThread, pooled]) {
			assert.deepEqual(index.graph.counts, sync.graph.counts);
			assert.deepEqual([...index.exports.keys()].sort(), [...sync.exports.keys()].sort());
			assert.deepEqual([...index.units.keys()].sort(), [...sync.units.keys()].sort());
		}
	} finally {
		rmSync(root, { recursive: true, force: true });
	}
});

test('cache: warm start reads only changed files; bad caches are rebuilt, never trusted', async () => {
	const root = writeTree(DRIVER_TREE);
	const cacheDir = mkdtempSync(join(tmpdir(), 'kmm-cache-'));
	try {
		const cold = await buildKernelIndexAsync(root, { cacheDir, ops: true });
		assert.equal(cold.stats.fromCache, false);
		// A cache that holds ops scans keeps them for an index that did not ask for them.
		const warm = await buildKernelIndexAsync(root, { cacheDir });
		assert.equal(warm.stats.fromCache, true);
		assert.equal(warm.stats.reread, 0);
		assert.deepEqual(warm.graph.counts, cold.graph.counts);
		assert.deepEqual(warm.callersOf('helper', 'drivers/b/b.c'), cold.callersOf('helper', 'drivers/b/b.c'));
		assert.equal(warm.exportOf('shared_api')?.macro, 'EXPORT_SYMBOL');
		assert.equal(warm.units.get('drivers/a/a')?.kind, 'module');
		// The ops scans come back from the cache as the workers made them...
		const coldOps = cold.opsOf('drivers/b/b.c');
		assert.ok(coldOps);
		assert.deepEqual(unpackOps(warm.opsOf('drivers/b/b.c') ?? coldOps), unpackOps(coldOps));
		assert.deepEqual(
			unpackOps(coldOps).bindings.map((b) => `${b.struct}.${b.member}=${b.fn}@${b.line}`),
			['ops.probe=helper@6'],
		);
		// ...and the ops index answers from them, never reading the tree (here, a file emptied behind its back).
		const bFile = join(root, 'drivers/b/b.c');
		const bText = readFileSync(bFile, 'utf8');
		writeFileSync(bFile, '');
		assert.deepEqual(new OpsIndex(warm).bindingsOf('helper', 'drivers/b/b.c').map((b) => b.table), ['b_ops']);
		writeFileSync(bFile, bText);

		writeFileSync(join(root, 'drivers/b/b.c'), readFileSync(join(root, 'drivers/b/b.c'), 'utf8') + 'int extra(void)\n{\n\treturn helper(3);\n}\nEXPORT_SYMBOL_GPL(extra);\n');
		const changed = await buildKernelIndexAsync(root, { cacheDir });
		assert.equal(changed.stats.reread, 1);
		assert.equal(changed.exportOf('extra')?.gplOnly, true);
		assert.equal(changed.definitionsOf('extra').length, 1);

		const [file] = readdirSync(join(cacheDir, 'index')).map((f) => join(cacheDir, 'index', f));
		const good = readFileSync(file);
		const cases: [Buffer, RegExp][] = [
			[good.subarray(0, good.length - 100), /truncated/],
			[Buffer.from('#!/bin/sh\necho not a cache at all, but long enough to have a header\n'), /not a kmm index cache/],
			[Buffer.concat([good.subarray(0, 200), Buffer.from([good[200] ^ 0xff]), good.subarray(201)]), /checksum/],
		];
		for (const [bytes, reason] of cases) {
			writeFileSync(file, bytes);
			const rebuilt = await buildKernelIndexAsync(root, { cacheDir });
			assert.equal(rebuilt.stats.fromCache, false);
			assert.match(rebuilt.stats.cacheNote ?? '', reason);
			assert.equal(rebuilt.exportOf('extra')?.gplOnly, true);
		}
		// The rebuilt cache is good again.
		assert.equal((await buildKernelIndexAsync(root, { cacheDir })).stats.fromCache, true);
	} finally {
		rmSync(root, { recursive: true, force: true });
		rmSync(cacheDir, { recursive: true, force: true });
	}
});

test('warm start: the worker survey (walk + identities) equals the walk and stats of this thread', async () => {
	const root = writeTree({ ...DRIVER_TREE, 'drivers/c/Kbuild': 'obj-m += c.o\n', 'drivers/c/c.c': 'int c;\n' });
	const cacheDir = mkdtempSync(join(tmpdir(), 'kmm-cache-'));
	try {
		const survey = await surveyTree(root);
		assert.ok(survey, 'a worker surveyed the tree');
		const tree = walkTree(root);
		assert.deepEqual(survey.tree, tree);
		assert.deepEqual([...survey.identities], [...statSources(tree.sources, (rel) => join(root, rel))]);
		// A file that vanishes stats as NaN, which no cached identity equals.
		assert.ok(statSources(['gone.c'], (rel) => join(root, rel)).every(Number.isNaN));

		await buildKernelIndexAsync(root, { cacheDir });
		// Same size, other content: only the identity tells; a removed file must go from the index.
		writeFileSync(join(root, 'drivers/c/c.c'), 'int d;\n');
		unlinkSync(join(root, 'drivers/b/b.c'));
		const [pooled, inThread] = [await buildKernelIndexAsync(root, { cacheDir }), await buildKernelIndexAsync(root, { cacheDir, workers: 0 })];
		assert.equal(pooled.stats.reread, 1);
		assert.equal(pooled.definitionsOf('shared_api').length, 0);
		assert.equal(pooled.exportOf('shared_api'), undefined);
		assert.deepEqual(pooled.graph.counts, inThread.graph.counts);
		assert.deepEqual([...pooled.exports.keys()].sort(), [...inThread.exports.keys()].sort());
	} finally {
		rmSync(root, { recursive: true, force: true });
		rmSync(cacheDir, { recursive: true, force: true });
	}
});

test('ops scans: made on demand without `ops`, by an ops pass over a cache that lacks them, then cached', async () => {
	const root = writeTree(DRIVER_TREE);
	const cacheDir = mkdtempSync(join(tmpdir(), 'kmm-cache-'));
	const binding = (ops: ReturnType<typeof unpackOps>) => ops.bindings.map((b) => `${b.table}.${b.member}=${b.fn}`);
	try {
		const plain = await buildKernelIndexAsync(root, { cacheDir });
		assert.equal(plain.opsScanned, false);
		assert.deepEqual(binding(unpackOps(plain.opsOf('drivers/b/b.c') ?? assert.fail('no ops scan on demand'))), ['b_ops.probe=helper']);
		// The cache written without them: an index that wants them reads every file with functions once more.
		const filled = await buildKernelIndexAsync(root, { cacheDir, ops: true });
		assert.equal(filled.stats.fromCache, true);
		assert.equal(filled.stats.reread, 0);
		assert.equal(filled.opsScanned, true);
		assert.deepEqual(binding(unpackOps(filled.opsOf('drivers/b/b.c') ?? assert.fail('no ops from the ops pass'))), ['b_ops.probe=helper']);
		// ...and the cache has them from then on: no file is read for them again (an ops index never scans on demand).
		const again = await buildKernelIndexAsync(root, { cacheDir, ops: true });
		assert.equal(again.opsScanned, true);
		assert.equal(again.stats.reread, 0);
		assert.deepEqual(binding(unpackOps(again.opsOf('drivers/b/b.c') ?? assert.fail('no cached ops'))), ['b_ops.probe=helper']);
		// A saved edit replaces the file's scan in an ops index as in any other.
		const bText = readFileSync(join(root, 'drivers/b/b.c'), 'utf8');
		writeFileSync(join(root, 'drivers/b/b.c'), bText.replace('.probe = helper', '.remove = helper'));
		again.updateFile('drivers/b/b.c');
		assert.deepEqual(binding(unpackOps(again.opsOf('drivers/b/b.c') ?? assert.fail('no ops after the update'))), ['b_ops.remove=helper']);
	} finally {
		rmSync(root, { recursive: true, force: true });
		rmSync(cacheDir, { recursive: true, force: true });
	}
});

test('incremental: updateFile and removeFile keep exports, functions, edges and units current', async () => {
	const root = writeTree(DRIVER_TREE);
	try {
		const index = await buildKernelIndexAsync(root, { noCache: true });
		index.callersOf('helper');
		writeFileSync(join(root, 'drivers/a/a.c'), 'int a_probe(void)\n{\n\treturn shared_api(1) + shared_api(2);\n}\nEXPORT_SYMBOL(a_probe);\nMODULE_LICENSE("GPL");\n');
		index.updateFile('drivers/a/a.c');
		assert.equal(index.exportOf('a_probe')?.gplOnly, false);
		assert.equal(index.definitionsOf('helper').length, 1);
		assert.equal(index.callersOf('shared_api').length, 2);
		assert.deepEqual(index.callersOf('helper', 'drivers/b/b.c').length, 2);

		writeFileSync(join(root, 'drivers/a/new.c'), 'void fresh(void)\n{\n\ta_probe();\n}\nEXPORT_SYMBOL(fresh);\n');
		writeFileSync(join(root, 'drivers/a/Makefile'), 'obj-m += a.o new.o\n');
		index.updateFile('drivers/a/new.c');
		index.updateFile('drivers/a/Makefile');
		assert.equal(index.exportOf('fresh')?.file, 'drivers/a/new.c');
		assert.equal(index.units.get('drivers/a/new')?.kind, 'module');
		assert.deepEqual(index.callersOf('a_probe').map((c) => c.caller).sort(), ['fresh', 'shared_api']);

		unlinkSync(join(root, 'drivers/b/b.c'));
		index.removeFile('drivers/b/b.c');
		assert.equal(index.exportOf('shared_api'), undefined);
		assert.equal(index.definitionsOf('shared_api').length, 0);
		assert.equal(index.units.has('drivers/b/b'), false);
		assert.deepEqual(index.callersOf('a_probe').map((c) => c.caller), ['fresh']);
	} finally {
		rmSync(root, { recursive: true, force: true });
	}
});

test('incremental: definitions and edges grouped at different times both see a changed file once', async () => {
	const root = writeTree(DRIVER_TREE);
	try {
		const index = await buildKernelIndexAsync(root, { noCache: true });
		// Definitions grouped before the change, edges only after it.
		assert.equal(index.definitionsOf('helper').length, 2);
		writeFileSync(join(root, 'drivers/a/a.c'), 'static int other(void)\n{\n\treturn 0;\n}\n\nstatic int helper(int x)\n{\n\treturn x;\n}\n\nint a_probe(void)\n{\n\treturn helper(1) + helper(2);\n}\n');
		index.updateFile('drivers/a/a.c');
		assert.deepEqual(index.callersOf('helper', 'drivers/a/a.c').map((c) => `${c.caller}:${c.line}`), ['a_probe:12', 'a_probe:12']);
		assert.deepEqual(index.definitionsOf('helper').map((d) => `${d.name}@${d.file}:${d.line}`).sort(), ['helper@drivers/a/a.c:5', 'helper@drivers/b/b.c:0']);
		assert.deepEqual(index.definitionsOf('a_probe').map((d) => d.line), [10]);
		index.removeFile('drivers/b/b.c');
		assert.deepEqual(index.definitionsOf('helper').map((d) => d.file), ['drivers/a/a.c']);
		assert.equal(index.callersOf('shared_api').length, 0);
	} finally {
		rmSync(root, { recursive: true, force: true });
	}
});

test('bad trees index to completion and report what they skipped', async () => {
	const root = writeTree({
		'drivers/ok/ok.c': 'int ok_fn(void)\n{\n\treturn 0;\n}\nEXPORT_SYMBOL(ok_fn);\n',
		'drivers/bad/latin1.c': Buffer.concat([
			Buffer.from('/* caf'),
			Buffer.from([0xe9, 0xff, 0xfe]),
			Buffer.from(' */\nint latin_fn(void)\n{\n\treturn 1;\n}\nEXPORT_SYMBOL_GPL(latin_fn);\n'),
		]),
		'drivers/bad/blob.c': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2]),
		'drivers/bad/vanishing.c': 'int gone(void)\n{\n\treturn 0;\n}\n',
		'drivers/bad/becomes-fifo.c': 'int swapped(void)\n{\n\treturn 0;\n}\n',
		'drivers/bad/huge.c': '',
	});
	try {
		truncateSync(join(root, 'drivers/bad/huge.c'), 5 * 1024 * 1024);
		symlinkSync('..', join(root, 'drivers/bad/loop'));
		symlinkSync('does-not-exist.c', join(root, 'drivers/bad/dangling.c'));
		execFileSync('mkfifo', [join(root, 'drivers/bad/fifo.c')]);
		const afterWalk = () => {
			unlinkSync(join(root, 'drivers/bad/vanishing.c'));
			unlinkSync(join(root, 'drivers/bad/becomes-fifo.c'));
			execFileSync('mkfifo', [join(root, 'drivers/bad/becomes-fifo.c')]);
		};
		for (const workers of [0, 2]) {
			if (workers === 2) {
				writeFileSync(join(root, 'drivers/bad/vanishing.c'), 'int gone(void)\n{\n\treturn 0;\n}\n');
				rmSync(join(root, 'drivers/bad/becomes-fifo.c'));
				writeFileSync(join(root, 'drivers/bad/becomes-fifo.c'), 'int swapped(void) { return 0; }\n');
			}
			const index = await buildKernelIndexAsync(root, { noCache: true, workers, afterWalk });
			const skipped = new Map(index.skipped.map((s) => [s.path, s.reason]));
			assert.equal(skipped.get('drivers/bad/vanishing.c'), 'ENOENT');
			assert.equal(skipped.get('drivers/bad/becomes-fifo.c'), 'not a regular file (a FIFO)');
			assert.match(skipped.get('drivers/bad/blob.c') ?? '', /binary/);
			assert.match(skipped.get('drivers/bad/huge.c') ?? '', /larger than/);
			assert.equal(index.exportOf('ok_fn')?.file, 'drivers/ok/ok.c');
			assert.equal(index.exportOf('latin_fn')?.gplOnly, true);
			assert.equal(index.definitionsOf('latin_fn').length, 1);
			assert.equal(index.definitionsOf('gone').length, 0);
		}
	} finally {
		rmSync(root, { recursive: true, force: true });
	}
});
