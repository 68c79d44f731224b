/**
 * A file's identity in the cache includes its ctime: an in-place edit that keeps size, mtime
 * and inode (an editor restoring mtime, `cp --preserve`) is still seen by a warm start.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kmm } from '../helpers/run';
import { MODERN } from '../helpers/paths';

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
