/** Bad kernels and bad arguments: exit 2 with what is wrong, said plainly. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readKernelVersion } from '../../src/engine/version';
import { kmm } from '../helpers/run';
import { DRIVERS, MODERN } from '../helpers/paths';

function treeWith(makefile: (text: string) => string): string {
	const tree = join(mkdtempSync(join(tmpdir(), 'kmm-bad-kernel-')), 'linux');
	cpSync(MODERN, tree, { recursive: true });
	writeFileSync(join(tree, 'Makefile'), makefile(readFileSync(join(MODERN, 'Makefile'), 'utf8')));
	return tree;
}

test('a malformed version in the top Makefile is refused with the field, never indexed as 1e+23 or 0', () => {
	for (const [from, to, field] of [
		['VERSION = 6', 'VERSION = 99999999999999999999999', 'VERSION'],
		['SUBLEVEL = 0', 'SUBLEVEL = abc', 'SUBLEVEL'],
		['PATCHLEVEL = 1', 'PATCHLEVEL = 256', 'PATCHLEVEL'],
	]) {
		const tree = treeWith((t) => t.replace(from, to));
		try {
			const r = kmm(['index', '--kernel', tree]);
			assert.equal(r.status, 2, `${to}: ${r.stdout}`);
			assert.match(r.stderr, new RegExp(`^kmm: \\S+/Makefile: malformed kernel version: ${field} = `));
			assert.doesNotMatch(r.stdout + r.stderr, /e\+|internal error/);
		} finally {
			rmSync(join(tree, '..'), { recursive: true, force: true });
		}
	}
});

test('version fields: what kbuild takes', () => {
	const v = (s: string) => readKernelVersion(`VERSION = 6\nPATCHLEVEL = 1\n${s}`);
	assert.deepEqual(v('SUBLEVEL = 337\n'), { ok: true, version: { major: 6, minor: 1, patch: 337, extra: '' } });
	assert.deepEqual(v('SUBLEVEL =\nEXTRAVERSION = -rc3\n'), { ok: true, version: { major: 6, minor: 1, patch: 0, extra: '-rc3' } });
	assert.equal(v('SUBLEVEL = 1e3\n')?.ok, false);
	assert.equal(readKernelVersion('all:\n\techo\n'), undefined, 'not a kernel Makefile');
});

test('a kernel path that does not exist, is a file, or has an unreadable Makefile says so', () => {
	const missing = kmm(['exports', '--kernel', '/nonexistent/linux']);
	assert.equal(missing.status, 2);
	assert.equal(missing.stderr, 'kmm: /nonexistent/linux does not exist\n');
	const file = kmm(['exports', '--kernel', join(MODERN, 'Makefile')]);
	assert.equal(file.status, 2);
	assert.equal(file.stderr, `kmm: ${join(MODERN, 'Makefile')} is not a directory\n`);
	const tree = treeWith((t) => t);
	try {
		unlinkSync(join(tree, 'Makefile'));
		execFileSync('mkfifo', [join(tree, 'Makefile')]);
		const fifo = kmm(['exports', '--kernel', tree], { timeout: 30_000 });
		assert.equal(fifo.status, 2, fifo.stderr);
		assert.equal(fifo.stderr, `kmm: ${tree}/Makefile cannot be read: not a regular file (a FIFO)\n`);
	} finally {
		rmSync(join(tree, '..'), { recursive: true, force: true });
	}
});

test('kmm migrate takes --cache-dir (and --build) like the other commands', () => {
	const cache = mkdtempSync(join(tmpdir(), 'kmm-migrate-cache-'));
	try {
		const r = kmm(['migrate', join(DRIVERS, 'hmm-legacy'), '--kernel', MODERN, '--cache-dir', cache]);
		assert.ok(r.status === 0 || r.status === 1, r.stderr);
		assert.match(r.stdout, /^diff --git /m);
		assert.ok(execFileSync('find', [cache, '-type', 'f']).toString().trim() !== '', 'the index cache went to --cache-dir');
		assert.match(kmm(['migrate', '--help']).stdout, /--cache-dir DIR/);
	} finally {
		rmSync(cache, { recursive: true, force: true });
	}
});

test('kmm migrate with a module file beyond the parser bounds: no abort, and not called migrated', () => {
	const dir = mkdtempSync(join(tmpdir(), 'kmm-migrate-huge-'));
	try {
		cpSync(join(DRIVERS, 'hmm-legacy'), dir, { recursive: true });
		// One line over 64 Ki characters: parsing it could abort tree-sitter.
		writeFileSync(join(dir, 'table.c'), `static const int table[] = { ${'1, '.repeat(30_000)}};\n`);
		writeFileSync(join(dir, 'Kbuild'), 'obj-m := hmm.o\nhmm-y := hmmdrv.o table.o\n');
		const module = kmm(['migrate', dir, '--kernel', MODERN]);
		assert.equal(module.status, 1, module.stderr);
		assert.match(module.stderr, /table\.c:1:1: still: kmm does not check this document: .*\[document-too-large\]/);
		assert.match(module.stderr, /^kmm: 1 file too large to migrate or check$/m);
		assert.doesNotMatch(module.stderr, /internal error|Aborted/);
		const file = kmm(['migrate', join(dir, 'table.c'), '--kernel', MODERN]);
		assert.equal(file.status, 1, file.stderr);
		assert.match(file.stderr, /table\.c:1:1: still: kmm does not check this document/);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});
