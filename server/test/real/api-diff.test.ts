/**
 * `kmm api-diff` between Debian's 6.1 and 6.12 headers packages, against the truth: the
 * export part must be exactly the diff of the two Module.symvers files, computed here from
 * the files themselves (not through kmm's reader), and the ZONE_DEVICE records must show
 * what the two packages' memremap.h say.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KMM } from '../helpers/paths';
import { HEADERS_612_PKG, requireHeaders, runKmm } from '../helpers/modpost';

interface Export {
	macro: string;
	namespace: string;
}

/** symbol → export, read straight from the file: `crc<TAB>symbol<TAB>module<TAB>macro<TAB>namespace`. */
function readSymvers(path: string): Map<string, Export> {
	const out = new Map<string, Export>();
	for (const line of readFileSync(path, 'utf8').split('\n')) {
		if (line === '') continue;
		const [, symbol, , macro, namespace = ''] = line.split('\t');
		assert.ok(!out.has(symbol), `${path}: ${symbol} twice`);
		out.set(symbol, { macro, namespace });
	}
	return out;
}

const side = (e: Export | undefined) => (e ? `${e.macro}/${e.namespace || '-'}` : 'none');

test('api-diff 6.1 -> 6.12 headers packages: the exports are exactly the Module.symvers diff', async (t) => {
	const a = requireHeaders(t);
	if (!a) return;
	const b = requireHeaders(t, HEADERS_612_PKG);
	if (!b) return;
	const before = readSymvers(join(a, 'Module.symvers'));
	const after = readSymvers(join(b, 'Module.symvers'));
	const want: string[] = [];
	for (const symbol of new Set([...before.keys(), ...after.keys()])) {
		const x = before.get(symbol);
		const y = after.get(symbol);
		const line = (kind: string) => want.push(`${kind} ${symbol} ${side(x)} ${side(y)}`);
		if (!x) line('added');
		else if (!y) line('removed');
		else {
			const gpl = (e: Export) => e.macro.endsWith('_GPL');
			if (gpl(x) !== gpl(y)) line(gpl(y) ? 'gpl-only' : 'no-longer-gpl-only');
			if (x.namespace !== y.namespace) line('namespace');
		}
	}
	want.sort();

	const cache = mkdtempSync(join(tmpdir(), 'kmm-api-diff-real-'));
	try {
		const run = await runKmm(KMM, ['api-diff', a, b, '--json', '--cache-dir', cache], tmpdir());
		assert.equal(run.status, 1, run.stderr);
		const diff = JSON.parse(run.stdout) as {
			from: { version: string; kind: string };
			to: { version: string; kind: string };
			counts: Record<string, number>;
			exports: { kind: string; symbol: string; before: { macro: string; namespace: string | null } | null; after: { macro: string; namespace: string | null } | null }[];
			records: { tag: string; members: { kind: string; name: string; before?: string; after?: string }[] }[];
			unchanged: string[];
		};
		assert.deepEqual([diff.from.kind, diff.to.kind], ['headers', 'headers']);
		const rec = (e: { macro: string; namespace: string | null } | null) => (e ? `${e.macro}/${e.namespace ?? '-'}` : 'none');
		const got = diff.exports.map((c) => `${c.kind} ${c.symbol} ${rec(c.before)} ${rec(c.after)}`).sort();
		assert.deepEqual(got, want);
		const count = (kind: string) => want.filter((w) => w.startsWith(`${kind} `)).length;
		for (const kind of ['added', 'removed', 'gpl-only', 'no-longer-gpl-only', 'namespace']) assert.equal(diff.counts[kind], count(kind), kind);
		console.log(
			`\napi-diff ${diff.from.version} -> ${diff.to.version} (${run.seconds.toFixed(1)}s): equals the Module.symvers diff: ` +
				`${count('added')} added, ${count('removed')} removed, ${count('gpl-only')} turned GPL-only, ` +
				`${count('no-longer-gpl-only')} no longer GPL-only, ${count('namespace')} namespace changes`,
		);

		// The records, against the two packages' memremap.h: 6.8 added vmem_altmap.inaccessible,
		// 6.12 spells dev_pagemap.ranges with DECLARE_FLEX_ARRAY; the ops and the enum are as 6.1's.
		const header = (dir: string) => readFileSync(join(dir.replace(/-amd64$/, '-common'), 'include/linux/memremap.h'), 'utf8');
		assert.doesNotMatch(header(a), /bool inaccessible;/);
		assert.match(header(b), /bool inaccessible;/);
		assert.match(header(b), /DECLARE_FLEX_ARRAY\(struct range, ranges\);/);
		const members = (tag: string) => diff.records.find((r) => r.tag === tag)?.members.map((m) => `${m.kind} ${m.name}`);
		assert.deepEqual(members('vmem_altmap'), ['added inaccessible']);
		assert.deepEqual(members('dev_pagemap'), ['changed ranges']);
		assert.ok(diff.unchanged.includes('struct dev_pagemap_ops') && diff.unchanged.includes('enum memory_type'), diff.unchanged.join(', '));
	} finally {
		rmSync(cache, { recursive: true, force: true });
	}
});
