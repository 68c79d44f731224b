/**
 * The KernelIndex: what the checks, hovers, call hierarchy and migrations know about one
 * kernel tree — exports, build units and licenses, the version, and every function with the
 * call graph. Built from a walk of the tree, two per-file passes (the lexical exports scan,
 * then the function scan, both on worker threads) and the kbuild and Kconfig files; no build
 * and no compile_commands.json are needed.
 *
 * Exports come first: `onExportsReady` fires once exports, licenses and units are usable,
 * before the longer function pass. Per-file facts are cached outside the tree, keyed by each
 * file's identity (size, mtime, inode), so a warm start reads only files that changed; the
 * export table is cached too and reused when no file changed at all. `updateFile` and
 * `removeFile` keep the index current as files are saved, created and deleted.
 */
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import { CallGraph, type CallSite, type FileFunctions, type FunctionRecord } from './callgraph';
import { cacheFileFor, codeStamp, derivedFileFor, pruneDerived, readCache, resolveCacheDir, writeCache } from './cache';
import type { HeaderFacts, PackedPrototypes } from './headerscan';
import { collectExports, type ExportRecord } from './exports';
import {
	emptyFunctions,
	hasFunctions,
	MAX_SOURCE_BYTES,
	scanSourceFile,
	type FileIdentity,
	type ScannedFile,
	type ScanPass,
} from './filescan';
import { archOf, detectKernel, headerDirs, readHeadersTree, type HeadersTree } from './headers';
import { parseKbuild, type KbuildBuild, type KbuildDir } from './kbuild';
import { parseKconfig, parseDotConfig, type KconfigType } from './kconfig';
import { stringDefine, type FileMeta, type ImportSite, type LicenseSite } from './lexscan';
import { evaluateDir, unitKind, unitsOfBuild, type BuildUnit, type ConfigView } from './modules';
import { ScanPool, type ScanJob } from './pool';
import { parseSymvers, symversRecord, SYMVERS_FILE } from './symvers';
import type { KernelVersion } from '../version';
import { walkTree, type TreeFiles } from './walk';

export type { ExportRecord, FunctionRecord, CallSite };
export { MAX_SOURCE_BYTES };

export interface IndexOptions {
	/** A .config to resolve CONFIG_ options exactly; default: the build's, else the tree's own .config if present. */
	configFile?: string;
	/**
	 * The build of a source tree: an O= directory or a headers tree of the same kernel. Its
	 * Module.symvers and .config win over the scan; the sources still give definitions and
	 * the call graph.
	 */
	buildDir?: string;
	/** Where the cache lives; default `resolveCacheDir()`. */
	cacheDir?: string;
	/** Neither read nor write a cache (the synchronous build never caches unless given `cacheDir`). */
	noCache?: boolean;
	/** Worker threads for the per-file passes; default one per core, 0 scans on this thread. */
	workers?: number;
	onProgress?: (progress: IndexProgress) => void;
	/** Called once exports, licenses, namespaces and units are usable, before functions are. */
	onExportsReady?: (index: KernelIndex) => void;
	/** Test hook: sees the walk's result before any file is read. */
	afterWalk?: (tree: TreeFiles) => void;
}

export type IndexPhase = 'walking' | 'exports' | 'functions' | 'saving';

export interface IndexProgress {
	phase: IndexPhase;
	/** Files done and to do in this phase (0/0 for phases without files). */
	done: number;
	total: number;
}

export interface Skipped {
	path: string;
	reason: string;
}

interface SourceState extends FileIdentity {
	skipped?: string;
}

export interface IndexStats {
	/** Source files read and their bytes (skipped files excluded). */
	files: number;
	bytes: number;
	/** Wall time of the whole build, and until exports were usable. */
	ms: number;
	exportsMs: number;
	/** Whether a cache was used, how many files had to be read anyway, and why not if not. */
	fromCache: boolean;
	reread: number;
	cacheNote?: string;
	/** Where the export table came from: the cache, the per-file facts (and a build's Module.symvers), or Module.symvers alone. */
	exportsFrom?: 'cache' | 'scan' | 'symvers';
}

/** Sources of the export collector, whose changes invalidate a cached export table (from sources). */
const CACHE_EXPORTS_STAMP_FILES = ['exports.ts', 'kbuild.ts', 'modules.ts', 'lexscan.ts'];

/** How much an export's file is preferred when several export a name: generic, x86, other arches. */
function archRank(file: string): number {
	return !file.startsWith('arch/') ? 0 : file.startsWith('arch/x86/') ? 1 : 2;
}

/** What a headers tree cannot know, said wherever the call graph would answer. */
export const HEADERS_ONLY = 'headers only: no call graph';

/** `source`: a kernel source tree; `headers`: a distribution's headers/kbuild tree (Module.symvers, headers, .config). */
export type KernelKind = 'source' | 'headers';

export class KernelIndex {
	readonly exports = new Map<string, ExportRecord[]>();
	readonly units = new Map<string, BuildUnit>();
	/** Each file's first unit; `unitsOfFile` has every unit a file is linked into. */
	readonly unitOfFile = new Map<string, BuildUnit>();
	readonly unitsOfFile = new Map<string, BuildUnit[]>();
	/** Per-file lexical facts, only for files that have any. */
	readonly fileMeta = new Map<string, FileMeta>();
	readonly graph = new CallGraph();
	readonly ready = { exports: false, functions: false };
	/** Public headers' #defines and #includes (first pass), and prototypes (headers trees, function pass). */
	private readonly headerFactsByFile = new Map<string, HeaderFacts>();
	private readonly prototypesByFile = new Map<string, PackedPrototypes>();
	stats: IndexStats = { files: 0, bytes: 0, ms: 0, exportsMs: 0, fromCache: false, reread: 0 };

