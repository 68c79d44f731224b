/**
 * Building a KernelIndex: a walk of the tree, two per-file passes (the lexical exports scan,
 * then the function scan, both on worker threads) and the kbuild and Kconfig files; no build
 * and no compile_commands.json are needed.
 *
 * Exports come first: `onExportsReady` fires once exports, licenses and units are usable,
 * before the longer function pass. Per-file facts are cached outside the tree, keyed by each
 * file's identity (size, mtime, inode), so a warm start reads only files that changed; the
 * export table is cached too and reused when no file changed at all (cache-payload.ts).
 */
import { existsSync } from 'node:fs';
import { readText, sameIdentity } from '../read';
import { join, resolve } from 'node:path';
import { cacheFileFor, codeStamp, resolveCacheDir, writeCache } from './cache';
import { readDerived, readPayload, restoreFacts, snapshot, writeDerived, type CachePayload } from './cache-payload';
import { emptyFunctions, hasFunctions, scanSourceFile, type ScanExtras, type ScannedFile, type ScanPass } from './filescan';
import { archOf, detectKernel, headerDirs, readHeadersTree, type HeadersTree } from './headers';
import { KernelIndex, NotAKernelTreeError, type IndexOptions, type IndexPhase } from './index';
import { parseDotConfig } from './kconfig';
import { ScanPool, surveyTree, type ScanJob } from './pool';
import { SYMVERS_FILE } from './symvers';
import { statSources, walkTree, type TreeFiles } from './walk';
import type { Survey } from './worker';

/** Shared steps of the synchronous and the asynchronous build. */
class Build {
	readonly started = Date.now();
	readonly index: KernelIndex;
	tree: TreeFiles = { sources: [], kbuild: new Map(), kconfig: [], skipped: [] };
	/** The sources' identities when a worker took them with the walk (else `restore` stats them). */
	private identities?: Float64Array;
	private readonly cacheFile?: string;
	private readonly stamp: string;
	private cached?: CachePayload;
	/** Whether any source's facts differ from the cache, so it must be written. */
	private changed = true;
	/** Whether a kbuild or Kconfig file differs from the cache (its parse is cached too). */
	private kbuildChanged = true;
	/** The configuration's digest and whether its derived tables came from their file. */
	private derived?: { digest: string; reused: boolean };
	/** C files the first pass found without `{`: the function pass need not read them. */
	private readonly functionless = new Set<string>();

	/** A headers tree's directories; undefined for a source tree. */
	private readonly headers?: HeadersTree;
	/** Where Module.symvers is read from: a headers tree, or a source tree's build. */
	private readonly buildDir?: string;

	constructor(
		root: string,
		readonly options: IndexOptions,
		useCache: boolean,
	) {
		const detected = detectKernel(root);
		if (!detected.ok) throw new NotAKernelTreeError(detected.message);
		const kernel = detected.kernel;
		if (kernel.kind === 'headers') {
			const { build, source, version } = kernel.headers;
			this.headers = kernel.headers;
			this.buildDir = build;
			this.index = new KernelIndex(build, version, 'headers', source === build ? [] : [source]);
		} else {
			if (options.buildDir !== undefined) {
				const build = readHeadersTree(options.buildDir);
				// An O= directory has Module.symvers and .config but maybe no headers of its own.
				if (!build.ok && !existsSync(join(options.buildDir, SYMVERS_FILE))) throw new NotAKernelTreeError(build.message);
				this.buildDir = build.ok ? build.headers.build : resolve(options.buildDir);
			}
			this.index = new KernelIndex(kernel.root, kernel.version, 'source', this.buildDir ? [this.buildDir] : []);
		}
		if (useCache && !options.noCache) this.cacheFile = cacheFileFor(this.index.root, resolveCacheDir(options.cacheDir));
		this.stamp = codeStamp();
	}

	get root(): string {
		return this.index.root;
	}

