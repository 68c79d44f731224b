/**
 * The real Linux 6.1 tree and its Module.symvers, as scripts/fetch-kernel.sh leaves them in
 * a cache outside the repository. Tests against it must never pass by not running: a missing
 * tree skips with a loud banner, or fails when KMM_REAL_KERNEL=required (CI fetches first).
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';

export interface RealKernel {
	/** Root of the kernel source tree. */
	src: string;
	/** Module.symvers of the Debian 6.1.0-56-amd64 build of that tree. */
	symvers: string;
}

const ABI = '6.1.0-56';

/** Same default as the fetch script: $KMM_KERNEL_CACHE, else $XDG_CACHE_HOME or ~/.cache. */
export function kernelCache(): string {
	return (
		process.env.KMM_KERNEL_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'kmm', 'kernels')
	);
}

/** The paths, from KMM_LINUX_SRC/KMM_SYMVERS (the script's output) or the cache; undefined if incomplete. */
export function realKernel(): RealKernel | undefined {
	const cache = kernelCache();
	const src = process.env.KMM_LINUX_SRC ?? join(cache, 'linux-source-6.1');
	const symvers =
		process.env.KMM_SYMVERS ??
		join(cache, `linux-headers-${ABI}`, 'usr', 'src', `linux-headers-${ABI}-amd64`, 'Module.symvers');
	// The script writes a stamp only after a complete extraction; env paths are taken as given.
	const stamped = process.env.KMM_LINUX_SRC !== undefined || existsSync(join(cache, 'stamps', 'linux-source-6.1'));
	if (!stamped || !existsSync(join(src, 'Makefile')) || !existsSync(symvers)) return undefined;
	return { src, symvers };
}

/**
 * The real kernel for test `t`, or undefined after skipping it loudly. With
 * KMM_REAL_KERNEL=required a missing tree fails the test instead.
 */
export function requireRealKernel(t: TestContext): RealKernel | undefined {
	const kernel = realKernel();
	if (kernel) return kernel;
	const required = process.env.KMM_REAL_KERNEL === 'required';
	const reason = `real Linux 6.1 tree not found under ${kernelCache()}: run scripts/fetch-kernel.sh`;
	const bar = '!'.repeat(78);
	console.error(`\n${bar}\n!! ${required ? 'FAILING' : 'SKIPPING'} "${t.name}"\n!! ${reason}\n${bar}\n`);
	assert.ok(!required, `${reason} (KMM_REAL_KERNEL=required)`);
	t.skip(reason);
	return undefined;
}
