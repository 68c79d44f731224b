/** The kernel for a CLI command: the engine's openKernel, as the server uses it, with a progress bar. */
import { dirname, resolve } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import type { IndexProgress, KernelIndex } from '../engine/kernel/index';
import { openKernel } from '../engine/kernel/open';
import { UsageError } from './usage';

export interface KernelOptions {
	/** A source tree or a headers tree. */
	kernel?: string;
	/** The build of a source tree (O= directory or headers tree): its Module.symvers and .config win. */
	build?: string;
	config?: string;
	/** The index cache's directory (default $XDG_CACHE_HOME/kmm, else ~/.cache/kmm). */
	cacheDir?: string;
	/** Also every file's ops scan (dispatch queries). */
	ops?: boolean;
}

/** A one-line progress bar on stderr, only when it is a terminal. */
function progressBar(): ((p: IndexProgress) => void) | undefined {
	const err = process.stderr;
	if (!err.isTTY) return undefined;
	let last = '';
	return (p) => {
		const pct = p.total > 0 ? Math.floor((100 * p.done) / p.total) : 0;
		const width = 30;
		const bar = p.total > 0 ? `[${'#'.repeat((pct * width) / 100).padEnd(width)}] ${pct}%` : '';
		const line = `kmm: ${p.phase} ${bar}`;
		if (line === last) return;
		last = line;
		err.write(`\r\x1b[K${line}`);
		if (p.phase === 'saving' || (p.phase === 'functions' && p.done === p.total)) err.write('\r\x1b[K');
	};
}

/**
 * The full index (functions and call graph included), through the persistent cache.
 * `paths` are what the command works on: their Makefiles may name the kernel (KDIR).
 */
export async function loadKernelCached(options: KernelOptions, paths: readonly string[] = []): Promise<KernelIndex> {
	const moduleDirs = paths.map((p) => {
		const abs = resolve(p);
		return existsSync(abs) && statSync(abs).isDirectory() ? abs : dirname(abs);
	});
	const onProgress = progressBar();
	try {
		const opened = await openKernel({
			explicit: options.kernel,
			build: options.build,
			workspaceFolders: [process.cwd()],
			moduleDirs,
			configFile: options.config,
			cacheDir: options.cacheDir,
			ops: options.ops,
			onProgress,
		});
		if (!opened.ok) throw new UsageError(opened.message);
		return opened.index;
	} finally {
		if (onProgress) process.stderr.write('\r\x1b[K');
	}
}
