/**
 * The KernelIndex: what the checks, hovers, call hierarchy and migrations know about one
 * kernel tree — exports, build units and licenses, the version, and every function with the
 * call graph. build.ts builds it, units.ts keeps its build units; `updateFile` and
 * `removeFile` keep the index current as files are saved, created and deleted.
 */
import { createHash } from 'node:crypto';
import { isAbsolute, join, posix, relative, sep } from 'node:path';
import { CallGraph, type CallSite, type FunctionRecord } from './callgraph';
import { SiteTable, type HeaderFacts, type PackedPrototypes } from './headerscan';
import { collectExports, type ExportRecord } from './exports';
import { scanSourceFile, type ScannedFile } from './filescan';
import { readBounded, readText, type FileIdentity } from '../read';
import { stringDefine, type FileMeta, type ImportSite, type LicenseSite } from './lexscan';
import type { BuildUnit } from './modules';
import { parseSymvers, symversRecord, SYMVERS_FILE } from './symvers';
import type { PackedOps } from './opsscan';
import { KbuildUnits } from './units';
import type { KernelVersion } from '../version';
import type { TreeFiles } from './walk';

export type { ExportRecord, FunctionRecord, CallSite };

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
	/**
	 * Also the ops scans, on the workers in the function pass (the language server, whose
	 * dispatch queries need every file's). Without it `opsOf` scans a file on first ask; a
	 * cache that holds them keeps them current either way.
	 */
	ops?: boolean;
	/** Test hook: sees the walk's result before any file is read. */
	afterWalk?: (tree: TreeFiles) => void;
}

