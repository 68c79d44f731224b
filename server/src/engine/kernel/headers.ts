/**
 * What kind of kernel a directory is: a source tree (today's index), or a headers/kbuild tree
 * as distributions ship it for building out-of-tree modules, which is what kbuild and modpost
 * read for those modules: Module.symvers, .config, include/generated and the headers.
 *
 * Layouts seen in the wild, all one shape here (a build dir and a source dir, maybe the same):
 *   Debian   linux-headers-<ver>-<flavour>: Module.symvers, .config, generated headers, and a
 *            Makefile that is one `include …/linux-headers-<ver>-common/Makefile` line; the
 *            headers themselves are in -common.
 *   Ubuntu   linux-headers-<ver>-generic + linux-headers-<ver>, split the same way (the
 *            Makefile may be a symlink into the common dir instead of an include).
 *   Fedora   /usr/src/kernels/<ver>, Arch /usr/lib/modules/<ver>/build: one directory.
 * A headers tree differs from a source tree by having Module.symvers and no C sources in
 * kernel/ and mm/.
 */
import { existsSync, lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { SYMVERS_FILE } from './symvers';
import { readBounded, readText } from '../read';
import { parseKernelVersion, readKernelVersion, type KernelVersion } from '../version';

export interface HeadersTree {
	/** Where Module.symvers, .config and include/generated are (kbuild's objtree). */
	build: string;
	/** Where include/linux is (kbuild's srctree): `build` itself, or where its Makefile leads. */
	source: string;
	version?: KernelVersion;
}

export type KernelKind = { kind: 'source'; root: string; version: KernelVersion } | { kind: 'headers'; headers: HeadersTree };

export type Detected = { ok: true; kernel: KernelKind } | { ok: false; message: string };

/** Kconfig's arch symbols → the arch/ directory whose headers a build includes. */
const ARCHES: [string, string][] = [
	['X86', 'x86'],
	['ARM64', 'arm64'],
	['ARM', 'arm'],
	['RISCV', 'riscv'],
	['PPC', 'powerpc'],
	['S390', 's390'],
	['MIPS', 'mips'],
	['LOONGARCH', 'loongarch'],
];

function isDir(path: string): boolean {
	try {
		return statSync(path).isDirectory();
	} catch {
		return false;
	}
}


function hasCSources(dir: string): boolean {
	try {
		return readdirSync(dir).some((name) => name.endsWith('.c'));
	} catch {
		return false;
	}
}

/**
 * The directory whose Makefile has the version, from `dir`'s Makefile: itself, the target of a
 * symlinked Makefile, or the directory of an `include`d Makefile (followed a few times).
 */
function versionedMakefileDir(dir: string): { dir: string; version: KernelVersion } | undefined {
	for (let depth = 0; depth < 4; depth++) {
		const makefile = join(dir, 'Makefile');
		const text = readText(makefile, 'build');
		if (text === undefined) return undefined;
		const version = parseKernelVersion(text);
		if (version) {
			try {
				if (lstatSync(makefile).isSymbolicLink()) return { dir: dirname(realpathSync(makefile)), version };
			} catch {
				// A dangling or looping link was readable a moment ago; treat it as a plain file.
			}
			return { dir, version };
		}
		const included = [...text.matchAll(/^[ \t]*-?include[ \t]+(\S+)[ \t]*$/gm)]
			.map((m) => m[1])
			.filter((p) => !p.includes('$'))
			.map((p) => (isAbsolute(p) ? p : resolve(dir, p)))
			.find((p) => existsSync(p));
		if (!included) return undefined;
		dir = dirname(included);
	}
	return undefined;
}

/** The version from the generated headers: version.h's fields (5.x+) or code, else utsrelease.h. */
function generatedVersion(build: string): KernelVersion | undefined {
	for (const rel of ['include/generated/uapi/linux/version.h', 'include/linux/version.h']) {
		const text = readText(join(build, rel), 'source');
		if (text === undefined) continue;
		const field = (name: string) => new RegExp(`^\\s*#\\s*define\\s+${name}\\s+(\\d+)`, 'm').exec(text)?.[1];
		const [major, minor, patch] = ['LINUX_VERSION_MAJOR', 'LINUX_VERSION_PATCHLEVEL', 'LINUX_VERSION_SUBLEVEL'].map(field);
		if (major && minor) return { major: +major, minor: +minor, patch: patch ? +patch : 0, extra: '' };
		const code = field('LINUX_VERSION_CODE');
		if (code) return { major: +code >> 16, minor: (+code >> 8) & 255, patch: +code & 255, extra: '' };
	}
	const uts = /#\s*define\s+UTS_RELEASE\s+"(\d+)\.(\d+)(?:\.(\d+))?([^"]*)"/.exec(readText(join(build, 'include/generated/utsrelease.h'), 'source') ?? '');
	return uts ? { major: +uts[1], minor: +uts[2], patch: uts[3] ? +uts[3] : 0, extra: uts[4] } : undefined;
}

/** Reads `dir` as a headers tree, or says why it is not one. */
export function readHeadersTree(dir: string): { ok: true; headers: HeadersTree } | { ok: false; message: string } {
	const build = resolve(dir);
	if (!isDir(build)) return { ok: false, message: `${build} is not a directory` };
	if (!existsSync(join(build, SYMVERS_FILE))) return { ok: false, message: `${build} has no ${SYMVERS_FILE} (a headers or build tree needs one)` };
	const versioned = versionedMakefileDir(build);
	const source = [versioned?.dir, build].find((d): d is string => d !== undefined && isDir(join(d, 'include', 'linux')));
	if (!source) return { ok: false, message: `${build} has ${SYMVERS_FILE} but no include/linux/, here or where its Makefile leads` };
	// The Makefile's SUBLEVEL is the real one (Debian's UTS_RELEASE is 6.1.0-56-amd64 for 6.1.192).
	const version = versioned?.version ?? generatedVersion(build);
	return { ok: true, headers: { build, source, ...(version ? { version } : {}) } };
}

/**
 * A source tree has a versioned top-level Makefile, include/linux/ and C sources in kernel/ or
 * mm/; a reason when it looks like one but its Makefile cannot be read or states a bad version.
 */
function isSourceTree(dir: string): KernelVersion | { reason: string } | undefined {
	if (!isDir(join(dir, 'include', 'linux'))) return undefined;
	const makefile = join(dir, 'Makefile');
	const read = readBounded(makefile, 'build');
	if (!('data' in read)) return read.skipped === 'ENOENT' ? undefined : { reason: `${makefile} cannot be read: ${read.skipped}` };
	const version = readKernelVersion(read.data.toString('utf8'));
	if (!version) return undefined;
	if (!version.ok) return { reason: `${makefile}: ${version.reason}` };
	// Without Module.symvers it is a source tree whatever else it lacks (small fixture trees).
	const sources = !existsSync(join(dir, SYMVERS_FILE)) || hasCSources(join(dir, 'kernel')) || hasCSources(join(dir, 'mm'));
	return sources ? version.version : undefined;
}

/** What keeps `dir` from being read at all, said plainly. */
function inaccessible(dir: string): string | undefined {
	try {
		if (!statSync(dir).isDirectory()) return `${dir} is not a directory`;
		readdirSync(dir);
		return undefined;
	} catch (err) {
		const code = (err as NodeJS.ErrnoException).code;
		return code === 'ENOENT' ? `${dir} does not exist` : `${dir} cannot be read: ${code ?? String(err)}`;
	}
}

export function detectKernel(dir: string): Detected {
	const root = resolve(dir);
	const unusable = inaccessible(root);
	if (unusable) return { ok: false, message: unusable };
	const version = isSourceTree(root);
	if (version && 'reason' in version) return { ok: false, message: version.reason };
	if (version) return { ok: true, kernel: { kind: 'source', root, version } };
	const headers = readHeadersTree(root);
	if (headers.ok) return { ok: true, kernel: { kind: 'headers', headers: headers.headers } };
	return {
		ok: false,
		message: existsSync(join(root, SYMVERS_FILE))
			? headers.message
			: `${root} is not a kernel tree (expected a top-level Makefile with VERSION/PATCHLEVEL and include/linux/, or a headers tree with ${SYMVERS_FILE})`,
	};
}

/** The arch/ directory a .config builds for, if it says. */
export function archOf(config: ReadonlyMap<string, string> | undefined): string | undefined {
	return config && ARCHES.find(([symbol]) => config.get(symbol) === 'y')?.[1];
}

/**
 * The header directories of a headers tree a module may include, relative to each of its
 * roots: include/ and arch/<arch>/include/ (every arch's when the arch is not known).
 */
export function headerDirs(root: string, arch: string | undefined): string[] {
	const dirs = ['include'];
	if (arch) dirs.push(`arch/${arch}/include`);
	else {
		try {
			for (const name of readdirSync(join(root, 'arch')).sort()) dirs.push(`arch/${name}/include`);
		} catch {
			// No arch/ here: include/ alone.
		}
	}
	return dirs.filter((d) => isDir(join(root, d)));
}
