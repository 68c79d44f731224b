/** The one reader of files kmm did not create: regular files only, bounded, never blocking. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { READ_LIMITS, readBounded, readText, takeRefusals } from '../../src/engine/read';

function reason(path: string, follow = true): string | undefined {
	const read = readBounded(path, 'build', follow);
	return 'skipped' in read ? read.skipped : undefined;
}

test('special files are refused with their kind, without blocking or reading them', async () => {
	const dir = mkdtempSync(join(tmpdir(), 'kmm-read-'));
	const server = createServer();
	try {
		execFileSync('mkfifo', [join(dir, 'Kbuild')]);
		symlinkSync('/dev/zero', join(dir, 'Makefile'));
		symlinkSync(join(dir, 'Kbuild'), join(dir, 'fifo-link'));
		mkdirSync(join(dir, 'Kconfig'));
		await new Promise<void>((done) => server.listen(join(dir, 'sock'), done));
		assert.equal(reason(join(dir, 'Kbuild')), 'not a regular file (a FIFO)');
		assert.equal(reason(join(dir, 'fifo-link')), 'not a regular file (a FIFO)');
		assert.equal(reason(join(dir, 'Makefile')), 'not a regular file (a character device)');
		assert.equal(reason(join(dir, 'Makefile'), false), 'not a regular file (a symlink)');
		assert.equal(reason(join(dir, 'Kconfig')), 'not a regular file (a directory)');
		assert.equal(reason(join(dir, 'sock')), 'not a regular file (a socket)');
		assert.equal(reason(join(dir, 'missing')), 'ENOENT');
		assert.equal(readText(join(dir, 'Kbuild'), 'build'), undefined);
		const refused = new Map(takeRefusals());
		assert.equal(refused.get(join(dir, 'Kbuild')), 'not a regular file (a FIFO)');
		assert.equal(refused.has(join(dir, 'missing')), false, 'a file that is not there is no refusal');
		assert.deepEqual(takeRefusals(), [], 'taken once');
	} finally {
		server.close();
		rmSync(dir, { recursive: true, force: true });
	}
});

test('a file beyond its kind’s bound is refused; one within it is read whole, a symlink to it followed', () => {
	const dir = mkdtempSync(join(tmpdir(), 'kmm-read-'));
	try {
		writeFileSync(join(dir, 'big.c'), '');
		truncateSync(join(dir, 'big.c'), READ_LIMITS.source + 1);
		const big = readBounded(join(dir, 'big.c'), 'source');
		assert.ok('skipped' in big && big.skipped === `larger than ${READ_LIMITS.source} bytes`);
		assert.ok('data' in readBounded(join(dir, 'big.c'), 'symvers'), 'the bound is per kind');
		writeFileSync(join(dir, 'a.c'), 'int a;\n');
		symlinkSync('a.c', join(dir, 'link.c'));
		const read = readBounded(join(dir, 'link.c'), 'source');
		assert.ok('data' in read);
		assert.equal(read.data.toString(), 'int a;\n');
		assert.equal(read.identity.size, 7);
		assert.ok(read.identity.ctimeMs > 0, 'identity includes ctime');
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});
