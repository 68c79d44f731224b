/**
 * `kmm exports --kernel` on Debian's headers package: read back from its Module.symvers,
 * every line must come out as it is (symbol, GPL-ness, namespace), nothing more.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KMM } from '../helpers/paths';
import { requireHeaders } from '../helpers/modpost';

test('kmm exports of the headers package equals its Module.symvers', (t) => {
	const headers = requireHeaders(t);
	if (!headers) return;
	assert.ok(existsSync(KMM), `${KMM} is missing: run npm run build`);
	const cacheDir = mkdtempSync(join(tmpdir(), 'kmm-headers-symvers-'));
	try {
		const run = spawnSync(process.execPath, [KMM, 'exports', '--kernel', headers, '--cache-dir', cacheDir], { encoding: 'utf8', maxBuffer: 64 << 20 });
		assert.equal(run.status, 0, run.stderr);
		const want = readFileSync(join(headers, 'Module.symvers'), 'utf8')
			.split('\n')
			.filter((l) => l !== '')
			.map((l) => {
				const [, symbol, , type, ns] = l.split('\t');
				return `${symbol}\t${type === 'EXPORT_SYMBOL_GPL' ? 'gpl' : 'plain'}\t${ns || '-'}`;
			})
			.sort();
		const got = run.stdout
			.split('\n')
			.filter((l) => l !== '')
			.map((l) => {
				const [symbol, macro, ns] = l.split('\t');
				return `${symbol}\t${macro.endsWith('_GPL') ? 'gpl' : 'plain'}\t${ns}`;
			})
			.sort();
		const wantSet = new Set(want);
		const matched = got.filter((g) => wantSet.has(g)).length;
		console.log(`\nkmm exports --kernel ${headers}: ${matched}/${want.length} Module.symvers lines (${((100 * matched) / want.length).toFixed(2)}%), ${got.length} printed`);
		assert.deepEqual(got, want);
	} finally {
		rmSync(cacheDir, { recursive: true, force: true });
	}
});