	/**
	 * What the function pass adds: a headers tree's prototypes (its only word on what the
	 * kernel has, see headers/declarations.ts), and the ops scans when the index makes them
	 * (decided in `restore`).
	 */
	get extras(): ScanExtras {
		return { prototypes: this.headers !== undefined, ops: this.index.opsScanned };
	}

	/** Whether a cache file exists to be tried (a cold start has none). */
	get hasCacheFile(): boolean {
		return this.cacheFile !== undefined && existsSync(this.cacheFile);
	}

	/** Whether a worker may walk the tree (`surveyTree`): a source tree's files have one root. */
	get surveyable(): boolean {
		return this.headers === undefined;
	}

	/** Walks the tree, or takes a worker's walk of it. */
	walk(survey?: Survey): void {
		this.progress('walking', 0, 0);
		if (survey) {
			this.tree = survey.tree;
			this.identities = survey.identities;
		} else this.tree = this.headers ? this.walkHeaders(this.headers) : walkTree(this.root);
		this.options.afterWalk?.(this.tree);
		this.index.addWalkSkipped(this.tree.skipped);
	}

	/**
	 * A headers tree's headers: include/ and the build's arch/<arch>/include/ of the build dir
	 * and the source dir (the build dir's copy wins: generated headers live there). No kbuild
	 * files: the units a headers tree knows are none.
	 */
	private walkHeaders(headers: HeadersTree): TreeFiles {
		const tree: TreeFiles = { sources: [], kbuild: new Map(), kconfig: [], skipped: [] };
		const configFile = this.options.configFile ?? join(headers.build, '.config');
		let arch: string | undefined;
		// No .config: every arch's headers, as for a source tree.
		const config = readText(configFile, 'build');
		if (config !== undefined) arch = archOf(parseDotConfig(config));
		const seen = new Set<string>();
		for (const dir of new Set([headers.build, headers.source])) {
			for (const sub of headerDirs(dir, arch)) {
				const part = walkTree(join(dir, sub));
				for (const s of part.skipped) tree.skipped.push({ path: `${sub}/${s.path}`, reason: s.reason });
				for (const rel of part.sources) {
					const full = `${sub}/${rel}`;
					if (seen.has(full)) continue;
					seen.add(full);
					tree.sources.push(full);
					this.index.setFileRoot(full, dir);
				}
			}
		}
		tree.sources.sort();
		return tree;
	}

	/** Kbuild and Kconfig files: needed by exportsReady, not by the per-file passes (the async build overlaps them). */
	readKbuild(): void {
		this.kbuildChanged = !this.index.kbuild.read(this.tree, this.options.configFile, this.cached?.kbuild, this.buildDir);
		if (this.buildDir) this.index.readSymvers(this.buildDir);
	}

	/** Jobs grouped by the directory their files are read from (one for a source tree). */
	byRoot(jobs: readonly ScanJob[]): [string, ScanJob[]][] {
		const groups = new Map<string, ScanJob[]>();
		for (const job of jobs) push(groups, this.index.rootOf(job.rel), job);
		return [...groups];
	}

	progress(phase: IndexPhase, done: number, total: number): void {
		this.options.onProgress?.({ phase, done, total });
	}

	/** Restores what the cache knows of unchanged files; returns the files to read (`ops`: unchanged files whose ops scans the cache lacks). */
	restore(): { meta: ScanJob[]; functions: ScanJob[]; ops: ScanJob[] } {
		const sources = this.tree.sources;
		const cached = this.cached;
		// Asked for, or held by the cache (which so stays complete).
		this.index.opsScanned = this.options.ops === true || cached?.withOps === true;
		if (!cached) {
			const all = sources.map((rel) => ({ rel, size: 0 }));
			return { meta: all, functions: all.filter((j) => hasFunctions(j.rel)), ops: [] };
		}
		const identities = this.identities ?? statSources(sources, (rel) => this.index.absolutePath(rel));
		const stale = restoreFacts(this.index, cached, sources, identities);
		this.index.stats.fromCache = true;
		this.index.stats.reread = stale.length;
		// Units depend on which files exist: another set of sources is a change too.
		const sameSources = cached.rels.length === sources.length && cached.rels.every((rel, k) => rel === sources[k]);
		const staleSet = new Set(stale.map((j) => j.rel));
		const ops = this.index.opsScanned && !cached.withOps ? sources.filter((rel) => hasFunctions(rel) && !staleSet.has(rel)).map((rel) => ({ rel, size: 0 })) : [];
		this.changed = stale.length > 0 || !sameSources || ops.length > 0;
		return { meta: stale, functions: stale.filter((j) => hasFunctions(j.rel)), ops };
	}

