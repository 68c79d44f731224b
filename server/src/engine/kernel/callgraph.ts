/**
 * The tree's call graph: every function definition (and every variable whose initializer
 * names functions) with the calls and references inside it, as the lexical function scanner
 * found them. Stored per file in typed arrays over one table of interned names, so the whole
 * kernel (about 0.7 M definitions, 4 M edges) fits in well under 100 MB and loads from the
 * cache without rebuilding objects.
 *
 * Resolution — which definition a call `foo(...)` in file F means, the way the linker and
 * the preprocessor would usually decide without a build:
 * 1. a definition of `foo` in F itself (static or not: a file calls its own helpers);
 * 2. else every non-static definition of `foo` in the tree (arch variants give several);
 * 3. else the static definitions of `foo` in headers (`static inline` helpers).
 * A static function of another .c file is never a call's target, so same-named statics of
 * different files are never conflated. Calls through pointers name no function and are not
 * edges; designated initializers (`.page_free = drv_page_free`) are `reference` edges.
 */
import type { PackedFunctions } from './filescan';
import { OWNER_MACRO, OWNER_STATIC, OWNER_STRIDE, OWNER_VARIABLE } from './funcscan';
import { NameTable } from './name-table';

export interface FunctionRecord {
	name: string;
	/** Relative to the tree root. */
	file: string;
	/** 0-based, of the name in the definition. */
	line: number;
	character: number;
	isStatic: boolean;
	/** Defined through a definer macro such as `SYSCALL_DEFINE3(name, ...)`. */
	viaMacro?: boolean;
}

export interface CallSite {
	/** The function (or initialised variable) whose body holds the site. */
	caller: string;
	callee: string;
	file: string;
	/** 0-based, of the callee's name at the site. */
	line: number;
	character: number;
	kind: 'call' | 'reference';
}

/** Owners: OWNER_STRIDE numbers (global name id, line, character, flags); edges: EDGE numbers (owner << 1 | kind, global name id, line, character). */
export interface FileFunctions {
	owners: Int32Array;
	edges: Int32Array;
}

const EDGE = 4;

/**
 * Entries grouped by name id: `entries[offsets[id] .. offsets[id + 1])` are (file id, index)
 * pairs; files changed since it was built are `dirty` and read directly.
 */
interface Grouped {
	offsets: Int32Array;
	entries: Int32Array;
	dirty: Set<number>;
}

type GroupKind = 'defs' | 'edges';

/** Changed files beyond this many make the next query rebuild the grouped indexes. */
const MAX_DIRTY = 256;

export class CallGraph {
	private names: string[] = [];
	/** Name → id over `names`; built on first need, since a warm start restores a million names it may never look up. */
	private ids?: NameTable;
	private readonly fileIds = new Map<string, number>();
	private readonly fileNames: string[] = [];
	private readonly data: (FileFunctions | undefined)[] = [];
	/**
	 * Definitions and edges grouped by name, each built on its first query: a check asks for
	 * definitions only, and grouping the 4 M edges of a kernel cost it ~150 ms.
	 */
	private readonly grouped: Partial<Record<GroupKind, Grouped>> = {};
	private map?: Map<string, FunctionRecord[]>;
	/** Told the relative path of every file whose functions were set or dropped (the ops index listens). */
	private readonly listeners = new Set<(rel: string) => void>();
	/** What queries derive from the graph (audits, resolved callees), dropped on any change. */
	private readonly derivedData = new Map<object, unknown>();
	/** Function definitions (variables excluded), call edges and reference edges. */
	readonly counts = { functions: 0, calls: 0, references: 0 };

	/** A restored name table's slots, used when it is first needed. */
	private restoredSlots?: Int32Array;

	private get nameIds(): NameTable {
		if (!this.ids) {
			this.ids = new NameTable(this.names, this.restoredSlots);
			this.restoredSlots = undefined;
		}
		return this.ids;
	}

	intern(name: string): number {
		return this.nameIds.intern(name);
	}

