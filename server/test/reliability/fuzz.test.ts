/** A bounded, fixed-seed sample of the fault suite (scripts/fuzz.mjs runs it fully). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from '../helpers/paths';

test('fuzz sample: mutated sources, special files and cache corruptions, every case bounded and passing', () => {
	const r = spawnSync(process.execPath, [join(REPO, 'scripts', 'fuzz.mjs'), '--cases', '12', '--seed', '15', '--timeout', '20000'], {
		cwd: REPO,
		encoding: 'utf8',
		timeout: 50_000,
	});
	assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
	assert.match(r.stdout, /^fuzz: seed 15: 12 cases \(.*\), 12 passed, 0 crashes, 0 hangs, 0 over the memory bound, 0 lost results/m);
});
