/**
 * What the cache holds of an index (cache.ts keeps the files): every source's identity and
 * facts, the call graph in flat typed arrays and the parsed kbuild files, taken by `snapshot`
 * and put back by `restoreFacts` for the files that did not change; and beside it, per
 * configuration, the units and export table derived from them (`readDerived`, `writeDerived`).
 */
import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { codeStamp, derivedFileFor, pruneDerived, readCache, writeCache, type CacheRead } from './cache';
import type { FileFunctions } from './callgraph';
import type { ExportRecord } from './exports';
import type { ScannedFile } from './filescan';
import type { HeaderFacts, PackedPrototypes } from './headerscan';
import type { KernelIndex } from './index';
import type { FileMeta } from './lexscan';
import type { BuildUnit } from './modules';
import type { PackedOps } from './opsscan';
import type { ScanJob } from './pool';
import type { KbuildSnapshot } from './units';
import { racyIdentity, sameIdentity, type FileIdentity } from '../read';
import { IDENTITY_STRIDE } from './walk';

export interface CachePayload {
	root: string;
	/** Digest of the per-file scanners that produced the facts. */
	stamp: string;
	rels: string[];
	/** size, mtimeMs, ctimeMs, ino per file (IDENTITY_STRIDE numbers). */
	identities: Float64Array;
	skipped: [number, string][];
	metas: [number, FileMeta][];
	headers: [number, HeaderFacts][];
	prototypes: [number, PackedPrototypes][];
	/** Interned names joined by newlines, UTF-8 (half the size of a two-byte string); function arrays refer to them. */
	names: Buffer;
	/** The name table's slots over `names` (name-table.ts). */
	nameSlots: Int32Array;
	/** Per file with functions: file index, owners start, owners end, edges start, edges end. */
	spans: Int32Array;
	owners: Int32Array;
	edges: Int32Array;
	/** Whether the ops scans were made (an index built with `ops`); without them the next such index makes them. */
	withOps: boolean;
	/** Every file's ops names, joined (ASCII identifiers only). */
	opsNames: string;
	/** Per file with an ops scan: file index, names start, names end, data start, data end. */
	opsSpans: Int32Array;
	opsData: Int32Array;
	kbuild: KbuildSnapshot;
}

/**
 * What the sources' facts give under one configuration (the kbuild digest: kbuild files,
 * .config, a build's Module.symvers): the units and the export table. Kept beside the cache,
 * one small file per digest, so a `--config` is an overlay on the index, not a new index.
 */
interface DerivedPayload {
	/** The export collector's code. */
	stamp: string;
	kbuild: string;
	units: BuildUnit[];
	records: ExportRecord[];
}

/** How many configurations' derived tables are kept per tree. */
const DERIVED_KEPT = 4;

/**
 * Sources of the export collector and unit derivation, whose changes invalidate a cached
 * export table (from sources; a bundle is stamped by `__filename`, the bundle itself).
 */
const CACHE_EXPORTS_STAMP_FILES = ['index.ts', 'units.ts', 'exports.ts', 'kbuild.ts', 'modules.ts', 'lexscan.ts'];

function exportsStamp(): string {
	return codeStamp([__filename, ...CACHE_EXPORTS_STAMP_FILES.map((f) => join(__dirname, f))]);
}

/** The cache of `root` in `cacheFile`, if written for this tree by these scanners (`stamp`). */
export function readPayload(cacheFile: string, root: string, stamp: string): CacheRead<CachePayload> {
	const read = readCache<CachePayload>(cacheFile);
	if (!read.ok) return read;
	if (read.payload.root !== root) return { ok: false, reason: 'cache of another tree' };
	if (read.payload.stamp !== stamp) return { ok: false, reason: 'cache of another scanner version' };
	return read;
}

/** `readSince`: when the build began, no later than any identity it holds was taken (racy identities are judged against it). */
export function snapshot(index: KernelIndex, rels: readonly string[], stamp: string, readSince: number): CachePayload {
	const identities = new Float64Array(rels.length * IDENTITY_STRIDE);
	const skipped: [number, string][] = [];
	const metas: [number, FileMeta][] = [];
	const headers: [number, HeaderFacts][] = [];
	const prototypes: [number, PackedPrototypes][] = [];
	const ops: [number, PackedOps][] = [];
	let opsLength = 0;
	const facts = index.headerFacts();
	const declared = index.headerPrototypes();
	const position = new Map<string, number>();
	rels.forEach((rel, k) => {
		position.set(rel, k);
		const s = index.sourceState(rel);
		if (!s) return;
		// A racy identity is stored as no identity: the next start reads the file again.
		if (!racyIdentity(s, readSince)) identities.set([s.size, s.mtimeMs, s.ctimeMs, s.ino], k * IDENTITY_STRIDE);
		else identities.set([-1, -1, -1, -1], k * IDENTITY_STRIDE);
		if (s.skipped) skipped.push([k, s.skipped]);
		const meta = index.fileMeta.get(rel);
		if (meta) metas.push([k, meta]);
		const header = facts.get(rel);
		if (header) headers.push([k, header]);
		const found = declared.get(rel);
		if (found) prototypes.push([k, found]);
		// An index without ops scans of its own has made some on demand: the cache says it has none.
		const scanned = index.opsScanned ? index.opsOf(rel) : undefined;
		if (scanned) {
			ops.push([k, scanned]);
			opsLength += scanned.data.length;
		}
	});
	const graph = index.graph.snapshot();
	const files = graph.files.filter(([rel]) => position.has(rel));
	let ownersLength = 0;
	let edgesLength = 0;
	for (const [, fns] of files) {
		ownersLength += fns.owners.length;
		edgesLength += fns.edges.length;
	}
	const spans = new Int32Array(files.length * 5);
	const owners = new Int32Array(ownersLength);
	const edges = new Int32Array(edgesLength);
	let o = 0;
	let e = 0;
	files.forEach(([rel, fns], k) => {
		spans.set([position.get(rel) as number, o, o + fns.owners.length, e, e + fns.edges.length], k * 5);
		owners.set(fns.owners, o);
		edges.set(fns.edges, e);
		o += fns.owners.length;
		e += fns.edges.length;
	});
	const opsSpans = new Int32Array(ops.length * 5);
	const opsData = new Int32Array(opsLength);
	let n = 0;
	let d = 0;
	ops.forEach(([k, found], j) => {
		opsSpans.set([k, n, n + found.names.length, d, d + found.data.length], j * 5);
		opsData.set(found.data, d);
		n += found.names.length;
		d += found.data.length;
	});
	return {
		root: index.root,
		stamp,
		rels: [...rels],
		identities,
		skipped,
		metas,
		headers,
		prototypes,
		names: Buffer.from(graph.names.join('\n'), 'utf8'),
		nameSlots: graph.slots,
		spans,
		owners,
		edges,
		withOps: index.opsScanned,
		opsNames: ops.map(([, found]) => found.names).join(''),
		opsSpans,
		opsData,
		kbuild: index.kbuild.snapshot(),
	};
}

