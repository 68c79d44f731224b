/** Locating and indexing the kernel for a CLI command, with the same fallbacks as the server. */
import { dirname, resolve } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { buildKernelIndexAsync, NotAKernelTreeError, type IndexProgress, type KernelIndex } from '../engine/kernel/index';
import { locateKernel } from '../engine/kernel/locate';
import { UsageError } from './usage';

export interface KernelOptions {
	/** A source tree or a headers tree. */
	kernel?: string;
	/** The build of a source tree (O= directory or headers tree): its Module.symvers and .config win. */
	build?: string;
	config?: string;
	/** The index cache's directory (default $XDG_CACHE_HOME/kmm, else ~/.cache/kmm). */
	cacheDir?: string;
}

function locate(options: KernelOptions, paths: readonly string[]): { root: string; build?: string } {
	const moduleDirs = paths.map((p) => {
		const abs = resolve(p);
		return existsSync(abs) && statSync(abs).isDirectory() ? abs : dirname(abs);
	});
	const located = locateKernel({ explicit: options.kernel, build: options.build, workspaceFolders: [process.cwd()], moduleDirs });
	if (!located.ok) throw new UsageError(located.message);
	if (options.config && !existsSync(options.config)) throw new UsageError(`cannot read --config ${options.config}`);
	return located.kernel;
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
	const { root, build } = locate(options, paths);
	const onProgress = progressBar();
	try {
		return await buildKernelIndexAsync(root, { configFile: options.config, buildDir: build, cacheDir: options.cacheDir, onProgress });
	} catch (err) {
		// The tree changed between locating and indexing, or its Module.symvers is unreadable.
		if (err instanceof NotAKernelTreeError) throw new UsageError(err.message);
		throw err;
	} finally {
		if (onProgress) process.stderr.write('\r\x1b[K');
	}
}