	/** Sets a file's functions from a scan (names local to the file). */
	setPacked(rel: string, packed: PackedFunctions | undefined): void {
		if (!packed) return this.setFile(rel, undefined);
		const local = packed.names === '' ? [] : packed.names.split('\n').map((n) => this.intern(n));
		const owners = packed.owners;
		for (let k = 0; k < owners.length; k += OWNER_STRIDE) owners[k] = local[owners[k]];
		const edges = packed.edges;
		for (let k = 1; k < edges.length; k += EDGE) edges[k] = local[edges[k]];
		this.setFile(rel, { owners, edges });
	}

	/** Sets a file's functions with names already interned here (from the cache). */
	setFile(rel: string, fns: FileFunctions | undefined): void {
		let id = this.fileIds.get(rel);
		if (id === undefined) {
			if (!fns) return;
			id = this.fileNames.length;
			this.fileNames.push(rel);
			this.fileIds.set(rel, id);
		}
		this.count(this.data[id], -1);
		this.data[id] = fns;
		this.count(fns, 1);
		this.map = undefined;
		this.derivedData.clear();
		for (const listener of this.listeners) listener(rel);
		for (const kind of ['defs', 'edges'] as const) {
			const grouped = this.grouped[kind];
			if (!grouped) continue;
			grouped.dirty.add(id);
			if (grouped.dirty.size > MAX_DIRTY) delete this.grouped[kind];
		}
	}

	private count(fns: FileFunctions | undefined, sign: number): void {
		if (!fns) return;
		for (let k = 3; k < fns.owners.length; k += OWNER_STRIDE) if (!(fns.owners[k] & OWNER_VARIABLE)) this.counts.functions += sign;
		for (let k = 0; k < fns.edges.length; k += EDGE) {
			if (fns.edges[k] & 1) this.counts.references += sign;
			else this.counts.calls += sign;
		}
	}

	/**
	 * Builds the lookup tables that the first query or update would otherwise build (about a
	 * second on a whole kernel): call it when idle after loading so later calls stay fast.
	 */
	prepare(): void {
		void this.nameIds;
		this.groups('defs');
		this.groups('edges');
	}

	/** For the cache: the names, their table's slots and every file's arrays. */
	snapshot(): { names: readonly string[]; slots: Int32Array; files: [string, FileFunctions][] } {
		const files: [string, FileFunctions][] = [];
		this.data.forEach((fns, id) => fns && files.push([this.fileNames[id], fns]));
		return { names: this.names, slots: this.nameIds.slotArray, files };
	}

	/**
	 * Restores the names of a snapshot and their table's slots (hashing a kernel's million
	 * names again cost ~140 ms of every warm start); must precede any other use.
	 */
	restoreNames(names: string[], slots: Int32Array): void {
		this.names = names;
		this.ids = undefined;
		this.restoredSlots = slots;
	}

	private group(pick: (fns: FileFunctions) => { array: Int32Array; stride: number; nameAt: number }): Grouped {
		const counts = new Int32Array(this.names.length + 1);
		this.data.forEach((fns) => {
			if (!fns) return;
			const { array, stride, nameAt } = pick(fns);
			for (let k = 0; k < array.length; k += stride) counts[array[k + nameAt] + 1]++;
		});
		for (let k = 1; k < counts.length; k++) counts[k] += counts[k - 1];
		const offsets = counts.slice();
		const entries = new Int32Array(offsets[offsets.length - 1] * 2);
		this.data.forEach((fns, fileId) => {
			if (!fns) return;
			const { array, stride, nameAt } = pick(fns);
			for (let k = 0; k < array.length; k += stride) {
				const at = counts[array[k + nameAt]]++ * 2;
				entries[at] = fileId;
				entries[at + 1] = k / stride;
			}
		});
		return { offsets, entries, dirty: new Set() };
	}

	private groups(kind: GroupKind): Grouped {
		return (this.grouped[kind] ??=
			kind === 'defs'
				? this.group((fns) => ({ array: fns.owners, stride: OWNER_STRIDE, nameAt: 0 }))
				: this.group((fns) => ({ array: fns.edges, stride: EDGE, nameAt: 1 })));
	}

