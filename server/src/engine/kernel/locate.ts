/**
 * Finding the kernel tree to index, in the order a kernel developer would expect:
 * an explicit path (setting, initializationOptions or --kernel), a workspace folder that
 * is itself a kernel tree, KDIR (environment, then the module's Makefile), and finally the
 * running kernel's build directory.
 */
import { existsSync, readFileSync } from 'node:fs';
import { release } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseKbuild } from './kbuild';
import { isKernelTree } from './index';

export type KernelSource = 'explicit' | 'workspace' | 'KDIR' | 'running kernel';

export interface LocatedKernel {
	root: string;
	source: KernelSource;
}

export interface LocateRequest {
	explicit?: string;
	workspaceFolders?: readonly string[];
	/** Directories of the modules being worked on, whose Makefiles may name KDIR. */
	moduleDirs?: readonly string[];
	env?: NodeJS.ProcessEnv;
}

export type LocateResult = { ok: true; kernel: LocatedKernel } | { ok: false; message: string };

/** Expands what out-of-tree Makefiles put in KDIR: `$(shell uname -r)` and `$(PWD)`-style dirs. */
function expandKdir(value: string, moduleDir: string): string {
	const expanded = value
		.replace(/\$\(shell uname -r\)/g, release())
		.replace(/\$\((?:PWD|CURDIR|src)\)/g, moduleDir)
		.replace(/^~(?=\/)/, process.env.HOME ?? '~');
	return resolve(moduleDir, expanded);
}

function kdirOf(moduleDir: string): string | undefined {
	for (let dir = moduleDir, depth = 0; depth < 6; dir = dirname(dir), depth++) {
		for (const name of ['Makefile', 'Kbuild']) {
			const path = join(dir, name);
			if (!existsSync(path)) continue;
			try {
				const kdir = parseKbuild(readFileSync(path, 'utf8')).kdir;
				if (kdir) return expandKdir(kdir, dir);
			} catch {
				// An unreadable Makefile names no KDIR.
			}
		}
		if (dirname(dir) === dir) break;
	}
	return undefined;
}

export function locateKernel(req: LocateRequest): LocateResult {
	const env = req.env ?? process.env;
	const tried: string[] = [];
	if (req.explicit) {
		const root = resolve(req.explicit);
		if (isKernelTree(root)) return { ok: true, kernel: { root, source: 'explicit' } };
		return {
			ok: false,
			message: `${root} is not a kernel tree (expected a top-level Makefile with VERSION/PATCHLEVEL and include/linux/)`,
		};
	}
	for (const folder of req.workspaceFolders ?? []) {
		if (isKernelTree(folder)) return { ok: true, kernel: { root: resolve(folder), source: 'workspace' } };
	}
	if ((req.workspaceFolders ?? []).length > 0) tried.push('the workspace folder');
	// As with make: a KDIR in the environment overrides the Makefile's `KDIR ?= …`.
	const kdirs = env.KDIR ? [resolve(env.KDIR)] : (req.moduleDirs ?? []).map(kdirOf);
	for (const kdir of kdirs) {
		if (!kdir) continue;
		if (isKernelTree(kdir)) return { ok: true, kernel: { root: kdir, source: 'KDIR' } };
		tried.push(`KDIR ${kdir}`);
	}
	const running = `/lib/modules/${release()}/build`;
	if (isKernelTree(running)) return { ok: true, kernel: { root: running, source: 'running kernel' } };
	tried.push(running);
	return {
		ok: false,
		message: `no kernel tree found (tried ${tried.join(', ')}); set kmm.kernelPath or pass --kernel DIR`,
	};
}
