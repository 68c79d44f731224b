/**
 * Headers trees as distributions lay them out (test-fixtures/headers): each is detected as
 * a headers tree with the right build and source directories and version, its exports are
 * its Module.symvers exactly, its headers are visible through sourcePaths/absolutePath from
 * whichever directory holds them, and the checks answer from them alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectKernel } from '../../src/engine/kernel/headers';
import { buildKernelIndex, buildKernelIndexAsync } from '../../src/engine/kernel/build';
import { HEADERS_ONLY } from '../../src/engine/kernel/index';
import { locateKernel } from '../../src/engine/kernel/locate';
import { formatVersion } from '../../src/engine/version';
import { findingsOf } from '../helpers/analyze';
import { FIXTURES, MODERN } from '../helpers/paths';

const HEADERS = join(FIXTURES, 'headers');
const DRIVER = join(HEADERS, 'driver');

const LAYOUTS = [
	{ name: 'debian', build: 'debian/usr/src/linux-headers-6.1.0-9-amd64', source: 'debian/usr/src/linux-headers-6.1.0-9-common', version: '6.1.27' },
	{ name: 'ubuntu', build: 'ubuntu/usr/src/linux-headers-5.15.0-91-generic', source: 'ubuntu/usr/src/linux-headers-5.15.0-91', version: '5.15.131' },
	{ name: 'fedora', build: 'fedora/usr/src/kernels/6.5.6-300.fc39.x86_64', source: 'fedora/usr/src/kernels/6.5.6-300.fc39.x86_64', version: '6.5.6' },
	{ name: 'arch', build: 'arch/usr/lib/modules/6.6.1-arch1-1/build', source: 'arch/usr/lib/modules/6.6.1-arch1-1/build', version: '6.6.1' },
];

for (const layout of LAYOUTS) {
	const build = join(HEADERS, layout.build);
	const source = join(HEADERS, layout.source);

	test(`${layout.name}: detected as a headers tree with its build and source directories`, () => {
		const detected = detectKernel(build);
		assert.ok(detected.ok, detected.ok ? '' : detected.message);
		assert.equal(detected.kernel.kind, 'headers');
		if (detected.kernel.kind !== 'headers') return;
		assert.equal(detected.kernel.headers.build, build);
		assert.equal(detected.kernel.headers.source, source);
		const located = locateKernel({ explicit: build });
		assert.ok(located.ok && located.kernel.kind === 'headers');
		const viaKdir = locateKernel({ env: { KDIR: build } });
		assert.ok(viaKdir.ok && viaKdir.kernel.source === 'KDIR' && viaKdir.kernel.kind === 'headers');
	});

	test(`${layout.name}: exports are Module.symvers, headers come from both directories`, () => {
		const index = buildKernelIndex(build);
		assert.equal(index.kind, 'headers');
		assert.equal(index.root, build);
		assert.equal(index.version && formatVersion(index.version), layout.version);
		assert.equal(index.callGraphNote, HEADERS_ONLY);
		assert.equal(index.dotConfig?.get('KMM_DEMO'), 'm');
		const exports = [...index.exports.values()].flat().map((r) => [r.symbol, r.macro, r.gplOnly, r.namespace ?? '-', `${r.file}:${r.line + 1}`]);
		assert.deepEqual(exports.sort(), [
			['kmm_demo_gpl', 'EXPORT_SYMBOL_GPL', true, '-', 'Module.symvers:2'],
			['kmm_demo_ns', 'EXPORT_SYMBOL_GPL', true, 'KMM_DEMO', 'Module.symvers:3'],
			['kmm_demo_plain', 'EXPORT_SYMBOL', false, '-', 'Module.symvers:1'],
		]);
		const paths = [...index.sourcePaths()].sort();
		// The .config says x86: other arches' headers are not the build's.
		assert.deepEqual(paths, ['arch/x86/include/asm/kmmarch.h', 'arch/x86/include/generated/asm/kmmgen.h', 'include/generated/autoconf.h', 'include/generated/utsrelease.h', 'include/linux/kmmdemo.h']);
		for (const rel of paths) assert.ok(existsSync(index.absolutePath(rel)), `${rel} resolves to ${index.absolutePath(rel)}`);
		assert.equal(index.absolutePath('include/linux/kmmdemo.h'), join(source, 'include/linux/kmmdemo.h'));
		assert.equal(index.absolutePath('include/generated/utsrelease.h'), join(build, 'include/generated/utsrelease.h'));
		assert.equal(index.relativePath(join(source, 'include/linux/kmmdemo.h')), 'include/linux/kmmdemo.h');
		assert.equal(index.definitionsOf('kmm_demo_get')[0]?.file, 'include/linux/kmmdemo.h');
		assert.equal(index.units.size, 0);
	});

	test(`${layout.name}: a module is checked against the headers alone`, async () => {
		const index = buildKernelIndex(build);
		const undefinedSyms = (await findingsOf(index, DRIVER, 'kmmuser.c', 'unexported-symbol')).map((f) => f.message.split(' ')[0]);
		// kmm_demo_debug is the .config's inline stub; kmm_demo_put a macro; the rest are exported.
		assert.deepEqual(undefinedSyms, ['"kmm_demo_internal"']);
		const unexported = await findingsOf(index, DRIVER, 'kmmuser.c', 'unexported-symbol');
		assert.equal(unexported[0].related?.[0].location.file, join(source, 'include/linux/kmmdemo.h'));
		assert.match(unexported[0].message, /kmmdemo\.h:13\b.*Module\.symvers/);
		const ns = await findingsOf(index, DRIVER, 'kmmuser.c', 'missing-namespace-import');
		assert.deepEqual(ns.map((f) => f.range.start.line + 1), [10]);
	});
}

test('a tree that is neither kind is refused with what was expected', () => {
	const detected = detectKernel(DRIVER);
	assert.ok(!detected.ok);
	assert.match(detected.message, /is not a kernel tree .*Module\.symvers/);
	const noHeaders = detectKernel(join(HEADERS, 'debian/usr/src'));
	assert.ok(!noHeaders.ok);
});

test('a source tree stays a source tree; --build pairs it with a build whose Module.symvers wins', () => {
	const detected = detectKernel(MODERN);
	assert.ok(detected.ok && detected.kernel.kind === 'source');
	const build = join(HEADERS, LAYOUTS[3].build);
	const located = locateKernel({ explicit: MODERN, build });
	assert.ok(located.ok && located.kernel.build === build);
	assert.ok(!locateKernel({ explicit: build, build }).ok, 'a headers tree takes no build');
	assert.ok(!locateKernel({ explicit: MODERN, build: DRIVER }).ok, 'a build needs Module.symvers');
	const index = buildKernelIndex(MODERN, { buildDir: build });
	assert.equal(index.kind, 'source');
	assert.equal(index.callGraphNote, undefined);
	assert.ok(index.exportsFromBuild);
	assert.deepEqual([...index.exports.keys()].sort(), ['kmm_demo_gpl', 'kmm_demo_ns', 'kmm_demo_plain']);
	assert.equal(index.dotConfig?.get('KMM_DEMO'), 'm', "the build's .config");
	assert.ok(index.graph.counts.functions > 0, 'the sources give the call graph');
	const plain = buildKernelIndex(MODERN);
	assert.ok(!plain.exportsFromBuild && plain.exports.size > 3);
});

test('--build: the merged export table is cached, and a changed Module.symvers is read again', async () => {
	const build = mkdtempSync(join(tmpdir(), 'kmm-build-'));
	const cacheDir = mkdtempSync(join(tmpdir(), 'kmm-build-cache-'));
	try {
		cpSync(join(HEADERS, LAYOUTS[3].build), build, { recursive: true });
		const cold = await buildKernelIndexAsync(MODERN, { buildDir: build, cacheDir });
		assert.equal(cold.stats.exportsFrom, 'scan');
		const warm = await buildKernelIndexAsync(MODERN, { buildDir: build, cacheDir });
		assert.equal(warm.stats.exportsFrom, 'cache');
		assert.deepEqual([...warm.exports.entries()], [...cold.exports.entries()]);
		appendFileSync(join(build, 'Module.symvers'), '0x4d5e6f70\tkmm_demo_late\tvmlinux\tEXPORT_SYMBOL_GPL\t\n');
		const changed = await buildKernelIndexAsync(MODERN, { buildDir: build, cacheDir });
		assert.equal(changed.stats.exportsFrom, 'scan');
		assert.equal(changed.exportOf('kmm_demo_late')?.gplOnly, true);
	} finally {
		rmSync(build, { recursive: true, force: true });
		rmSync(cacheDir, { recursive: true, force: true });
	}
});