	/** Every .c/.h/.S file of the tree with the identity it was read at. */
	private readonly sources = new Map<string, SourceState>();
	private readonly walkSkipped: Skipped[] = [];
	private readonly exportsByFile = new Map<string, ExportRecord[]>();
	private readonly kbuildDirs = new Map<string, KbuildDir>();
	/** Directory → its Kbuild or Makefile. */
	private readonly kbuildFiles = new Map<string, string>();
	private readonly kconfigFiles = new Map<string, Map<string, KconfigType>>();
	/** Identity of each kbuild and Kconfig file read. */
	private readonly kbuildIds = new Map<string, FileIdentity>();
	private config: ConfigView = { kconfig: new Map() };
	private readonly kbuildHash = createHash('sha1');
	/** Header metas reduced to their macros, for per-file export collection. */
	private wrapperView?: Map<string, FileMeta>;
	/** Files that live in another directory than `root` (a split headers tree's common dir). */
	private readonly fileRoots = new Map<string, string>();
	/** Export records from Module.symvers, when a build gives them: then they are the export table. */
	private symvers?: ExportRecord[];
	/** The build's modules that export symbols (module path → exports), from Module.symvers. */
	readonly symversModules = new Map<string, number>();

	constructor(
		readonly root: string,
		readonly version: KernelVersion | undefined,
		readonly kind: KernelKind = 'source',
		/** The directories files are read from besides `root` (a headers tree's source dir, a source tree's build dir). */
		readonly otherRoots: readonly string[] = [],
	) {}

	/**
	 * Whether exports come from the build's Module.symvers (a headers tree, or a source tree
	 * with its build): the build compiled exactly these, so no .config filtering applies.
	 */
	get exportsFromBuild(): boolean {
		return this.symvers !== undefined;
	}

	/** Why call-graph answers are empty, when they must be: undefined for a source tree. */
	get callGraphNote(): string | undefined {
		return this.kind === 'headers' ? HEADERS_ONLY : undefined;
	}

	/** Values of the .config the index was built with (CONFIG_ prefix stripped), if any. */
	get dotConfig(): ReadonlyMap<string, string> | undefined {
		return this.config.dotConfig;
	}