export type IndexPhase = 'walking' | 'exports' | 'functions' | 'ops' | 'saving';

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
	/** @internal The kbuild files, Kconfig files and .config, and the units derived from them. */
	readonly kbuild: KbuildUnits;
	readonly units: Map<string, BuildUnit>;
	/** Each file's first unit; `unitsOfFile` has every unit a file is linked into. */
	readonly unitOfFile: Map<string, BuildUnit>;
	readonly unitsOfFile: Map<string, BuildUnit[]>;
	/** Per-file lexical facts, only for files that have any. */
	readonly fileMeta = new Map<string, FileMeta>();
	readonly graph = new CallGraph();
	readonly ready = { exports: false, functions: false };
	/** Public headers' #defines and #includes (first pass), and prototypes (headers trees, function pass). */
	private readonly headerFactsByFile = new Map<string, HeaderFacts>();
	/** Every header's #defines and #includes by name; undefined: to be built from headerFactsByFile. */
	private headerSiteTables?: HeaderSites;
	private readonly prototypesByFile = new Map<string, PackedPrototypes>();
	/** Each file's ops scan (kernel/opsscan.ts), from the function pass; graph/ops.ts reads it. */
	private readonly opsByFile = new Map<string, PackedOps | null>();
	/** @internal Whether the build's passes made every file's ops scan (else `opsOf` makes them on demand). */
	opsScanned = false;
	stats: IndexStats = { files: 0, bytes: 0, ms: 0, exportsMs: 0, fromCache: false, reread: 0 };

	/** Every .c/.h/.S file of the tree with the identity it was read at. */
	private readonly sources = new Map<string, SourceState>();
	private readonly walkSkipped: Skipped[] = [];
	private readonly exportsByFile = new Map<string, ExportRecord[]>();
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
	) {
		this.kbuild = new KbuildUnits(root, {
			hasSource: (rel) => this.sources.has(rel),
			absolutePath: (rel) => this.absolutePath(rel),
			skip: (path, reason) => this.walkSkipped.push({ path, reason }),
		});
		this.units = this.kbuild.units;
		this.unitOfFile = this.kbuild.unitOfFile;
		this.unitsOfFile = this.kbuild.unitsOfFile;
	}

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
		return this.kbuild.dotConfig;
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
			// Unreadable now: it gives nothing.
			const text = readText(this.absolutePath(rel), 'source', 'latin1', false);
			const value = text === undefined ? undefined : stringDefine(text, name);
			if (value !== undefined) return value;
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

	/** headerFacts by name: which headers #define a name, which #include a file; complete once exports are ready. */
	headerSites(): HeaderSites {
		if (!this.headerSiteTables) {
			const sites: HeaderSites = { defines: new SiteTable(), includes: new SiteTable() };
			let defines = 0;
			let includes = 0;
			for (const facts of this.headerFactsByFile.values()) {
				defines += facts.defineLines.length;
				includes += facts.includeLines.length;
			}
			sites.defines.reserve(defines);
			sites.includes.reserve(includes);
			for (const [file, facts] of this.headerFactsByFile) addHeaderSites(sites, file, facts);
			this.headerSiteTables = sites;
		}
		return this.headerSiteTables;
	}

	/**
	 * @internal Before a headers tree's cold first pass: the site tables grow as the workers'
	 * results arrive, on a main thread that is otherwise waiting, so the first diagnostic pays
	 * nothing for them. Elsewhere (a source tree, whose main thread is busy merging, and warm
	 * starts) they are built on the first question.
	 */
	growHeaderSites(): void {
		if (this.headerFactsByFile.size === 0) this.headerSiteTables = { defines: new SiteTable(), includes: new SiteTable() };
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

	/** A file's member calls, ops bindings and struct declarations: the build's scan (complete once functions are ready), or, without one, a scan made now. */
	opsOf(rel: string): PackedOps | undefined {
		if (!this.opsScanned && !this.opsByFile.has(rel) && this.sources.has(rel)) this.opsByFile.set(rel, scanSourceFile(this.rootOf(rel), rel, 'ops').ops ?? null);
		return this.opsByFile.get(rel) ?? undefined;
	}

	/** A function-pass result's ops scan; set before the file's functions, whose change tells the ops index. */
	setOps(rel: string, ops: PackedOps | undefined): void {
		if (ops) this.opsByFile.set(rel, ops);
		else this.opsByFile.delete(rel);
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
		if (name === 'Kbuild' || name === 'Makefile') {
			const outcome = this.kbuild.updateKbuild(rel);
			if (outcome === 'unreadable') this.removeFile(rel);
			else if (outcome === 'namespaces') this.recomputeExports();
			return;
		}
		if (name.startsWith('Kconfig')) {
			if (!this.kbuild.updateKconfig(rel)) this.removeFile(rel);
			return;
		}
		if (!/\.(c|h|S)$/.test(rel)) return;
		const created = !this.sources.has(rel);
		const scanned = scanSourceFile(this.rootOf(rel), rel, 'all', { prototypes: this.kind === 'headers', ops: this.opsScanned });
		if (scanned.skipped === 'ENOENT') return this.removeFile(rel);
		const before = this.fileMeta.get(rel);
		this.applyMeta(scanned);
		this.setPrototypes(rel, scanned.prototypes);
		this.setOps(rel, scanned.ops);
		this.graph.setPacked(rel, scanned.functions);
		this.refreshExports(rel, before, scanned.meta);
		if (created) this.kbuild.sourceChanged(rel);
	}

	/** Forgets a deleted file (or directory: everything under it). */
	removeFile(rel: string): void {
		const gone = [...this.sources.keys()].filter((f) => f === rel || f.startsWith(`${rel}/`));
		for (const file of gone) {
			const before = this.fileMeta.get(file);
			const state = this.sources.get(file);
			if (state && !state.skipped) {
				this.stats.files--;
				this.stats.bytes -= state.size;
			}
			this.sources.delete(file);
			this.fileMeta.delete(file);
			if (this.headerFactsByFile.delete(file)) this.headerSiteTables = undefined;
			this.prototypesByFile.delete(file);
			this.opsByFile.delete(file);
			this.graph.setFile(file, undefined);
			this.refreshExports(file, before, undefined);
			this.kbuild.sourceChanged(file);
		}
		this.kbuild.remove(rel);
	}

	// ---- building -------------------------------------------------------------------------

	/** @internal Records one scan result's identity and lexical facts. */
	applyMeta(r: ScannedFile): void {
		const old = this.sources.get(r.rel);
		if (old && !old.skipped) {
			this.stats.files--;
			this.stats.bytes -= old.size;
		}
		const state: SourceState = { size: r.size, mtimeMs: r.mtimeMs, ctimeMs: r.ctimeMs, ino: r.ino };
		if (r.skipped) state.skipped = r.skipped;
		else {
			this.stats.files++;
			this.stats.bytes += r.size;
		}
		this.sources.set(r.rel, state);
		if (r.meta) this.fileMeta.set(r.rel, r.meta);
		else this.fileMeta.delete(r.rel);
		// A file's sites cannot be taken out of the tables: a header read again rebuilds them.
		const hadHeader = this.headerFactsByFile.has(r.rel);
		if (r.header) this.headerFactsByFile.set(r.rel, r.header);
		else this.headerFactsByFile.delete(r.rel);
		if (this.headerSiteTables && (hadHeader || r.header)) {
			if (!hadHeader && r.header) addHeaderSites(this.headerSiteTables, r.rel, r.header);
			else this.headerSiteTables = undefined;
		}
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

	/** @internal */
	addWalkSkipped(skipped: readonly Skipped[]): void {
		for (const s of skipped) this.walkSkipped.push(s);
	}

	private readSource = (rel: string): string | undefined => {
		const state = this.sources.get(rel);
		if (!state || state.skipped) return undefined;
		return readText(this.absolutePath(rel), 'source', 'utf8', false);
	};

	/** @internal The whole export table from every file's facts, or from the build's Module.symvers. */
	recomputeExports(): void {
		this.exportsByFile.clear();
		this.exports.clear();
		if (this.kind === 'headers' && this.symvers) return this.setExports(this.symvers);
		const scanned = collectExports(this.fileMeta, this.kbuild.dirs, this.readSource);
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
		const read = readBounded(path, 'symvers');
		if (!('data' in read)) throw new NotAKernelTreeError(`cannot read ${path}: ${read.skipped}`);
		const text = read.data.toString('utf8');
		const parsed = parseSymvers(text);
		this.kbuild.addToDigest(`${path}\0${text.length}\0${createHash('sha1').update(text).digest('hex')}`);
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
		this.setExports(collectExports(view, this.kbuild.dirs, this.readSource).filter((r) => r.file === rel));
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

/** Header directives by name (kernel/headerscan.ts's SiteTable: typed arrays, no object per #define). */
export interface HeaderSites {
	defines: SiteTable;
	includes: SiteTable;
}

function addHeaderSites(sites: HeaderSites, file: string, facts: HeaderFacts): void {
	sites.defines.add(file, facts.defines, facts.defineLines);
	sites.includes.add(file, facts.includes, facts.includeLines);
}