/**
 * Puts into `index` what `cached` knows of the `sources` whose identity is unchanged; returns
 * the others, to be read. `identities`: the sources' identities now (walk.ts statSources).
 */
export function restoreFacts(index: KernelIndex, cached: CachePayload, sources: readonly string[], identities: Float64Array): ScanJob[] {
	const position = new Map<string, number>();
	cached.rels.forEach((rel, k) => position.set(rel, k));
	const metas = new Map(cached.metas);
	const headers = new Map(cached.headers);
	const prototypes = new Map(cached.prototypes);
	const skipped = new Map(cached.skipped);
	const names = cached.names.length === 0 ? '' : cached.names.toString('utf8');
	index.graph.restoreNames(names === '' ? [] : names.split('\n'), cached.nameSlots);
	const fnSpans = new Map<number, number>();
	for (let k = 0; k < cached.spans.length; k += 5) fnSpans.set(cached.spans[k], k);
	const opsSpans = new Map<number, number>();
	for (let k = 0; k < cached.opsSpans.length; k += 5) opsSpans.set(cached.opsSpans[k], k);
	const stale: ScanJob[] = [];
	const id = cached.identities;
	for (let f = 0; f < sources.length; f++) {
		const rel = sources[f];
		const k = position.get(rel);
		const i = f * IDENTITY_STRIDE;
		const now: FileIdentity = { size: identities[i], mtimeMs: identities[i + 1], ctimeMs: identities[i + 2], ino: identities[i + 3] };
		const o = (k ?? 0) * IDENTITY_STRIDE;
		// NaN (not stat-able) equals nothing, so such a file is read and reported by the scan.
		if (k === undefined || !sameIdentity(now, { size: id[o], mtimeMs: id[o + 1], ctimeMs: id[o + 2], ino: id[o + 3] })) {
			stale.push({ rel, size: Number.isNaN(now.size) ? 0 : now.size });
			continue;
		}
		const result: ScannedFile = { rel, ...now };
		const reason = skipped.get(k);
		if (reason) result.skipped = reason;
		const meta = metas.get(k);
		if (meta) result.meta = meta;
		result.header = headers.get(k);
		index.applyMeta(result);
		index.setPrototypes(rel, prototypes.get(k));
		const opsSpan = opsSpans.get(k);
		if (opsSpan !== undefined) {
			const s = cached.opsSpans;
			index.setOps(rel, { names: cached.opsNames.slice(s[opsSpan + 1], s[opsSpan + 2]), data: cached.opsData.subarray(s[opsSpan + 3], s[opsSpan + 4]) });
		}
		const span = fnSpans.get(k);
		if (span !== undefined) {
			const s = cached.spans;
			const fns: FileFunctions = {
				owners: cached.owners.subarray(s[span + 1], s[span + 2]),
				edges: cached.edges.subarray(s[span + 3], s[span + 4]),
			};
			index.graph.setFile(rel, fns);
		}
	}
	return stale;
}

/** The derived tables of `digest` beside `cacheFile`, if this export collector wrote them. */
export function readDerived(cacheFile: string, digest: string): DerivedPayload | undefined {
	const file = derivedFileFor(cacheFile, digest);
	const read = readCache<DerivedPayload>(file);
	if (!read.ok || read.payload.kbuild !== digest || read.payload.stamp !== exportsStamp()) return undefined;
	try {
		// Most recently used: pruning keeps it.
		const now = new Date();
		utimesSync(file, now, now);
	} catch {
		// Read-only cache: still valid.
	}
	return read.payload;
}

/** Writes the index's units and export table as the derived tables of `digest`; throws on I/O errors. */
export function writeDerived(cacheFile: string, digest: string, index: KernelIndex): void {
	const payload: DerivedPayload = { stamp: exportsStamp(), kbuild: digest, units: [...index.units.values()], records: index.allExports() };
	writeCache(derivedFileFor(cacheFile, digest), payload);
	pruneDerived(cacheFile, DERIVED_KEPT);
}