	/** Path relative to the root, or undefined when the file lies outside the tree. */
	relativePath(file: string): string | undefined {
		for (const root of [this.root, ...this.otherRoots]) {
			const rel = relative(root, file);
			if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) continue;
			const posixRel = rel.split(sep).join('/');
			// Another root's path counts only where the index reads that file from there.
			if (root === this.root ? !this.fileRoots.has(posixRel) : this.fileRoots.get(posixRel) === root) return posixRel;
		}
		return undefined;
	}

	/** Where a relative path of the index is read from: `root`, or the other directory that holds it. */
	absolutePath(rel: string): string {
		return join(this.fileRoots.get(rel) ?? this.root, rel);
	}

	/** @internal Reads `rel` from `dir` instead of `root`. */
	setFileRoot(rel: string, dir: string): void {
		if (dir === this.root) this.fileRoots.delete(rel);
		else this.fileRoots.set(rel, dir);
	}

	/** What could not be read: unreadable directories, vanished, binary, huge or special files. */
	get skipped(): Skipped[] {
		const out = [...this.walkSkipped];
		for (const [path, s] of this.sources) if (s.skipped) out.push({ path, reason: s.skipped });
		return out;
	}

	/**
	 * The export that a module links against. Arch variants may export a name from several
	 * files; prefer generic code, then x86 (the arch of the trees we check against).
	 */
	exportOf(symbol: string): ExportRecord | undefined {
		// setExports keeps each list in this order: checks call this for every use, per edit.
		return this.exports.get(symbol)?.[0];
	}

	/**
	 * The MODULE_LICENSEs of a unit: its files' and those of the `.c` files they #include
	 * (sound/pci/echoaudio's drivers include echoaudio.c); `MODULE_LICENSE(DRV_LICENSE)`
	 * resolved through a `#define DRV_LICENSE "…"` of a header next to the file (mpi3mr.h).
	 */
	licensesOf(unit: BuildUnit): (LicenseSite & { file: string })[] {
		const files = new Set(unit.files);
		for (const file of unit.files) {
			for (const inc of this.fileMeta.get(file)?.includes ?? []) {
				if (!inc.quoted || !inc.path.endsWith('.c')) continue;
				const dir = posix.dirname(file);
				const target = [posix.join(dir, inc.path), posix.join(posix.dirname(dir), inc.path)].find((p) => this.sources.has(p));
				if (target) files.add(target);
			}
		}
		return [...files].flatMap((file) =>
			(this.fileMeta.get(file)?.licenses ?? []).map((l) => {
				const license = l.macro === undefined ? undefined : this.headerString(posix.dirname(file), l.macro);
				return license === undefined ? { ...l, file } : { license, range: l.range, file };
			}),
		);
	}

	/** The string a `#define NAME "…"` of a header in `dir` gives NAME. */
	private headerString(dir: string, name: string): string | undefined {
		for (const rel of this.sources.keys()) {
			if (!rel.endsWith('.h') || posix.dirname(rel) !== dir) continue;
			try {
				const path = this.absolutePath(rel);
				if (lstatSync(path).size > MAX_SOURCE_BYTES) continue;
				const value = stringDefine(readFileSync(path, 'latin1'), name);
				if (value !== undefined) return value;
			} catch {
				// Unreadable now: it gives nothing.
			}
		}
		return undefined;
	}

	importsOf(unit: BuildUnit): (ImportSite & { file: string })[] {
		return unit.files.flatMap((file) => (this.fileMeta.get(file)?.imports ?? []).map((i) => ({ ...i, file })));
	}

	/** The header/macro model's raw material: every public header's directives (kernel/headerscan.ts), complete once exports are ready. */
	headerFacts(): ReadonlyMap<string, HeaderFacts> {
		return this.headerFactsByFile;
	}

	/** A headers tree's public prototypes, complete once functions are ready. */
	headerPrototypes(): ReadonlyMap<string, PackedPrototypes> {
		return this.prototypesByFile;
	}

	/** A function-pass result's prototypes (none: not asked, no public header, or gone). */
	setPrototypes(rel: string, found: PackedPrototypes | undefined): void {
		if (found) this.prototypesByFile.set(rel, found);
		else this.prototypesByFile.delete(rel);
	}

	/** Every function definition by name (built on first use: prefer `definitionsOf` for one name). */
	get functions(): Map<string, FunctionRecord[]> {
		return this.graph.functionMap();
	}

	definitionsOf(name: string): FunctionRecord[] {
		return this.graph.definitionsOf(name);
	}

	/** Sites calling or referencing `name`, resolved as kernel/callgraph.ts describes. */
	callersOf(name: string, file?: string): CallSite[] {
		return this.graph.callersOf(name, file);
	}

	/** Sites inside the body of `name` (its definition in `file`, when given). */
	calleesOf(name: string, file?: string): CallSite[] {
		return this.graph.calleesOf(name, file);
	}

	/**
	 * Re-reads one file of the tree (relative path) after it was saved or created: its exports,
	 * licenses, imports and functions; a Kbuild/Makefile or Kconfig re-derives the build units.
	 */
	updateFile(rel: string): void {
		const name = posix.basename(rel);
		if (name === 'Kbuild' || name === 'Makefile') return this.updateKbuild(rel);
		if (name.startsWith('Kconfig')) return this.updateKconfig(rel);
		if (!/\.(c|h|S)$/.test(rel)) return;
		const created = !this.sources.has(rel);
		const scanned = scanSourceFile(this.rootOf(rel), rel, 'all', this.kind === 'headers');
		if (scanned.skipped === 'ENOENT') return this.removeFile(rel);
		const before = this.fileMeta.get(rel);
		this.applyMeta(scanned);
		this.setPrototypes(rel, scanned.prototypes);
		this.graph.setPacked(rel, scanned.functions);
		this.refreshExports(rel, before, scanned.meta);
		if (created) this.rebuildUnitsAround(rel);
	}

	/** Forgets a deleted file (or directory: everything under it). */
	removeFile(rel: string): void {
		const prefix = `${rel}/`;
		const gone = [...this.sources.keys()].filter((f) => f === rel || f.startsWith(prefix));
		for (const file of gone) {
			const before = this.fileMeta.get(file);
			const state = this.sources.get(file);
			if (state && !state.skipped) {
				this.stats.files--;
				this.stats.bytes -= state.size;
			}
			this.sources.delete(file);
			this.fileMeta.delete(file);
			this.headerFactsByFile.delete(file);
			this.prototypesByFile.delete(file);
			this.graph.setFile(file, undefined);
			this.refreshExports(file, before, undefined);
			this.rebuildUnitsAround(file);
		}
		for (const [dir, file] of this.kbuildFiles) {
			if (file !== rel && !file.startsWith(prefix)) continue;
			this.kbuildFiles.delete(dir);
			this.kbuildDirs.delete(dir);
			this.rebuildUnits();
		}
		for (const file of [...this.kconfigFiles.keys()]) {
			if (file === rel || file.startsWith(prefix)) {
				this.kconfigFiles.delete(file);
				this.mergeKconfig();
				this.rebuildUnits();
			}
		}
	}

	// ---- building -------------------------------------------------------------------------

	/** @internal Records one scan result's identity and lexical facts. */
	applyMeta(r: ScannedFile): void {
		const old = this.sources.get(r.rel);
		if (old && !old.skipped) {
			this.stats.files--;
			this.stats.bytes -= old.size;
		}
		const state: SourceState = { size: r.size, mtimeMs: r.mtimeMs, ino: r.ino };
		if (r.skipped) state.skipped = r.skipped;
		else {
			this.stats.files++;
			this.stats.bytes += r.size;
		}
		this.sources.set(r.rel, state);
		if (r.meta) this.fileMeta.set(r.rel, r.meta);
		else this.fileMeta.delete(r.rel);
		if (r.header) this.headerFactsByFile.set(r.rel, r.header);
		else this.headerFactsByFile.delete(r.rel);
		if (r.rel.endsWith('.h')) this.wrapperView = undefined;
	}

	/** @internal The directory `rel` is read from. */
	rootOf(rel: string): string {
		return this.fileRoots.get(rel) ?? this.root;
	}

	/** Relative paths of every .c/.h/.S file of the tree (a headers tree: its headers, from both dirs). */
	sourcePaths(): IterableIterator<string> {
		return this.sources.keys();
	}

	/** @internal The identity a source was read at. */
	sourceState(rel: string): SourceState | undefined {
		return this.sources.get(rel);
	}

	/**
	 * @internal Reads the tree's kbuild files, Kconfig files and .config; files whose identity
	 * matches `cached` are not read again.
	 */
	readKbuild(tree: TreeFiles, configFile: string | undefined, cached?: KbuildSnapshot, buildDir?: string): boolean {
		let reused = cached !== undefined && cached.files.length === tree.kconfig.length + tree.kbuild.size;
		const prior = new Map(cached?.files.map(([rel, size, mtimeMs, ino]) => [rel, { size, mtimeMs, ino }]));
		const priorKconfig = new Map(cached?.kconfig);
		const priorKbuild = new Map(cached?.dirs.map(([, file, kb]) => [file, kb]));
		/** Identity of `rel`, hashed into the digest; whether it is what the cache saw. */
		const identify = (rel: string): boolean | undefined => {
			let st;
			try {
				st = lstatSync(join(this.root, rel));
			} catch (err) {
				this.walkSkipped.push({ path: rel, reason: (err as NodeJS.ErrnoException).code ?? String(err) });
				return undefined;
			}
			const id = { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino };
			this.kbuildIds.set(rel, id);
			this.kbuildHash.update(`${rel}\0${id.size}\0${id.mtimeMs}\0${id.ino}\n`);
			const before = prior.get(rel);
			const same = before !== undefined && before.size === id.size && before.mtimeMs === id.mtimeMs && before.ino === id.ino;
			if (!same) reused = false;
			return same;
		};
		for (const rel of tree.kconfig) {
			const same = identify(rel);
			if (same === undefined) continue;
			const types = same ? priorKconfig.get(rel) : undefined;
			const text = types ? undefined : this.readSmall(rel);
			if (types) this.kconfigFiles.set(rel, types);
			else if (text !== undefined) this.kconfigFiles.set(rel, parseKconfig(text));
		}
		this.mergeKconfig();
		// The build's .config is the one it was built with; an explicit one still wins.
		const buildConfig = buildDir === undefined ? undefined : join(buildDir, '.config');
		const dotConfigPath = configFile ?? (buildConfig !== undefined && existsSync(buildConfig) ? buildConfig : join(this.root, '.config'));
		if (configFile || existsSync(dotConfigPath)) {
			const text = readFileSync(dotConfigPath, 'utf8');
			this.kbuildHash.update(`${dotConfigPath}\0${text}`);
			this.config.dotConfig = parseDotConfig(text);
		}
		for (const [dir, file] of tree.kbuild) {
			const same = identify(file);
			if (same === undefined) continue;
			let kb = same ? priorKbuild.get(file) : undefined;
			if (!kb) {
				const text = this.readSmall(file);
				if (text === undefined) continue;
				kb = parseKbuild(text);
			}
			this.kbuildFiles.set(dir, file);
			this.kbuildDirs.set(dir, kb);
		}
		return reused;
	}

	/** @internal What units and the export table depend on besides the sources. */
	kbuildDigest(): string {
		return this.kbuildHash.copy().digest('hex');
	}

	/** @internal The parsed kbuild and Kconfig files, for the cache. */
	kbuildSnapshot(): KbuildSnapshot {
		return {
			files: [...this.kbuildIds].map(([rel, id]) => [rel, id.size, id.mtimeMs, id.ino]),
			dirs: [...this.kbuildDirs].map(([dir, kb]) => [dir, this.kbuildFiles.get(dir) as string, kb]),
			kconfig: [...this.kconfigFiles],
		};
	}

	/** @internal Units restored from the cache, in the order they were derived. */
	setUnits(units: readonly BuildUnit[]): void {
		for (const unit of units) this.addUnit(unit);
	}

	private addUnit(unit: BuildUnit): void {
		this.units.set(unit.name, unit);
		for (const f of unit.files) {
			if (!this.unitOfFile.has(f)) this.unitOfFile.set(f, unit);
			const list = this.unitsOfFile.get(f);
			if (list) list.push(unit);
			else this.unitsOfFile.set(f, [unit]);
		}
	}

	private readSmall(rel: string): string | undefined {
		try {
			const path = join(this.root, rel);
			if (statSync(path).size > MAX_SOURCE_BYTES) {
				this.walkSkipped.push({ path: rel, reason: `larger than ${MAX_SOURCE_BYTES} bytes` });
				return undefined;
			}
			return readFileSync(path, 'utf8');
		} catch (err) {
			this.walkSkipped.push({ path: rel, reason: (err as NodeJS.ErrnoException).code ?? String(err) });
			return undefined;
		}
	}

	/** @internal */
	addWalkSkipped(skipped: readonly Skipped[]): void {
		this.walkSkipped.push(...skipped);
	}

	private mergeKconfig(): void {
		const merged = new Map<string, KconfigType>();
		for (const types of this.kconfigFiles.values()) {
			for (const [name, type] of types) if (merged.get(name) !== 'tristate') merged.set(name, type);
		}
		this.config = { ...this.config, kconfig: merged };
	}

	/**
	 * @internal Derives every build unit from the kbuild files. With a .config and a top-level
	 * Kbuild that lists the directories (6.1+; older trees list them in the top Makefile),
	 * only the directories make descends into count: arch/arm64/kvm's `obj-$(CONFIG_KVM)`
	 * builds nothing on x86.
	 */
	rebuildUnits(): void {
		this.units.clear();
		this.unitOfFile.clear();
		this.unitsOfFile.clear();
		this.descent.clear();
		const builds = new Map<string, KbuildBuild>();
		for (const dir of this.kbuildDirs.keys()) {
			const build = this.evaluateDir(dir);
			if (build) builds.set(dir, build);
		}
		this.reached = undefined;
		if (this.config.dotConfig && (builds.get('')?.subdirs.length ?? 0) > 0) {
			this.reached = new Set(['']);
			const queue = [''];
			for (let dir = queue.pop(); dir !== undefined; dir = queue.pop()) {
				const build = builds.get(dir);
				if (!build) continue;
				const subdirs = this.subdirsOf(dir, build);
				this.descent.set(dir, subdirs);
				for (const sub of subdirs) {
					if (!this.reached.has(sub)) {
						this.reached.add(sub);
						queue.push(sub);
					}
				}
			}
		}
		this.descentKnown = true;
		for (const [dir, build] of builds) this.addUnitsFrom(dir, build);
	}

	/** With a .config: the directories make descends into (undefined: every directory counts). */
	private reached?: Set<string>;
	/** Each reached directory's subdirectories, as `reached` was derived from them. */
	private readonly descent = new Map<string, string[]>();
	private descentKnown = false;

	private evaluateDir(dir: string): KbuildBuild | undefined {
		const kb = this.kbuildDirs.get(dir);
		return kb && evaluateDir(dir, kb, this.config, this.readMakefile);
	}

	private subdirsOf(dir: string, build: KbuildBuild): string[] {
		return build.subdirs
			.filter((s) => unitKind(s.cond, this.config) !== undefined)
			.map((s) => posix.normalize(dir ? `${dir}/${s.name}` : s.name));
	}

	/** An included makefile: a regular file of the tree (no symlink), not huge. */
	private readMakefile = (rel: string): string | undefined => {
		try {
			const path = join(this.root, rel);
			const st = lstatSync(path);
			return st.isFile() && st.size <= MAX_SOURCE_BYTES ? readFileSync(path, 'utf8') : undefined;
		} catch {
			return undefined;
		}
	};

	private addUnitsOf(dir: string): void {
		const build = this.evaluateDir(dir);
		if (!build) return;
		// What make descends into changed, or was never derived (units from the cache): derive it all.
		if (this.config.dotConfig) {
			const reached = dir === '' || this.reached?.has(dir);
			const changed = reached && (this.descent.get(dir) ?? []).join('\0') !== this.subdirsOf(dir, build).join('\0');
			if (!this.descentKnown || changed) return this.rebuildUnits();
		}
		this.addUnitsFrom(dir, build);
	}

	private addUnitsFrom(dir: string, build: KbuildBuild): void {
		const file = this.kbuildFiles.get(dir);
		if (!file || (this.reached && !this.reached.has(dir))) return;
		const sourceOf = (obj: string) => {
			for (const ext of ['.c', '.S']) {
				const state = this.sources.get(obj + ext);
				if (state) return obj + ext;
			}
			return undefined;
		};
		for (const unit of unitsOfBuild(dir, build, file, this.config, sourceOf)) this.addUnit(unit);
	}

	private removeUnitsOf(dir: string): void {
		const file = this.kbuildFiles.get(dir);
		for (const [name, unit] of this.units) {
			if (unit.kbuildFile !== file) continue;
			this.units.delete(name);
			for (const f of unit.files) {
				const rest = this.unitsOfFile.get(f)?.filter((u) => u !== unit) ?? [];
				if (rest.length > 0) this.unitsOfFile.set(f, rest);
				else this.unitsOfFile.delete(f);
				if (this.unitOfFile.get(f) !== unit) continue;
				if (rest.length > 0) this.unitOfFile.set(f, rest[0]);
				else this.unitOfFile.delete(f);
			}
		}
	}

	/** A source appeared or vanished: the units of its directory and those above may change. */
	private rebuildUnitsAround(rel: string): void {
		for (let dir = posix.dirname(rel); ; dir = posix.dirname(dir)) {
			const key = dir === '.' ? '' : dir;
			if (this.kbuildDirs.has(key)) {
				this.removeUnitsOf(key);
				this.addUnitsOf(key);
			}
			if (key === '') break;
		}
	}

	private updateKbuild(rel: string): void {
		const dir = posix.dirname(rel) === '.' ? '' : posix.dirname(rel);
		const current = this.kbuildFiles.get(dir);
		// A Makefile beside a Kbuild is not read.
		if (current && current !== rel && posix.basename(current) === 'Kbuild' && existsSync(this.absolutePath(current))) return;
		const text = this.readSmall(rel);
		if (text === undefined) return this.removeFile(rel);
		const before = this.kbuildDirs.get(dir);
		const kb = parseKbuild(text);
		this.removeUnitsOf(dir);
		this.kbuildFiles.set(dir, rel);
		this.kbuildDirs.set(dir, kb);
		this.addUnitsOf(dir);
		const ns = (k: KbuildDir | undefined) => JSON.stringify([k?.defaultNamespace, k?.subdirDefaultNamespace, [...(k?.objectNamespaces ?? [])]]);
		if (ns(before) !== ns(kb)) this.recomputeExports();
	}

	private updateKconfig(rel: string): void {
		const text = this.readSmall(rel);
		if (text === undefined) return this.removeFile(rel);
		this.kconfigFiles.set(rel, parseKconfig(text));
		this.mergeKconfig();
		this.rebuildUnits();
	}

	private readSource = (rel: string): string | undefined => {
		const state = this.sources.get(rel);
		if (!state || state.skipped) return undefined;
		try {
			return readFileSync(this.absolutePath(rel), 'utf8');
		} catch {
			return undefined;
		}
	};

	/** @internal The whole export table from every file's facts, or from the build's Module.symvers. */
	recomputeExports(): void {
		this.exportsByFile.clear();
		this.exports.clear();
		if (this.kind === 'headers' && this.symvers) return this.setExports(this.symvers);
		const scanned = collectExports(this.fileMeta, this.kbuildDirs, this.readSource);
		if (!this.symvers) return this.setExports(scanned);
		// A source tree with its build: the build's verdicts, at the scan's export site where it has one.
		const sites = new Map<string, ExportRecord>();
		for (const r of scanned) if (!sites.has(r.symbol) || archRank(r.file) < archRank((sites.get(r.symbol) as ExportRecord).file)) sites.set(r.symbol, r);
		this.setExports(
			this.symvers.map((b) => {
				const site = sites.get(b.symbol);
				if (!site) return b;
				const merged: ExportRecord = { ...site, macro: b.macro, gplOnly: b.gplOnly };
				if (b.namespace) merged.namespace = b.namespace;
				else delete merged.namespace;
				return merged;
			}),
		);
	}

	/**
	 * @internal Reads the build's Module.symvers (`dir`/Module.symvers), whose records are the
	 * export table from now on; throws with the reason when it cannot be read.
	 */
	readSymvers(dir: string): void {
		const path = join(dir, SYMVERS_FILE);
		let text: string;
		try {
			text = readFileSync(path, 'utf8');
		} catch (err) {
			throw new NotAKernelTreeError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
		}
		const parsed = parseSymvers(text);
		this.kbuildHash.update(`${path}\0${text.length}\0${createHash('sha1').update(text).digest('hex')}`);
		this.symvers = parsed.entries.map(symversRecord);
		this.symversModules.clear();
		for (const e of parsed.entries) if (e.module !== 'vmlinux') this.symversModules.set(e.module, (this.symversModules.get(e.module) ?? 0) + 1);
		if (parsed.malformed.length > 0) {
			const lines = parsed.malformed.slice(0, 5).join(', ') + (parsed.malformed.length > 5 ? ', …' : '');
			this.walkSkipped.push({ path: SYMVERS_FILE, reason: `${parsed.malformed.length} malformed lines (${lines})` });
		}
	}

	/** @internal Sets the export table from records (computed, or from the cache). */
	setExports(records: readonly ExportRecord[]): void {
		for (const record of records) {
			const byFile = this.exportsByFile.get(record.file);
			if (byFile) byFile.push(record);
			else this.exportsByFile.set(record.file, [record]);
			const list = this.exports.get(record.symbol);
			if (!list) this.exports.set(record.symbol, [record]);
			else {
				// Generic code first, then x86, then other arches (exportOf's preference); stable.
				const at = list.findIndex((r) => archRank(r.file) > archRank(record.file));
				list.splice(at < 0 ? list.length : at, 0, record);
			}
		}
	}

	/** @internal */
	allExports(): ExportRecord[] {
		return [...this.exportsByFile.values()].flat();
	}

	/**
	 * After one file changed: its own exports are re-collected against the tree's wrappers;
	 * a change that can alter other files' exports (a header's wrappers, a file #included by
	 * others) re-collects the whole table.
	 */
	private refreshExports(rel: string, before: FileMeta | undefined, after: FileMeta | undefined): void {
		// The build's Module.symvers says what it exports until it is rebuilt; edits change nothing.
		if (this.symvers) return;
		const shapes = (m: FileMeta | undefined) =>
			m !== undefined && (m.exports.length > 0 || m.macros !== undefined || m.calls !== undefined || m.includes !== undefined || m.defaultNamespace !== undefined);
		if (!shapes(before) && !shapes(after)) return;
		const base = posix.basename(rel);
		const includedElsewhere = [...this.fileMeta.values()].some((m) => m.includes?.some((inc) => posix.basename(inc.path) === base));
		const wrappers = (m: FileMeta | undefined) => JSON.stringify(m?.macros?.filter((d) => d.params) ?? []);
		if (includedElsewhere || (rel.endsWith('.h') && wrappers(before) !== wrappers(after))) return this.recomputeExports();
		for (const record of this.exportsByFile.get(rel) ?? []) {
			const list = this.exports.get(record.symbol)?.filter((r) => r !== record) ?? [];
			if (list.length > 0) this.exports.set(record.symbol, list);
			else this.exports.delete(record.symbol);
		}
		this.exportsByFile.delete(rel);
		if (!after) return;
		const view = new Map(this.wrappers());
		view.set(rel, after);
		for (const inc of after.includes ?? []) {
			const target = posix.normalize(posix.join(posix.dirname(rel), inc.path));
			const meta = this.fileMeta.get(target);
			if (meta) view.set(target, meta);
		}
		this.setExports(collectExports(view, this.kbuildDirs, this.readSource).filter((r) => r.file === rel));
	}

	/** Header metas with only their function-like macros: what other files' exports may expand. */
	private wrappers(): Map<string, FileMeta> {
		if (!this.wrapperView) {
			this.wrapperView = new Map();
			for (const [file, meta] of this.fileMeta) {
				const macros = meta.macros?.filter((d) => d.params);
				if (file.endsWith('.h') && macros?.length) this.wrapperView.set(file, { exports: [], licenses: [], imports: [], macros });
			}
		}
		return this.wrapperView;
	}
}

