/**
 * A file's identity in the cache includes its ctime: an in-place edit that keeps size, mtime
 * and inode (an editor restoring mtime, `cp --preserve`) is still seen by a warm start; on a
 * file system with whole-second timestamps, a file changed in the tick it was read is not
 * trusted (git's racily-clean rule).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kmm } from '../helpers/run';
import { MODERN } from '../helpers/paths';
import { racyIdentity } from '../../src/engine/read';
import { snapshot } from '../../src/engine/kernel/cache-payload';
import { buildKernelIndex } from '../../src/engine/kernel/build';

test('an edit in place keeping size, mtime and inode: the warm result equals the cold one', () => {
	const tmp = mkdtempSync(join(tmpdir(), 'kmm-ctime-'));
	try {
		const tree = join(tmp, 'linux');
		cpSync(MODERN, tree, { recursive: true });
		const file = join(tree, 'mm', 'memremap.c');
		const before = statSync(file);
		const cache = join(tmp, 'cache');
		const first = kmm(['exports', '--kernel', tree, '--cache-dir', cache]);
		assert.equal(first.status, 0, first.stderr);
		assert.match(first.stdout, /^memremap_pages\tEXPORT_SYMBOL_GPL\t/m);

		const text = readFileSync(file, 'utf8');
		const edited = text.replace('EXPORT_SYMBOL_GPL(memremap_pages);', 'EXPORT_SYMBOL(memremap_pages);    ');
		assert.equal(edited.length, text.length);
		writeFileSync(join(tmp, 'ref'), '');
		execFileSync('touch', ['-r', file, join(tmp, 'ref')]);
		writeFileSync(file, edited);
		execFileSync('touch', ['-r', join(tmp, 'ref'), file]);
		const after = statSync(file);
		assert.deepEqual([after.size, after.mtimeMs, after.ino], [before.size, before.mtimeMs, before.ino], 'only ctime tells');

		const warm = kmm(['exports', '--kernel', tree, '--cache-dir', cache]);
		const cold = kmm(['exports', '--kernel', tree, '--cache-dir', join(tmp, 'fresh')]);
		assert.equal(cold.status, 0, cold.stderr);
		assert.match(cold.stdout, /^memremap_pages\tEXPORT_SYMBOL\t/m);
		assert.equal(warm.stdout, cold.stdout);
	} finally {
		rmSync(tmp, { recursive: true, force: true });
	}
});

test('racy identities: whole-second timestamps within 2 s of the read are never trusted', () => {
	const readAt = Date.parse('2026-12-03T12:00:10.250Z');
	const at = (iso: string) => Date.parse(iso);
	const id = (mtime: string, ctime = mtime) => ({ size: 10, mtimeMs: at(mtime), ctimeMs: at(ctime), ino: 7 });
	// Coarse timestamps in the last two seconds before the read: a same-tick write would keep them.
	assert.equal(racyIdentity(id('2026-12-03T12:00:10.000Z'), readAt), true);
	assert.equal(racyIdentity(id('2026-12-03T12:00:09.000Z'), readAt), true);
	assert.equal(racyIdentity(id('2026-12-03T12:00:05.000Z', '2026-12-03T12:00:09.000Z'), readAt), true);
	// Older, or fine-grained (ext4, tmpfs: a later write always moves ctime), is trusted.
	assert.equal(racyIdentity(id('2026-12-03T12:00:08.000Z'), readAt), false);
	assert.equal(racyIdentity(id('2026-12-03T12:00:10.123Z'), readAt), false);
	assert.equal(racyIdentity(id('2026-12-03T12:00:10.000Z', '2026-12-03T12:00:10.004Z'), readAt), false);

	// The cache keeps no identity for such a file, so the next start reads it again.
	const index = buildKernelIndex(MODERN);
	const rel = 'mm/memremap.c';
	const state = index.sourceState(rel) ?? assert.fail('no source state');
	const rels = [rel];
	const trusted = snapshot(index, rels, 'stamp', state.ctimeMs - 10_000);
	assert.deepEqual([...trusted.identities], [state.size, state.mtimeMs, state.ctimeMs, state.ino]);
	Object.assign(state, { mtimeMs: Math.floor(state.mtimeMs / 1000) * 1000, ctimeMs: Math.floor(state.ctimeMs / 1000) * 1000 });
	const racy = snapshot(index, rels, 'stamp', state.ctimeMs + 500);
	assert.deepEqual([...racy.identities], [-1, -1, -1, -1]);
});
