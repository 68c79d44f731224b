/**
 * Special files where kmm expects a build file, a source or its cache: `kmm check` never
 * hangs on them or reads a device, says what it skipped, and still reports the rest.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kmm } from '../helpers/run';
import { DRIVERS, MODERN } from '../helpers/paths';

/** Bound of one run: a hang fails the test instead of stalling it. */
const TIMEOUT = 30_000;

function driverCopy(): string {
	const dir = mkdtempSync(join(tmpdir(), 'kmm-special-'));
	cpSync(join(DRIVERS, 'pdev-proprietary'), join(dir, 'pdev'), { recursive: true });
	return join(dir, 'pdev');
}

function check(dir: string, extra: string[] = []) {
	const r = kmm(['check', dir, '--kernel', MODERN, ...extra], { timeout: TIMEOUT });
	assert.notEqual(r.status, null, `kmm check ${dir} hung`);
	return r;
}

const PDEV_FINDINGS = /pdev\.c:38:\d+: error: .*'devm_memremap_pages'/;

test('a FIFO or a link to /dev/zero named Kbuild is skipped and said so', () => {
	for (const make of ['fifo', 'zero']) {
		const dir = driverCopy();
		try {
			unlinkSync(join(dir, 'Kbuild'));
			if (make === 'fifo') execFileSync('mkfifo', [join(dir, 'Kbuild')]);
			else symlinkSync('/dev/zero', join(dir, 'Kbuild'));
			const r = check(dir);
			assert.ok(r.status === 0 || r.status === 1, `${make}: exit ${r.status}\n${r.stderr}`);
			assert.match(r.stderr, new RegExp(`kmm: skipped \\S*Kbuild: not a regular file \\(a ${make === 'fifo' ? 'FIFO' : 'character device'}\\)`));
		} finally {
			rmSync(join(dir, '..'), { recursive: true, force: true });
		}
	}
});

test('a FIFO Makefile where KDIR is looked for does not block finding the kernel', () => {
	const dir = driverCopy();
	try {
		unlinkSync(join(dir, 'Makefile'));
		execFileSync('mkfifo', [join(dir, 'Makefile')]);
		// No --kernel: the module's Makefile is where KDIR would be.
		const r = kmm(['check', dir], { timeout: TIMEOUT, env: { KDIR: '' }, cwd: dir });
		assert.notEqual(r.status, null, 'hung on the Makefile');
		assert.ok(r.status === 0 || r.status === 1 || r.status === 2, r.stderr);
		assert.doesNotMatch(r.stderr, /internal error/);
	} finally {
		rmSync(join(dir, '..'), { recursive: true, force: true });
	}
});

test('a FIFO source and a FIFO header the module includes are skipped; the other findings stay', () => {
	const dir = driverCopy();
	try {
		execFileSync('mkfifo', [join(dir, 'fifo.c')]);
		execFileSync('mkfifo', [join(dir, 'pdev_hw.h')]);
		// pdev.c includes the FIFO header: its analysis must not block on it.
		execFileSync('sed', ['-i', 's|#include <linux/pci.h>|#include <linux/pci.h>\\n#include "pdev_hw.h"|', join(dir, 'pdev.c')]);
		const r = check(dir);
		assert.equal(r.status, 1, r.stderr);
		assert.match(r.stderr, /kmm: skipped \S*fifo\.c: not a regular file/);
		assert.match(r.stdout, /pdev\.c:39:\d+: error: .*'devm_memremap_pages'/);
	} finally {
		rmSync(join(dir, '..'), { recursive: true, force: true });
	}
});

test('a .c symlink inside the module directory is followed; one leading out of it is reported', () => {
	const dir = driverCopy();
	const outside = mkdtempSync(join(tmpdir(), 'kmm-outside-'));
	try {
		mkdirSync(join(dir, 'src'));
		renameSync(join(dir, 'pdev.c'), join(dir, 'src', 'pdev-impl.c'));
		symlinkSync('src/pdev-impl.c', join(dir, 'pdev.c'));
		cpSync(join(DRIVERS, 'lic-mit', 'lmit.c'), join(outside, 'other.c'));
		symlinkSync(join(outside, 'other.c'), join(dir, 'other.c'));
		symlinkSync('gone.c', join(dir, 'dangling.c'));
		const r = check(dir);
		assert.equal(r.status, 1, r.stderr);
		assert.match(r.stdout, PDEV_FINDINGS);
		assert.match(r.stderr, /kmm: skipped \S*other\.c: a symlink out of the directory checked/);
		assert.match(r.stderr, /kmm: skipped \S*dangling\.c: a dangling symlink/);
	} finally {
		rmSync(join(dir, '..'), { recursive: true, force: true });
		rmSync(outside, { recursive: true, force: true });
	}
});

test('a cache file replaced by a FIFO or a link to /dev/zero is rebuilt, results equal to a cold run', () => {
	const cache = mkdtempSync(join(tmpdir(), 'kmm-special-cache-'));
	try {
		const cold = kmm(['exports', '--kernel', MODERN, '--cache-dir', cache], { timeout: TIMEOUT });
		assert.equal(cold.status, 0, cold.stderr);
		const files = readdirSync(cache, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
		assert.ok(files.length > 0, 'the cold run wrote a cache');
		for (const make of ['fifo', 'zero']) {
			for (const f of readdirSync(cache, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() || e.isFIFO() || e.isSymbolicLink())) {
				const path = join(f.parentPath, f.name);
				rmSync(path);
				if (make === 'fifo') execFileSync('mkfifo', [path]);
				else symlinkSync('/dev/zero', path);
			}
			const warm = kmm(['exports', '--kernel', MODERN, '--cache-dir', cache], { timeout: TIMEOUT });
			assert.notEqual(warm.status, null, `${make}: hung on the cache`);
			assert.equal(warm.status, 0, warm.stderr);
			assert.equal(warm.stdout, cold.stdout, make);
		}
	} finally {
		rmSync(cache, { recursive: true, force: true });
	}
});

test('an explicit --config that is a FIFO exits 2 with the reason', () => {
	const dir = mkdtempSync(join(tmpdir(), 'kmm-special-config-'));
	try {
		execFileSync('mkfifo', [join(dir, 'config')]);
		const r = kmm(['exports', '--kernel', MODERN, '--config', join(dir, 'config')], { timeout: TIMEOUT });
		assert.equal(r.status, 2, r.stderr);
		assert.match(r.stderr, /cannot read the \.config \S+: not a regular file \(a FIFO\)/);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});
