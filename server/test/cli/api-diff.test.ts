/**
 * `kmm api-diff` on the fixture kernels: the 2018 series' changes between v4.19 and the
 * 6.1-shaped tree (devm_memremap_pages turned GPL-only, hmm_devmem_* removed, struct
 * dev_pagemap reshaped), a namespace move in a copy of the modern tree, and --module
 * with a driver whose version guards compile different calls on each kernel.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kmm } from '../helpers/run';
import { DRIVERS, MODERN, V419 } from '../helpers/paths';

interface Side {
	macro: string;
	gplOnly: boolean;
	namespace: string | null;
	file: string;
	line: number;
}
interface Change {
	kind: string;
	symbol: string;
	before: Side | null;
	after: Side | null;
	uses?: { file: string; line: number; column: number; via?: string[]; kernels: string[] }[];
}
interface Diff {
	from: { label: string; version: string };
	to: { label: string; version: string };
	counts: Record<string, number>;
	exports: Change[];
	unchanged: string[];
	records: { kind: string; tag: string; before: { file: string; line: number } | null; after: { file: string; line: number } | null; members: { kind: string; name: string; before?: string; after?: string }[] }[];
}

function diff(args: string[], expectStatus = 1): Diff {
	const r = kmm(['api-diff', ...args, '--json']);
	assert.equal(r.status, expectStatus, r.stderr);
	return JSON.parse(r.stdout) as Diff;
}

const kinds = (d: Diff, symbol: string) => d.exports.filter((c) => c.symbol === symbol).map((c) => c.kind);

test('api-diff v4.19 -> 6.1: the GPL marking, the removed hmm_devmem API, the reshaped structs', () => {
	const d = diff([V419, MODERN]);
	assert.equal(d.from.label, '4.19.0');
	assert.equal(d.to.label, '6.1.0');
	const gpl = d.exports.find((c) => c.symbol === 'devm_memremap_pages');
	assert.equal(gpl?.kind, 'gpl-only');
	assert.equal(gpl?.before?.macro, 'EXPORT_SYMBOL');
	assert.equal(gpl?.after?.macro, 'EXPORT_SYMBOL_GPL');
	for (const s of ['hmm_devmem_add', 'hmm_devmem_add_resource', 'hmm_devmem_remove']) assert.deepEqual(kinds(d, s), ['removed'], s);
	assert.deepEqual(kinds(d, 'memremap_pages'), ['added']);
	// Unchanged exports are no changes.
	assert.deepEqual(kinds(d, 'get_dev_pagemap'), []);
	assert.equal(d.counts.removed, d.exports.filter((c) => c.kind === 'removed').length);
	assert.deepEqual(
		d.exports.map((c) => c.symbol),
		d.exports.map((c) => c.symbol).sort(),
	);

	const pagemap = d.records.find((r) => r.tag === 'dev_pagemap');
	assert.ok(pagemap?.before && pagemap.after);
	const member = (name: string) => pagemap.members.find((m) => m.name === name);
	assert.equal(member('page_fault')?.kind, 'removed');
	assert.equal(member('owner')?.kind, 'added');
	assert.deepEqual(member('ref'), { kind: 'changed', name: 'ref', before: 'struct percpu_ref *ref;', after: 'struct percpu_ref ref;' });
	assert.equal(member('type'), undefined, 'the same field in both is no change');
	const ops = d.records.find((r) => r.tag === 'dev_pagemap_ops');
	assert.equal(ops?.before, null);
	assert.deepEqual(ops?.members.map((m) => `${m.kind} ${m.name}`), ['added page_free', 'added migrate_to_ram', 'added memory_failure']);
	const types = d.records.find((r) => r.tag === 'memory_type');
	assert.deepEqual(
		types?.members.map((m) => `${m.kind} ${m.name}`),
		['removed MEMORY_DEVICE_PUBLIC', 'added MEMORY_DEVICE_COHERENT', 'added MEMORY_DEVICE_GENERIC', 'added MEMORY_DEVICE_PCI_P2PDMA'],
	);
	assert.equal(d.records.find((r) => r.tag === 'hmm_devmem')?.after, null);

	// The other way round, the marking is undone.
	assert.deepEqual(kinds(diff([MODERN, V419]), 'devm_memremap_pages'), ['no-longer-gpl-only']);
});

test('api-diff of a kernel with itself: no changes, exit 0; the text form names the kernels', () => {
	const d = diff([`a=${MODERN}`, `b=${MODERN}`], 0);
	assert.equal(d.from.label, 'a');
	assert.deepEqual(d.exports, []);
	assert.deepEqual(d.records, []);
	assert.ok(d.unchanged.includes('struct dev_pagemap') && d.unchanged.includes('enum memory_type'), d.unchanged.join(', '));
	const text = kmm(['api-diff', V419, MODERN]);
	assert.equal(text.status, 1);
	assert.match(text.stdout, /^kmm api-diff 4\.19\.0 \(.*v4\.19\) -> 6\.1\.0 \(.*modern\)\n/);
	assert.match(text.stdout, /^turned GPL-only \(1\):\n {2}devm_memremap_pages\tEXPORT_SYMBOL -> EXPORT_SYMBOL_GPL$/m);
	assert.match(text.stdout, /^struct dev_pagemap_ops \(not in 4\.19\.0 -> include\/linux\/memremap\.h:\d+\):$/m);
});

test('api-diff sees namespace moves: into, out of and between namespaces, and GPL changes with them', () => {
	const root = mkdtempSync(join(tmpdir(), 'kmm-api-diff-'));
	const moved = join(root, 'moved');
	cpSync(MODERN, moved, { recursive: true });
	const edit = (rel: string, from: string, to: string) => {
		const path = join(moved, rel);
		const text = readFileSync(path, 'utf8');
		assert.ok(text.includes(from), `${rel} has ${from}`);
		writeFileSync(path, text.replace(from, to));
	};
	edit('drivers/misc/fakemem.c', 'EXPORT_SYMBOL_NS_GPL(fakemem_alloc, FAKEMEM)', 'EXPORT_SYMBOL_NS_GPL(fakemem_alloc, FAKEMEM_CORE)');
	edit('drivers/misc/fakemem.c', 'EXPORT_SYMBOL_NS(fakemem_free, FAKEMEM)', 'EXPORT_SYMBOL(fakemem_free)');
	edit('mm/hmm.c', 'EXPORT_SYMBOL(hmm_range_fault)', 'EXPORT_SYMBOL_NS_GPL(hmm_range_fault, HMM)');
	const d = diff([`old=${MODERN}`, `new=${moved}`]);
	const change = (symbol: string) => d.exports.filter((c) => c.symbol === symbol).map((c) => `${c.kind} ${c.before?.namespace ?? '-'} ${c.after?.namespace ?? '-'}`);
	assert.deepEqual(change('fakemem_alloc'), ['namespace FAKEMEM FAKEMEM_CORE']);
	assert.deepEqual(change('fakemem_free'), ['namespace FAKEMEM -']);
	assert.deepEqual(change('hmm_range_fault'), ['gpl-only - HMM', 'namespace - HMM']);
	assert.equal(d.exports.length, 4);
	assert.deepEqual(d.counts, { added: 0, removed: 0, 'gpl-only': 1, 'no-longer-gpl-only': 0, namespace: 3 });
});

test('api-diff --module: only what the driver uses, each use as each kernel compiles it', () => {
	const d = diff([V419, MODERN, '--module', join(DRIVERS, 'version-guards')]);
	const got = d.exports.map((c) => `${c.kind} ${c.symbol} ${(c.uses ?? []).map((u) => `${u.file.replace(/.*\//, '')}:${u.line} [${u.kernels.join(',')}]`).join(' ')}`);
	// verguard.c calls hmm_devmem_add under `< 5.3`, memremap_pages and memunmap_pages in
	// the newest branches; devm_memremap_pages (5.3-5.9) is compiled for neither kernel.
	assert.deepEqual(got, [
		'removed hmm_devmem_add verguard.c:27 [4.19.0]',
		'added memremap_pages verguard.c:38 [6.1.0]',
		'added memunmap_pages verguard.c:58 [6.1.0]',
	]);
	// The records are the kernels', whatever the module.
	assert.ok(d.records.some((r) => r.tag === 'dev_pagemap'));
});

test('api-diff usage errors exit 2 with a reason', () => {
	for (const [args, reason] of [
		[['api-diff', MODERN], /takes two kernels/],
		[['api-diff', MODERN, MODERN], /both labelled '6\.1\.0'/],
		[['api-diff', MODERN, '/nonexistent/kernel'], /\/nonexistent\/kernel/],
	] as const) {
		const r = kmm([...args]);
		assert.equal(r.status, 2, r.stderr);
		assert.match(r.stderr, reason);
		assert.doesNotMatch(r.stderr, /internal error/);
	}
});