	/** (file id, index) pairs of the owners (stride OWNER_STRIDE) or edges (stride EDGE) named `id`. */
	private lookup(id: number, which: GroupKind): [number, number][] {
		const grouped = this.groups(which);
		const out: [number, number][] = [];
		if (id + 1 < grouped.offsets.length) {
			for (let k = grouped.offsets[id]; k < grouped.offsets[id + 1]; k++) {
				const fileId = grouped.entries[k * 2];
				if (!grouped.dirty.has(fileId)) out.push([fileId, grouped.entries[k * 2 + 1]]);
			}
		}
		const [stride, nameAt] = which === 'defs' ? [OWNER_STRIDE, 0] : [EDGE, 1];
		for (const fileId of grouped.dirty) {
			const fns = this.data[fileId];
			const array = fns && (which === 'defs' ? fns.owners : fns.edges);
			if (!array) continue;
			for (let k = 0; k < array.length; k += stride) if (array[k + nameAt] === id) out.push([fileId, k / stride]);
		}
		return out;
	}

	private record(fileId: number, owner: number): FunctionRecord {
		const o = (this.data[fileId] as FileFunctions).owners;
		const k = owner * OWNER_STRIDE;
		const rec: FunctionRecord = {
			name: this.names[o[k]],
			file: this.fileNames[fileId],
			line: o[k + 1],
			character: o[k + 2],
			isStatic: (o[k + 3] & OWNER_STATIC) !== 0,
		};
		if (o[k + 3] & OWNER_MACRO) rec.viaMacro = true;
		return rec;
	}

	private site(fileId: number, edge: number): CallSite {
		const fns = this.data[fileId] as FileFunctions;
		const k = edge * EDGE;
		return {
			caller: this.names[fns.owners[(fns.edges[k] >> 1) * OWNER_STRIDE]],
			callee: this.names[fns.edges[k + 1]],
			file: this.fileNames[fileId],
			line: fns.edges[k + 2],
			character: fns.edges[k + 3],
			kind: fns.edges[k] & 1 ? 'reference' : 'call',
		};
	}

	private isFunction(fileId: number, owner: number): boolean {
		return ((this.data[fileId] as FileFunctions).owners[owner * OWNER_STRIDE + 3] & OWNER_VARIABLE) === 0;
	}

	/** Function definitions named `name` (initialised variables are not functions). */
	definitionsOf(name: string): FunctionRecord[] {
		const id = this.nameIds.get(name);
		if (id === undefined) return [];
		return this.lookup(id, 'defs')
			.filter(([f, o]) => this.isFunction(f, o))
			.map(([f, o]) => this.record(f, o));
	}

	/** The definitions a use of `name` in `file` resolves to (see the rules above). */
	resolve(name: string, file: string): FunctionRecord[] {
		const defs = this.definitionsOf(name);
		const own = defs.filter((d) => d.file === file);
		if (own.length > 0) return own;
		const global = defs.filter((d) => !d.isStatic);
		if (global.length > 0) return global;
		return defs.filter((d) => d.file.endsWith('.h'));
	}

	/**
	 * Sites that call or reference `name` and resolve to its definition in `file` — or, without
	 * `file`, to any of its definitions; a name no one defines (a macro, an assembly symbol)
	 * gets every site that names it.
	 */
	callersOf(name: string, file?: string): CallSite[] {
		const id = this.nameIds.get(name);
		if (id === undefined) return [];
		const sites = this.lookup(id, 'edges').map(([f, e]) => this.site(f, e));
		const defs = this.definitionsOf(name);
		if (defs.length === 0) return file === undefined ? sites : [];
		const byFile = new Map<string, FunctionRecord[]>();
		return sites.filter((s) => {
			let targets = byFile.get(s.file);
			if (!targets) byFile.set(s.file, (targets = this.resolve(name, s.file)));
			return file === undefined ? targets.length > 0 : targets.some((d) => d.file === file);
		});
	}

