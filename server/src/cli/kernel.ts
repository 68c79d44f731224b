/** The kernel for a CLI command: the engine's openKernel, as the server uses it, with a progress bar. */
import { dirname, resolve } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import type { IndexProgress, KernelIndex } from '../engine/kernel/index';
import { openKernel, versionOf } from '../engine/kernel/open';
import type { LabeledKernel } from '../engine/kernel-set';
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

/**
 * `--kernel` values of a command that works on several kernels: DIR, or LABEL=DIR (a label
 * has no `/`, and a directory of that very name wins). The label defaults to the version.
 */
export function kernelSpec(spec: string): { label?: string; dir: string } {
	const eq = spec.indexOf('=');
	if (eq <= 0 || spec.slice(0, eq).includes('/') || existsSync(spec)) return { dir: spec };
	return { label: spec.slice(0, eq), dir: spec.slice(eq + 1) };
}

/**
 * Each kernel of `specs` (none: the one loadKernelCached finds), indexed through the cache
 * (one per kernel), with distinct labels. A build or .config belongs to one kernel only.
 */
export async function labeledKernels(specs: readonly string[], options: Omit<KernelOptions, 'kernel'>, paths: readonly string[] = []): Promise<LabeledKernel[]> {
	if (specs.length > 1 && (options.build !== undefined || options.config !== undefined)) {
		throw new UsageError(`--${options.build !== undefined ? 'build' : 'config'} belongs to one kernel: give it with a single --kernel`);
	}
	const out: LabeledKernel[] = [];
	for (const spec of specs.length > 0 ? specs : [undefined]) {
		const { label, dir } = spec === undefined ? { label: undefined, dir: undefined } : kernelSpec(spec);
		const index = await loadKernelCached({ ...options, kernel: dir }, paths);
		out.push({ label: label ?? versionOf(index), index });
	}
	const labels = out.map((k) => k.label);
	const dup = labels.find((l, i) => labels.indexOf(l) !== i);
	if (dup !== undefined) throw new UsageError(`two kernels are both labelled '${dup}': label them LABEL=DIR`);
	return out;
}
