/**
 * The one reader of files kmm did not create (sources, headers, kbuild files, Kconfig,
 * .config, Module.symvers, settings, the cache): regular files only, bounded in size, never
 * blocking. A FIFO or device (or a symlink to one) is refused from its stat, before any
 * open; the open is non-blocking and the descriptor checked again, so a file swapped for a
 * FIFO between the two is refused too. Never throws: a refusal comes back with its reason.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';

/** What identifies one version of a file: anything re-read when it changes (ctime: an edit that restores mtime). */
export interface FileIdentity {
	size: number;
	mtimeMs: number;
	ctimeMs: number;
	ino: number;
}

/** Size bounds per kind of file: beyond them a file is not what kmm expects there. */
export const READ_LIMITS = {
	/** C sources and headers: larger ones are generated tables or firmware blobs. */
	source: 4 << 20,
	/** Kbuild, Makefile, Kconfig, .config. */
	build: 4 << 20,
	/** Module.symvers: the kernel's own is about 2 MiB. */
	symvers: 64 << 20,
	/** `.kmm.json`. */
	settings: 1 << 20,
	/** kmm's own index cache (a whole tree's facts). */
	cache: 1 << 30,
} as const;

export type ReadKind = keyof typeof READ_LIMITS;

export type FileRead = { data: Buffer; identity: FileIdentity } | { skipped: string; identity?: FileIdentity };

export function identityOf(st: Stats): FileIdentity {
	return { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino };
}

export function sameIdentity(a: FileIdentity, b: FileIdentity): boolean {
	return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino;
}

/** The coarsest timestamp granularity of the file systems kmm expects (FAT: 2 s). */
const COARSE_MS = 2000;

/**
 * Whether an identity taken at `at` may miss a later edit, as git's "racily clean" entries:
 * on a file system with whole-second timestamps (ext4 and tmpfs keep nanoseconds), a write in
 * the same tick as the last one keeps size, mtime and ctime, and an editor that writes in place
 * keeps the inode. Such a file is read again on the next start rather than trusted.
 */
export function racyIdentity(id: FileIdentity, at: number): boolean {
	const whole = id.mtimeMs % 1000 === 0 && id.ctimeMs % 1000 === 0;
	return whole && Math.max(id.mtimeMs, id.ctimeMs) > at - COARSE_MS;
}

/** A string that changes whenever the identity does, for keying caches of parsed files. */
export function identityKey(st: Stats): string {
	return `${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}`;
}

function kindOf(st: Stats): string {
	if (st.isDirectory()) return 'a directory';
	if (st.isFIFO()) return 'a FIFO';
	if (st.isCharacterDevice()) return 'a character device';
	if (st.isBlockDevice()) return 'a block device';
	if (st.isSocket()) return 'a socket';
	if (st.isSymbolicLink()) return 'a symlink';
	return 'not a file';
}

function errorReason(err: unknown): string {
	return (err as NodeJS.ErrnoException).code ?? String(err);
}

/** Files that exist but were refused, for a front end to report; bounded, the first ones kept. */
const refusals = new Map<string, string>();
const MAX_REFUSALS = 256;

function refuse(path: string, skipped: string, identity?: FileIdentity): FileRead {
	if (skipped !== 'ENOENT' && skipped !== 'ENOTDIR' && refusals.size < MAX_REFUSALS) refusals.set(path, skipped);
	return identity ? { skipped, identity } : { skipped };
}

/** The refusals since the last call (path, reason), oldest first. */
export function takeRefusals(): [string, string][] {
	const out = [...refusals];
	refusals.clear();
	return out;
}

/**
 * Reads `path` whole when it is a regular file within `kind`'s bound. `follow: false` refuses
 * symlinks (the kernel tree walk never follows them); otherwise a symlink is followed to what
 * it names, which must itself be a regular file.
 */
export function readBounded(path: string, kind: ReadKind, follow = true): FileRead {
	const limit = READ_LIMITS[kind];
	let st: Stats;
	try {
		st = follow ? statSync(path) : lstatSync(path);
	} catch (err) {
		return refuse(path, errorReason(err));
	}
	if (!st.isFile()) return refuse(path, `not a regular file (${kindOf(st)})`);
	let fd: number;
	try {
		fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | (follow ? 0 : constants.O_NOFOLLOW));
	} catch (err) {
		return refuse(path, errorReason(err));
	}
	try {
		const fst = fstatSync(fd);
		const identity = identityOf(fst);
		if (!fst.isFile()) return refuse(path, `not a regular file (${kindOf(fst)})`, identity);
		if (fst.size > limit) return refuse(path, `larger than ${limit} bytes`, identity);
		const buf = Buffer.allocUnsafe(fst.size);
		let got = 0;
		while (got < fst.size) {
			const r = readSync(fd, buf, got, fst.size - got, null);
			if (r === 0) break;
			got += r;
		}
		return { data: got === fst.size ? buf : buf.subarray(0, got), identity };
	} catch (err) {
		return refuse(path, errorReason(err));
	} finally {
		closeSync(fd);
	}
}

/** `readBounded` as text, for readers to whom a refused file is simply absent. */
export function readText(path: string, kind: ReadKind, encoding: 'utf8' | 'latin1' = 'utf8', follow = true): string | undefined {
	const read = readBounded(path, kind, follow);
	return 'data' in read ? read.data.toString(encoding) : undefined;
}