	/** Sites inside the definitions of `name` (only the one in `file`, when given), in order. */
	calleesOf(name: string, file?: string): CallSite[] {
		const id = this.nameIds.get(name);
		if (id === undefined) return [];
		const out: CallSite[] = [];
		for (const [fileId, owner] of this.lookup(id, 'defs')) {
			if (file !== undefined && this.fileNames[fileId] !== file) continue;
			const edges = (this.data[fileId] as FileFunctions).edges;
			for (let k = 0; k < edges.length; k += EDGE) if (edges[k] >> 1 === owner) out.push(this.site(fileId, k / EDGE));
		}
		return out;
	}

	/** Every function definition by name; built on first use and dropped on any change. */
	functionMap(): Map<string, FunctionRecord[]> {
		if (this.map) return this.map;
		const map = new Map<string, FunctionRecord[]>();
		this.data.forEach((fns, fileId) => {
			if (!fns) return;
			for (let o = 0; o < fns.owners.length / OWNER_STRIDE; o++) {
				if (!this.isFunction(fileId, o)) continue;
				const rec = this.record(fileId, o);
				const list = map.get(rec.name);
				if (list) list.push(rec);
				else map.set(rec.name, [rec]);
			}
		});
		this.map = map;
		return map;
	}

	/**
	 * Data derived from the graph under `key` (a module-level object of its owner), made on
	 * first use and dropped whenever any file's functions change: the one invalidation that
	 * every cache over the call graph uses, so none can outlive an edit.
	 */
	derived<T>(key: object, make: () => T): T {
		if (!this.derivedData.has(key)) this.derivedData.set(key, make());
		return this.derivedData.get(key) as T;
	}

	/** Calls `listener` with each file whose functions change from now on; returns the unsubscriber. */
	onFileChange(listener: (rel: string) => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/** Files that have any owner (function or initialised variable). */
	files(): string[] {
		return this.fileNames.filter((_, id) => this.data[id] !== undefined);
	}

	/** The function in `file` whose definition starts last at or before the position: the one holding it, in kernel style. */
	enclosingFunction(file: string, line: number, character: number): FunctionRecord | undefined {
		const fileId = this.fileIds.get(file);
		const fns = fileId === undefined ? undefined : this.data[fileId];
		if (fileId === undefined || !fns) return undefined;
		let best = -1;
		for (let o = 0, k = 0; k < fns.owners.length; o++, k += OWNER_STRIDE) {
			if (fns.owners[k + 3] & OWNER_VARIABLE) continue;
			const l = fns.owners[k + 1];
			if (l > line || (l === line && fns.owners[k + 2] > character)) continue;
			if (best < 0 || l > fns.owners[best * OWNER_STRIDE + 1] || (l === fns.owners[best * OWNER_STRIDE + 1] && fns.owners[k + 2] > fns.owners[best * OWNER_STRIDE + 2])) best = o;
		}
		return best < 0 ? undefined : this.record(fileId, best);
	}

	/** Whether any file defines a function `name`, without building records. */
	hasFunction(name: string): boolean {
		const id = this.nameIds.get(name);
		return id !== undefined && this.lookup(id, 'defs').some(([f, o]) => this.isFunction(f, o));
	}

	/** Initialised variables (ops tables, usually) named `name`: the owners whose initializers name functions. */
	variablesOf(name: string): FunctionRecord[] {
		const id = this.nameIds.get(name);
		if (id === undefined) return [];
		return this.lookup(id, 'defs')
			.filter(([f, o]) => !this.isFunction(f, o))
			.map(([f, o]) => this.record(f, o));
	}

	/**
	 * Names with a function definition that `match` accepts, in name-table order, at most
	 * `limit` of them: a scan of the name table, no map of every function built.
	 */
	searchFunctions(match: (name: string) => boolean, limit: number): string[] {
		const out: string[] = [];
		for (let id = 0; id < this.names.length && out.length < limit; id++) {
			if (!match(this.names[id])) continue;
			if (this.lookup(id, 'defs').some(([f, o]) => this.isFunction(f, o))) out.push(this.names[id]);
		}
		return out;
	}
}
