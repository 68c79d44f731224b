/** Hostile sources in the kernel tree: the index completes, bounded, with the right facts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kmm } from '../helpers/run';
import { MODERN } from '../helpers/paths';

test('export wrappers invoking each other four times, 20 deep: indexed at once, the export listed once', () => {
	const tmp = mkdtempSync(join(tmpdir(), 'kmm-wide-'));
	try {
		const tree = join(tmp, 'linux');
		cpSync(MODERN, tree, { recursive: true });
		const wrappers = Array.from({ length: 19 }, (_, i) => `#define E${i + 1}(x) E${i}(x) E${i}(x) E${i}(x) E${i}(x) EXPORT_SYMBOL(x)`);
		writeFileSync(join(tree, 'mm', 'wide.c'), ['#define E0(x) EXPORT_SYMBOL(x)', ...wrappers, 'int wide_fn(void) { return 0; }', 'E19(wide_fn);', ''].join('\n'));
		// 4^19 expansions unbounded: the run would not end (it grew past 1.6 GB in 60 s).
		const r = kmm(['exports', '--kernel', tree], { timeout: 30_000 });
		assert.notEqual(r.status, null, 'hung');
		assert.equal(r.status, 0, r.stderr);
		assert.deepEqual(r.stdout.split('\n').filter((l) => l.startsWith('wide_fn\t')), ['wide_fn\tEXPORT_SYMBOL\t-\tmm/wide.c:22']);
	} finally {
		rmSync(tmp, { recursive: true, force: true });
	}
});
