/**
 * `kmm check --kernel A --kernel B` on the fixture kernels (v4.19 and the 6.1-shaped tree):
 * version guards decided per kernel, a finding of some kernels one diagnostic that names
 * them, the `kernels` field in JSON and SARIF; and the merge itself on made-up findings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Log } from 'sarif';
import { kmm } from '../helpers/run';
import { DRIVERS, MODERN, V419 } from '../helpers/paths';
import { buildKernelIndex } from '../../src/engine/kernel/build';
import { mergeAcrossKernels } from '../../src/engine/kernel-set';
import type { Finding } from '../../src/engine/checks/types';

const VERGUARD = join(DRIVERS, 'version-guards');

interface Json {
	kernel: { root: string; version: string };
	kernels: { label: string; root: string; kind: string; version: string }[];
	diagnostics: { line: number; code: string; message: string; kernels: string[] }[];
}

test('check against two kernels: each kernel compiles its own #if branch, and the findings say where they hold', () => {
	const cache = mkdtempSync(join(tmpdir(), 'kmm-multi-cli-'));
	const r = kmm(['check', VERGUARD, '--kernel', `old=${V419}`, '--kernel', MODERN, '--cache-dir', cache, '--format', 'json']);
	assert.equal(r.status, 1, r.stderr);
	const out = JSON.parse(r.stdout) as Json;
	assert.deepEqual(out.kernels.map((k) => `${k.label} ${k.version}`), ['old 4.19.0', '6.1.0 6.1.0']);
	assert.equal(out.kernel.root, V419, 'the first kernel, as with one');
	const got = out.diagnostics.map((d) => `${d.line} ${d.code} [${d.kernels.join(',')}] ${d.message.replace(/: it is exported.*/, '')}`);
	// verguard.c: memremap_pages / memunmap_pages in the 5.10+ branches, percpu_ref_exit in
	// the pre-5.9 one; on 4.19 memremap_pages is no export at all.
	assert.deepEqual(got, [
		"38 gpl-only-symbol [6.1.0] GPL-incompatible module verguard.ko uses GPL-only symbol 'memremap_pages' (in 6.1.0; not exported in old)",
		"58 gpl-only-symbol [6.1.0] GPL-incompatible module verguard.ko uses GPL-only symbol 'memunmap_pages' (in 6.1.0; not exported in old)",
		"60 gpl-only-symbol [old] GPL-incompatible module verguard.ko uses GPL-only symbol 'percpu_ref_exit' (in old; exported the same way in 6.1.0, whose build of the module differs)",
	]);

	// Text shows the same messages; SARIF carries the kernels per result.
	const text = kmm(['check', VERGUARD, '--kernel', `old=${V419}`, '--kernel', MODERN, '--cache-dir', cache]);
	assert.match(text.stdout, /verguard\.c:60:2: error: GPL-incompatible module verguard\.ko uses GPL-only symbol 'percpu_ref_exit' \(in old; /);
	const sarif = JSON.parse(kmm(['check', VERGUARD, '--kernel', `old=${V419}`, '--kernel', MODERN, '--cache-dir', cache, '--format', 'sarif']).stdout) as Log;
	assert.deepEqual(
		sarif.runs[0].results?.map((res) => res.properties?.kernels),
		[['6.1.0'], ['6.1.0'], ['old']],
	);

	// One kernel: the messages as ever, with that kernel in `kernels`.
	const one = JSON.parse(kmm(['check', VERGUARD, '--kernel', MODERN, '--cache-dir', cache, '--format', 'json']).stdout) as Json;
	assert.deepEqual(one.diagnostics.map((d) => d.kernels), [['6.1.0'], ['6.1.0']]);
	assert.doesNotMatch(one.diagnostics[0].message, /\(in 6\.1\.0/);
});

test('a finding of every kernel is one finding, without a kernel note', () => {
	const r = kmm(['check', join(DRIVERS, 'pdev-proprietary'), '--kernel', `a=${MODERN}`, '--kernel', `b=${MODERN}`, '--format', 'json']);
	assert.equal(r.status, 1, r.stderr);
	const one = JSON.parse(kmm(['check', join(DRIVERS, 'pdev-proprietary'), '--kernel', MODERN, '--format', 'json']).stdout) as Json;
	const out = JSON.parse(r.stdout) as Json;
	assert.deepEqual(
		out.diagnostics.map((d) => `${d.line} ${d.message}`),
		one.diagnostics.map((d) => `${d.line} ${d.message}`),
	);
	assert.ok(out.diagnostics.every((d) => d.kernels.join() === 'a,b'));
});

test('several kernels: a --build or --config belongs to one, and labels must differ', () => {
	for (const [args, reason] of [
		[['--kernel', MODERN, '--kernel', V419, '--build', MODERN], /--build belongs to one kernel/],
		[['--kernel', MODERN, '--kernel', V419, '--config', join(MODERN, 'Kconfig')], /--config belongs to one kernel/],
		[['--kernel', MODERN, '--kernel', MODERN], /both labelled '6\.1\.0'/],
	] as const) {
		const r = kmm(['check', VERGUARD, ...args]);
		assert.equal(r.status, 2, r.stderr);
		assert.match(r.stderr, reason);
	}
});

test('mergeAcrossKernels matches findings by code, range and subject, and tells the other kernels\' standing', () => {
	const a = { label: 'A', index: buildKernelIndex(V419) };
	const b = { label: 'B', index: buildKernelIndex(MODERN) };
	const at = (line: number) => ({ start: { line, character: 1 }, end: { line, character: 5 } });
	const f = (line: number, subject: string | undefined, message: string, symbol?: string): Finding => ({
		code: 'gpl-only-symbol',
		severity: 'error',
		message,
		range: at(line),
		...(subject ? { subject } : {}),
		...(symbol ? { symbol } : {}),
	});
	const merged = mergeAcrossKernels(
		[a, b],
		[
			[f(3, 'S devm', 'S devm: detail of A', 'devm_memremap_pages'), f(1, undefined, 'plain words'), f(7, 'S x', 'S x: only A', 'no_such_export')],
			[f(3, 'S devm', 'S devm: detail of B', 'devm_memremap_pages'), f(1, undefined, 'plain words'), f(2, 'S mem', 'S mem: only B', 'memremap_pages')],
		],
	);
	assert.deepEqual(
		merged.map((m) => `${m.range.start.line} [${m.kernels.join(',')}] ${m.message}`),
		[
			'1 [A,B] plain words',
			'2 [B] S mem (in B; not exported in A): only B',
			// The first kernel's words, once; devm_memremap_pages is plain in v4.19 and GPL-only in the other.
			'3 [A,B] S devm: detail of A',
			'7 [A] S x (in A; not exported in B): only A',
		],
	);
	const gpl = mergeAcrossKernels([b, a], [[f(3, 'S devm', 'S devm: GPL-only here', 'devm_memremap_pages')], []]);
	assert.equal(gpl[0].message, 'S devm (in B; exported with EXPORT_SYMBOL in A): GPL-only here');
	// One kernel: the findings as they are.
	const solo = [f(9, 'S', 'S: as is'), f(1, 'T', 'T: first seen second')];
	assert.deepEqual(mergeAcrossKernels([a], [solo]), solo.map((x) => ({ ...x, kernels: ['A'] })));
});