	loadCache(): void {
		if (!this.cacheFile) return;
		const read = readPayload(this.cacheFile, this.root, this.stamp);
		if (read.ok) this.cached = read.payload;
		else this.index.stats.cacheNote = read.reason;
	}

	/** A first-pass result. */
	applyMeta(r: ScannedFile): void {
		this.index.applyMeta(r);
		if (r.noFunctions) this.functionless.add(r.rel);
	}

	/** The function pass's jobs, less the files known to define nothing (their empty result is set here). */
	functionJobs(jobs: readonly ScanJob[]): ScanJob[] {
		if (this.functionless.size === 0) return [...jobs];
		const out: ScanJob[] = [];
		for (const job of jobs) {
			if (this.functionless.has(job.rel)) this.index.graph.setPacked(job.rel, emptyFunctions());
			else out.push(job);
		}
		return out;
	}

	/**
	 * Exports, licenses and units from the first pass, or the derived tables of this
	 * configuration when no source changed; fires onExportsReady.
	 */
	exportsReady(): void {
		const index = this.index;
		const digest = index.kbuild.digest();
		// Derived tables are valid only when every source is as cached.
		const derived = this.cacheFile && this.cached && !this.changed ? readDerived(this.cacheFile, digest) : undefined;
		this.derived = { digest, reused: derived !== undefined };
		if (derived) index.kbuild.setUnits(derived.units);
		else index.kbuild.rebuild();
		// A headers tree's exports are Module.symvers alone: parsing it is quicker than checking it.
		if (index.kind === 'headers' && index.exportsFromBuild) {
			index.recomputeExports();
			index.stats.exportsFrom = 'symvers';
		} else if (derived) {
			index.setExports(derived.records);
			index.stats.exportsFrom = 'cache';
		} else {
			index.recomputeExports();
			index.stats.exportsFrom = 'scan';
		}
		index.ready.exports = true;
		index.stats.exportsMs = Date.now() - this.started;
		this.options.onExportsReady?.(index);
	}

	/** A functions-pass result; a file that changed since its first pass is read whole again. */
	applyFunctions(r: ScannedFile): void {
		if (this.changedSince(r)) return;
		this.index.setOps(r.rel, r.ops);
		this.index.graph.setPacked(r.rel, r.functions);
		this.index.setPrototypes(r.rel, r.prototypes);
	}

	/** An ops-pass result (a cache without ops scans, for an index that wants them). */
	applyOps(r: ScannedFile): void {
		if (!this.changedSince(r)) this.index.setOps(r.rel, r.ops);
	}

	/** Whether the file changed since the pass that restored or read it; if so it is read whole again. */
	private changedSince(r: ScannedFile): boolean {
		const before = this.index.sourceState(r.rel);
		if (!before || sameIdentity(before, r)) return false;
		this.index.updateFile(r.rel);
		return true;
	}

	finish(): KernelIndex {
		const index = this.index;
		index.ready.functions = true;
		if (this.cacheFile && !this.options.noCache) {
			this.progress('saving', 0, 0);
			try {
				if (this.changed || this.kbuildChanged) writeCache(this.cacheFile, snapshot(index, this.tree.sources, this.stamp, this.started));
				if (this.derived && !this.derived.reused) writeDerived(this.cacheFile, this.derived.digest, index);
			} catch (err) {
				index.stats.cacheNote = `cache not written: ${String(err)}`;
			}
		}
		index.stats.ms = Date.now() - this.started;
		return index;
	}
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
	const list = map.get(key);
	if (list) list.push(value);
	else map.set(key, [value]);
}

