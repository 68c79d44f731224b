/**
 * The persistent index cache, outside the tree: one file per kernel root under
 * `<cacheDir>/index/`, and the tables derived under each configuration in `<cacheDir>/derived/`. Layout: an 8-byte magic, the format version, a CRC-32 and the length of
 * the payload (a v8 structured-clone blob, which stores typed arrays as raw bytes). A file
 * that is foreign, of another version, truncated or corrupt is reported and never trusted;
 * writes go to a temporary file renamed into place, so readers see the old or the new file.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { readBounded } from '../read';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { crc32 } from 'node:zlib';

/** Bump when the payload's shape changes; scanner changes are caught by `codeStamp`. */
export const CACHE_FORMAT = 8;
const MAGIC = 'KMMINDEX';
const HEADER = 24;

/** `--cache-dir` / initializationOptions.cacheDir, else $XDG_CACHE_HOME/kmm, else ~/.cache/kmm. */
export function resolveCacheDir(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
	if (explicit) return explicit;
	if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'kmm');
	return join(homedir(), '.cache', 'kmm');
}

export function cacheFileFor(root: string, cacheDir: string): string {
	const key = createHash('sha1').update(root).digest('hex').slice(0, 16);
	return join(cacheDir, 'index', `${basename(root) || 'root'}-${key}.kmmidx`);
}

/**
 * Where the tables derived under one configuration (`digest`) are kept beside `cacheFile`:
 * `<cacheDir>/derived/<tree>-<digest>.kmmder`, so the index directory holds one file per tree.
 */
export function derivedFileFor(cacheFile: string, digest: string): string {
	return join(dirname(dirname(cacheFile)), 'derived', `${basename(cacheFile, '.kmmidx')}-${digest.slice(0, 16)}.kmmder`);
}

/** Keeps the `keep` most recently used derived files of `cacheFile`'s tree. */
export function pruneDerived(cacheFile: string, keep: number): void {
	const dir = join(dirname(dirname(cacheFile)), 'derived');
	const prefix = `${basename(cacheFile, '.kmmidx')}-`;
	try {
		const files = readdirSync(dir)
			.filter((f) => f.startsWith(prefix) && f.endsWith('.kmmder'))
			.map((f) => ({ path: join(dir, f), mtimeMs: statSync(join(dir, f)).mtimeMs }))
			.sort((a, b) => b.mtimeMs - a.mtimeMs);
		for (const f of files.slice(keep)) rmSync(f.path, { force: true });
	} catch {
		// Pruning is housekeeping: a race with another kmm, or no directory, is fine.
	}
}

/**
 * A digest of the code that produced cached facts: the worker bundle (it holds both per-file
 * scanners) or, from sources, the scanner sources; `extra` names more files (the export
 * collector for cached export tables). A rebuilt scanner never reads an old cache.
 */
export function codeStamp(extra: readonly string[] = []): string {
	const bundled = join(__dirname, 'index-worker.js');
	const files = existsSync(bundled)
		? [bundled]
		: ['lexscan.ts', 'funcscan.ts', 'opsscan.ts', 'filescan.ts', 'headerscan.ts', '../knowledge/export-macros.ts'].map((f) => join(__dirname, f));
	const hash = createHash('sha1').update(String(CACHE_FORMAT));
	for (const file of [...files, ...extra]) {
		try {
			hash.update(readFileSync(file));
		} catch {
			hash.update(`missing ${file}`);
		}
	}
	return hash.digest('hex');
}

export type CacheRead<T> = { ok: true; payload: T; bytes: number } | { ok: false; reason: string };

export function readCache<T>(file: string): CacheRead<T> {
	// The cache directory is the user's: a FIFO or a link to a device may stand where the file was.
	const read = readBounded(file, 'cache');
	if (!('data' in read)) return { ok: false, reason: read.skipped === 'ENOENT' ? 'no cache' : read.skipped };
	const buf = read.data;
	if (buf.length < HEADER || buf.toString('latin1', 0, 8) !== MAGIC) return { ok: false, reason: 'not a kmm index cache' };
	const version = buf.readUInt32LE(8);
	if (version !== CACHE_FORMAT) return { ok: false, reason: `cache format ${version}, expected ${CACHE_FORMAT}` };
	const length = buf.readDoubleLE(16);
	if (buf.length - HEADER !== length) return { ok: false, reason: 'truncated cache' };
	const body = buf.subarray(HEADER);
	if (crc32(body) !== buf.readUInt32LE(12)) return { ok: false, reason: 'cache checksum mismatch' };
	try {
		return { ok: true, payload: deserialize(body) as T, bytes: buf.length };
	} catch (err) {
		return { ok: false, reason: `unreadable cache: ${String(err)}` };
	}
}

/** Writes atomically; returns the bytes written. Throws on I/O errors (the caller reports them). */
export function writeCache(file: string, payload: unknown): number {
	const body = serialize(payload);
	const header = Buffer.alloc(HEADER);
	header.write(MAGIC, 0, 'latin1');
	header.writeUInt32LE(CACHE_FORMAT, 8);
	header.writeUInt32LE(crc32(body), 12);
	header.writeDoubleLE(body.length, 16);
	mkdirSync(join(file, '..'), { recursive: true });
	const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
	try {
		const fd = openSync(tmp, 'w');
		try {
			for (const chunk of [header, body]) {
				for (let at = 0; at < chunk.length; ) at += writeSync(fd, chunk, at);
			}
		} finally {
			closeSync(fd);
		}
		renameSync(tmp, file);
	} catch (err) {
		rmSync(tmp, { force: true });
		throw err;
	}
	return HEADER + body.length;
}
