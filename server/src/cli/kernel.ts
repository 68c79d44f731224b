/** Locating and indexing the kernel for a CLI command, with the same fallbacks as the server. */
import { dirname, resolve } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { buildKernelIndex, type KernelIndex } from '../engine/kernel/index';
import { locateKernel } from '../engine/kernel/locate';
import { UsageError } from './usage';

export interface KernelOptions {
	kernel?: string;
	config?: string;
}

export function loadKernel(options: KernelOptions, paths: readonly string[] = []): KernelIndex {
	const moduleDirs = paths.map((p) => {
		const abs = resolve(p);
		return existsSync(abs) && statSync(abs).isDirectory() ? abs : dirname(abs);
	});
	const located = locateKernel({ explicit: options.kernel, workspaceFolders: [process.cwd()], moduleDirs });
	if (!located.ok) throw new UsageError(located.message);
	if (options.config && !existsSync(options.config)) throw new UsageError(`cannot read --config ${options.config}`);
	return buildKernelIndex(located.kernel.root, { configFile: options.config });
}
