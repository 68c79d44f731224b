/**
 * Walks a kernel tree once and sorts what it finds: C and assembly sources, kbuild files,
 * Kconfig files. Never follows symlinks (kernel trees have few, and loops must not hang us),
 * skips dot-directories, and records what it could not read instead of failing.
 *
 * Top-level directories that kbuild never builds into the kernel or a module are not walked:
 * tools/ (user-space programs and selftests, with their own max(), list.h, ...), scripts/
 * (host programs), usr/ (initramfs and exported uapi) and Documentation/. A definition there
 * would resolve a kernel name to user-space code.
 */
import { lstatSync, readdirSync, type Dirent, type Stats } from 'node:fs';
import { join } from 'node:path';

export interface TreeFiles {
	/** Relative paths of .c, .h and .S files. */
	sources: string[];
	/** Relative directory → its kbuild file ("Kbuild" wins over "Makefile"). */
	kbuild: Map<string, string>;
	/** Relative paths of Kconfig files. */
	kconfig: string[];
	skipped: { path: string; reason: string }[];
}

const SOURCE_RE = /\.(c|h|S)$/;

/** Top-level directories that hold no kernel code. */
export const NOT_KERNEL_CODE = new Set(['tools', 'scripts', 'usr', 'Documentation']);

export function walkTree(root: string): TreeFiles {
	const files: TreeFiles = { sources: [], kbuild: new Map(), kconfig: [], skipped: [] };
	const stack = [''];
	while (stack.length > 0) {
		const rel = stack.pop() as string;
		let entries: Dirent[];
		try {
			entries = readdirSync(join(root, rel), { withFileTypes: true });
		} catch (err) {
			files.skipped.push({ path: rel || '.', reason: (err as NodeJS.ErrnoException).code ?? String(err) });
			continue;
		}
		let makefile: string | undefined;
		for (const e of entries) {
			const path = rel ? `${rel}/${e.name}` : e.name;
			if (e.isSymbolicLink()) continue;
			if (e.isDirectory()) {
				if (!e.name.startsWith('.') && !(rel === '' && NOT_KERNEL_CODE.has(e.name))) stack.push(path);
			} else if (e.isFile()) {
				if (SOURCE_RE.test(e.name)) files.sources.push(path);
				else if (e.name === 'Kbuild') files.kbuild.set(rel, path);
				else if (e.name === 'Makefile') makefile = path;
				else if (e.name.startsWith('Kconfig')) files.kconfig.push(path);
			}
		}
		if (makefile && !files.kbuild.has(rel)) files.kbuild.set(rel, makefile);
	}
	files.sources.sort();
	files.kconfig.sort();
	return files;
}

/** Numbers per file in `statSources`' result: size, mtimeMs, ctimeMs, ino. */
export const IDENTITY_STRIDE = 4;

/**
 * Every source's identity (see read.ts FileIdentity), IDENTITY_STRIDE numbers per file in the
 * order of `sources`; NaN for a file that cannot be stat-ed, which equals no cached identity.
 * Flat numbers so that a worker can hand the result over without copying.
 */
export function statSources(sources: readonly string[], pathOf: (rel: string) => string): Float64Array {
	const out = new Float64Array(sources.length * IDENTITY_STRIDE);
	for (let k = 0; k < sources.length; k++) {
		let st: Stats | undefined;
		try {
			st = lstatSync(pathOf(sources[k]), { throwIfNoEntry: false });
		} catch {
			st = undefined;
		}
		if (st) out.set([st.size, st.mtimeMs, st.ctimeMs, st.ino], k * IDENTITY_STRIDE);
		else out.fill(Number.NaN, k * IDENTITY_STRIDE, (k + 1) * IDENTITY_STRIDE);
	}
	return out;
}
