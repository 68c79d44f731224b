/**
 * Finding the kernel tree to index, in the order a kernel developer would expect:
 * an explicit path (setting, initializationOptions or --kernel), a workspace folder that
 * is itself a kernel tree, KDIR (environment, then the module's Makefile), and finally the
 * running kernel's build directory. Each may be a source tree or a headers tree (what a
 * distribution installs as /lib/modules/$(uname -r)/build); which one is detected. A build
 * directory (`--build`, `kmm.kernelBuildPath`) is checked here too, so a bad one is reported
 * before any indexing.
 */
import { existsSync } from 'node:fs';
import { release } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { readText } from '../read';
import { parseKbuild } from './kbuild';
import { detectKernel, readHeadersTree, type KernelKind } from './headers';
import { SYMVERS_FILE } from './symvers';

export type KernelSource = 'explicit' | 'workspace' | 'KDIR' | 'running kernel';

export interface LocatedKernel {
	root: string;
	source: KernelSource;
	kind: KernelKind['kind'];
	/** The build paired with a source tree (explicit only). */
	build?: string;
}

export interface LocateRequest {
	explicit?: string;
	/** A build (O=) directory or headers tree for a source tree: its Module.symvers and .config win. */
	build?: string;
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
			// An unreadable Makefile names no KDIR.
			const text = readText(join(dir, name), 'build');
			const kdir = text === undefined ? undefined : parseKbuild(text).kdir;
			if (kdir) return expandKdir(kdir, dir);
		}
		if (dirname(dir) === dir) break;
	}
	return undefined;
}

/** `dir` as a kernel of either kind, found through `source`. */
function found(dir: string, source: KernelSource): LocateResult | undefined {
	const detected = detectKernel(dir);
	return detected.ok ? { ok: true, kernel: { root: resolve(dir), source, kind: detected.kernel.kind } } : undefined;
}

export function locateKernel(req: LocateRequest): LocateResult {
	const result = locate(req);
	if (!result.ok || req.build === undefined) return result;
	const build = resolve(req.build);
	if (result.kernel.kind === 'headers') {
		return { ok: false, message: `${result.kernel.root} is a headers tree already; a build directory pairs only with a source tree` };
	}
	// An O= directory has Module.symvers and .config, and maybe no headers of its own.
	if (!readHeadersTree(build).ok && !existsSync(join(build, SYMVERS_FILE))) {
		return { ok: false, message: `${build} is not a kernel build (no ${SYMVERS_FILE}: build the kernel, or give its headers tree)` };
	}
	return { ok: true, kernel: { ...result.kernel, build } };
}

function locate(req: LocateRequest): LocateResult {
	const env = req.env ?? process.env;
	const tried: string[] = [];
	if (req.explicit) {
		const detected = detectKernel(req.explicit);
		return detected.ok ? { ok: true, kernel: { root: resolve(req.explicit), source: 'explicit', kind: detected.kernel.kind } } : detected;
	}
	for (const folder of req.workspaceFolders ?? []) {
		const hit = found(folder, 'workspace');
		if (hit) return hit;
	}
	if ((req.workspaceFolders ?? []).length > 0) tried.push('the workspace folder');
	// As with make: a KDIR in the environment overrides the Makefile's `KDIR ?= …`.
	const kdirs = env.KDIR ? [resolve(env.KDIR)] : (req.moduleDirs ?? []).map(kdirOf);
	for (const kdir of kdirs) {
		if (!kdir) continue;
		const hit = found(kdir, 'KDIR');
		if (hit) return hit;
		tried.push(`KDIR ${kdir}`);
	}
	const running = `/lib/modules/${release()}/build`;
	const hit = found(running, 'running kernel');
	if (hit) return hit;
	tried.push(running);
	return {
		ok: false,
		message: `no kernel tree found (tried ${tried.join(', ')}); set kmm.kernelPath or pass --kernel DIR`,
	};
}