/** Calls `progress` about every 1% of `total`. */
function counter(build: Build, phase: IndexPhase, total: number): () => void {
	let done = 0;
	const step = Math.max(1, Math.floor(total / 100));
	build.progress(phase, 0, total);
	return () => {
		if (++done % step === 0 || done === total) build.progress(phase, done, total);
	};
}

function scanSync(build: Build, phase: IndexPhase, pass: ScanPass, jobs: readonly ScanJob[], apply: (r: ScannedFile) => void): void {
	const tick = counter(build, phase, jobs.length);
	for (const [root, group] of build.byRoot(jobs)) {
		for (const job of group) {
			apply(scanSourceFile(root, job.rel, pass, build.extras));
			tick();
		}
	}
}

/**
 * Indexes on this thread and returns when done. Caches only when `options.cacheDir` is given:
 * tests and one-shot tools get a fresh index by default.
 */
export function buildKernelIndex(root: string, options: IndexOptions = {}): KernelIndex {
	const build = new Build(root, options, options.cacheDir !== undefined);
	build.walk();
	build.loadCache();
	build.readKbuild();
	const jobs = build.restore();
	scanSync(build, 'exports', 'meta', jobs.meta, (r) => build.applyMeta(r));
	build.exportsReady();
	scanSync(build, 'functions', 'functions', build.functionJobs(jobs.functions), (r) => build.applyFunctions(r));
	scanSync(build, 'ops', 'ops', jobs.ops, (r) => build.applyOps(r));
	return build.finish();
}

/**
 * Indexes with worker threads, using and refreshing the cache (unless `noCache`). The event
 * loop stays free: results are merged as they arrive. `onExportsReady` fires before the
 * function pass; the promise resolves when everything is indexed and the cache is written.
 */
export async function buildKernelIndexAsync(root: string, options: IndexOptions = {}): Promise<KernelIndex> {
	let pool: ScanPool | undefined;
	try {
		const build = new Build(root, options, !options.noCache);
		// Cold: the workers boot while this thread walks. Warm: one worker walks and stats the
		// sources while this thread decodes the cache (the two took ~0.6 s each in a row; the
		// libuv thread pool's async lstat measured slower than lstatSync, 2.0 s vs 1.55 s).
		const warm = build.hasCacheFile;
		if (!warm) pool = new ScanPool(options.workers);
		const survey = warm && build.surveyable && options.workers !== 0 ? surveyTree(build.root) : undefined;
		if (survey) {
			build.loadCache();
			build.walk(await survey);
		} else {
			build.walk();
			build.loadCache();
		}
		const jobs = build.restore();
		if (jobs.meta.length > 0 || jobs.ops.length > 0) pool ??= new ScanPool(options.workers);
		else {
			pool?.close();
			pool = undefined;
		}
		const scan = async (phase: IndexPhase, pass: ScanPass, list: ScanJob[], apply: (r: ScannedFile) => void) => {
			const tick = counter(build, phase, list.length);
			// One scan at a time: a pool's workers serve one scan's batches.
			for (const [dir, group] of build.byRoot(list)) {
				await (pool as ScanPool).scan(
					dir,
					pass,
					group,
					(r) => {
						apply(r);
						tick();
					},
					build.extras,
				);
			}
		};
		// A headers tree's main thread only waits for the workers; a source tree's merges their results.
		if (build.index.kind === 'headers') build.index.growHeaderSites();
		// The first pass runs on the workers while this thread reads the kbuild files.
		const metaPass = pool ? scan('exports', 'meta', jobs.meta, (r) => build.applyMeta(r)) : undefined;
		build.readKbuild();
		await metaPass;
		build.exportsReady();
		if (pool) await scan('functions', 'functions', build.functionJobs(jobs.functions), (r) => build.applyFunctions(r));
		if (pool) await scan('ops', 'ops', jobs.ops, (r) => build.applyOps(r));
		pool?.close();
		pool = undefined;
		return build.finish();
	} finally {
		pool?.close();
	}
}