export class NotAKernelTreeError extends Error {}

// ---- the cache payload ---------------------------------------------------------------------

/** Parsed kbuild and Kconfig files by identity, and the units derived from them. */
interface KbuildSnapshot {
	files: [string, number, number, number][];
	/** Directory, its kbuild file, the parse. */
	dirs: [string, string, KbuildDir][];
	kconfig: [string, Map<string, KconfigType>][];
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

interface CachePayload {
	root: string;
	/** Digest of the per-file scanners that produced the facts. */
	stamp: string;
	rels: string[];
	/** size, mtimeMs, ino per file. */
	identities: Float64Array;
	skipped: [number, string][];
	metas: [number, FileMeta][];
	headers: [number, HeaderFacts][];
	prototypes: [number, PackedPrototypes][];
	/** Interned names joined by newlines, UTF-8 (half the size of a two-byte string); function arrays refer to them. */
	names: Buffer;
	/** Per file with functions: file index, owners start, owners end, edges start, edges end. */
	spans: Int32Array;
	owners: Int32Array;
	edges: Int32Array;
	kbuild: KbuildSnapshot;
}

function exportsStamp(): string {
	return codeStamp([__filename, ...CACHE_EXPORTS_STAMP_FILES.map((f) => join(__dirname, f))]);
}

function snapshot(index: KernelIndex, rels: readonly string[], stamp: string): CachePayload {
	const identities = new Float64Array(rels.length * 3);
	const skipped: [number, string][] = [];
	const metas: [number, FileMeta][] = [];
	const headers: [number, HeaderFacts][] = [];
	const prototypes: [number, PackedPrototypes][] = [];
	const facts = index.headerFacts();
	const declared = index.headerPrototypes();
	const position = new Map<string, number>();
	rels.forEach((rel, k) => {
		position.set(rel, k);
		const s = index.sourceState(rel);
		if (!s) return;
		identities[k * 3] = s.size;
		identities[k * 3 + 1] = s.mtimeMs;
		identities[k * 3 + 2] = s.ino;
		if (s.skipped) skipped.push([k, s.skipped]);
		const meta = index.fileMeta.get(rel);
		if (meta) metas.push([k, meta]);
		const header = facts.get(rel);
		if (header) headers.push([k, header]);
		const found = declared.get(rel);
		if (found) prototypes.push([k, found]);
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
		spans,
		owners,
		edges,
		kbuild: index.kbuildSnapshot(),
	};
}

// ---- the build ----------------------------------------------------------------------------

/** Shared steps of the synchronous and the asynchronous build. */
class Build {
	readonly started = Date.now();
	readonly index: KernelIndex;
	tree: TreeFiles = { sources: [], kbuild: new Map(), kconfig: [], skipped: [] };
	private readonly cacheFile?: string;
	private readonly stamp: string;
	private cached?: CachePayload;
	/** Whether any source's facts differ from the cache, so it must be written. */
	private changed = true;
	/** Whether a kbuild or Kconfig file differs from the cache (its parse is cached too). */
	private kbuildChanged = true;
	/** The configuration's digest and whether its derived tables came from their file. */
	private derived?: { digest: string; reused: boolean };
	/** Whether the tree has the cached set of sources (units depend on which files exist). */
	private sameSources = false;
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

	/** A headers tree's prototypes are its only word on what the kernel has (see headers/declarations.ts). */
	get withPrototypes(): boolean {
		return this.headers !== undefined;
	}

	/** Whether a cache file exists to be tried (a cold start has none). */
	get hasCacheFile(): boolean {
		return this.cacheFile !== undefined && existsSync(this.cacheFile);
	}

	walk(): void {
		this.progress('walking', 0, 0);
		this.tree = this.headers ? this.walkHeaders(this.headers) : walkTree(this.root);
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
		try {
			arch = archOf(parseDotConfig(readFileSync(configFile, 'utf8')));
		} catch {
			// No .config: every arch's headers, as for a source tree.
		}
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
		this.kbuildChanged = !this.index.readKbuild(this.tree, this.options.configFile, this.cached?.kbuild, this.buildDir);
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

	/** Restores what the cache knows of unchanged files; returns the files to read. */
	restore(): { meta: ScanJob[]; functions: ScanJob[] } {
		const index = this.index;
		const all = this.tree.sources.map((rel) => ({ rel, size: 0 }));
		const cached = this.cached;
		if (!cached) return { meta: all, functions: all.filter((j) => hasFunctions(j.rel)) };
		const position = new Map<string, number>();
		cached.rels.forEach((rel, k) => position.set(rel, k));
		const metas = new Map(cached.metas);
		const headers = new Map(cached.headers);
		const prototypes = new Map(cached.prototypes);
		const skipped = new Map(cached.skipped);
		const names = cached.names.length === 0 ? '' : cached.names.toString('utf8');
		index.graph.restoreNames(names === '' ? [] : names.split('\n'));
		const fnSpans = new Map<number, number>();
		for (let k = 0; k < cached.spans.length; k += 5) fnSpans.set(cached.spans[k], k);
		const stale: ScanJob[] = [];
		const sources = this.tree.sources;
		const id = cached.identities;
		for (let f = 0; f < sources.length; f++) {
			const rel = sources[f];
			const k = position.get(rel);
			let size: number, mtimeMs: number, ino: number;
			try {
				const st = lstatSync(index.absolutePath(rel));
				size = st.size;
				mtimeMs = st.mtimeMs;
				ino = st.ino;
			} catch {
				size = mtimeMs = ino = NaN;
			}
			if (k === undefined || Number.isNaN(size) || size !== id[k * 3] || mtimeMs !== id[k * 3 + 1] || ino !== id[k * 3 + 2]) {
				stale.push({ rel, size: Number.isNaN(size) ? 0 : size });
				continue;
			}
			const result: ScannedFile = { rel, size, mtimeMs, ino };
			const reason = skipped.get(k);
			if (reason) result.skipped = reason;
			const meta = metas.get(k);
			if (meta) result.meta = meta;
			result.header = headers.get(k);
			index.applyMeta(result);
			index.setPrototypes(rel, prototypes.get(k));
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
		index.stats.fromCache = true;
		index.stats.reread = stale.length;
		this.sameSources = cached.rels.length === sources.length && cached.rels.every((rel, k) => rel === sources[k]);
		this.changed = stale.length > 0 || !this.sameSources;
		return { meta: stale, functions: stale.filter((j) => hasFunctions(j.rel)) };
	}

	loadCache(): void {
		if (!this.cacheFile) return;
		const read = readCache<CachePayload>(this.cacheFile);
		if (!read.ok) {
			this.index.stats.cacheNote = read.reason;
			return;
		}
		const payload = read.payload;
		if (payload.root !== this.root || payload.stamp !== this.stamp) {
			this.index.stats.cacheNote = payload.root !== this.root ? 'cache of another tree' : 'cache of another scanner version';
			return;
		}
		this.cached = payload;
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
		const digest = index.kbuildDigest();
		const derived = this.readDerived(digest);
		this.derived = { digest, reused: derived !== undefined };
		if (derived) index.setUnits(derived.units);
		else index.rebuildUnits();
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

	/** The derived tables of `digest`, valid when every source is as cached and the collector unchanged. */
	private readDerived(digest: string): DerivedPayload | undefined {
		if (!this.cacheFile || !this.cached || this.changed) return undefined;
		const file = derivedFileFor(this.cacheFile, digest);
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

	/** A functions-pass result; a file that changed since its first pass is read whole again. */
	applyFunctions(r: ScannedFile): void {
		const before = this.index.sourceState(r.rel);
		if (before && (before.size !== r.size || before.mtimeMs !== r.mtimeMs || before.ino !== r.ino)) {
			this.index.updateFile(r.rel);
			return;
		}
		this.index.graph.setPacked(r.rel, r.functions);
		this.index.setPrototypes(r.rel, r.prototypes);
	}

	finish(): KernelIndex {
		const index = this.index;
		index.ready.functions = true;
		if (this.cacheFile && !this.options.noCache) {
			this.progress('saving', 0, 0);
			try {
				if (this.changed || this.kbuildChanged) writeCache(this.cacheFile, snapshot(index, this.tree.sources, this.stamp));
				if (this.derived && !this.derived.reused) {
					const payload: DerivedPayload = { stamp: exportsStamp(), kbuild: this.derived.digest, units: [...index.units.values()], records: index.allExports() };
					writeCache(derivedFileFor(this.cacheFile, this.derived.digest), payload);
					pruneDerived(this.cacheFile, DERIVED_KEPT);
				}
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
			apply(scanSourceFile(root, job.rel, pass, build.withPrototypes));
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
		// Cold: the workers boot while this thread walks. (Warm: stat-ing the sources on the
		// thread pool while the cache decodes measured slower than lstatSync, 2.0 s vs 1.55 s.)
		if (!build.hasCacheFile) pool = new ScanPool(options.workers);
		build.walk();
		build.loadCache();
		const jobs = build.restore();
		if (jobs.meta.length > 0) pool ??= new ScanPool(options.workers);
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
					build.withPrototypes,
				);
			}
		};
		// The first pass runs on the workers while this thread reads the kbuild files.
		const metaPass = pool ? scan('exports', 'meta', jobs.meta, (r) => build.applyMeta(r)) : undefined;
		build.readKbuild();
		await metaPass;
		build.exportsReady();
		if (pool) await scan('functions', 'functions', build.functionJobs(jobs.functions), (r) => build.applyFunctions(r));
		pool?.close();
		pool = undefined;
		return build.finish();
	} finally {
		pool?.close();
	}
}
