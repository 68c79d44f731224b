/**
 * Ops dispatch over the whole tree: which functions an indirect call `x->ops->page_free(p)`
 * may reach, and which indirect calls may reach a function, through the bindings that
 * designated initializers and assignments make (see opsscan.ts).
 *
 * A call and a binding link when their member names agree and their struct types do not
 * contradict. The call's candidate types are its base identifier's type in its own file, or
 * else every struct type that identifier is declared with anywhere in the tree, keeping those
 * for which some binding of that member exists. No candidate left: no link (`->probe()` on a
 * struct whose probes are never bound by initializers). Candidates and a binding of known
 * type: the types must agree (a typed link). A base never declared with a struct type, or a
 * binding of unknown type: the member name alone decides (an untyped link, marked as such).
 *
 * The index's workers scan each file during the function pass and the cache keeps the scans
 * (kernel/opsscan.ts); this index unpacks them on first use, keeping the bindings of names
 * the call graph knows as functions, then follows the call graph's change notifications: a
 * changed file's new scan is unpacked on the next query.
 */
import type { FunctionRecord } from '../kernel/callgraph';
import type { KernelIndex } from '../kernel/index';
import { unpackOps, type MemberCall, type OpsBinding, type OpsScan } from '../kernel/opsscan';

/** How an ops-dispatched edge was made. */
export interface DispatchVia {
	member: string;
	/** The binding's struct type, when known. */
	struct?: string;
	/** The ops table (initialised variable) that binds the function; absent for assignments. */
	table?: string;
	/** Where the function is bound (0-based). */
	binding: { file: string; line: number; character: number };
	/** Whether the struct types of call and binding agree (not only the member name). */
	typed: boolean;
}

/** An indirect call site that may reach `callee`. */
export interface DispatchSite {
	/** The function holding the call; undefined at file level (a macro-built table, say). */
	caller?: string;
	callee: string;
	file: string;
	/** 0-based, of the member name at the site. */
	line: number;
	character: number;
	kind: 'dispatch';
	via: DispatchVia;
}

interface FileOps {
	calls: MemberCall[];
	bindings: OpsBinding[];
}

type Ref<T> = { file: string; item: T };

export class OpsIndex {
	private readonly files = new Map<string, FileOps>();
	/** Every struct type each identifier is declared with (only ever grows: a stale type merely widens a guess). */
	private readonly declared = new Map<string, Set<string>>();
	private readonly stale = new Set<string>();
	private byMember?: { calls: Map<string, Ref<MemberCall>[]>; bindings: Map<string, Ref<OpsBinding>[]>; byFn: Map<string, Ref<OpsBinding>[]> };
	private built = false;
	private readonly unsubscribe: () => void;
	/** Wall time of the tree-wide pass, in ms. */
	buildMs = 0;

	constructor(private readonly index: KernelIndex) {
		this.unsubscribe = index.graph.onFileChange((rel) => {
			this.stale.add(rel);
			this.byMember = undefined;
		});
	}

	dispose(): void {
		this.unsubscribe();
	}

	get ready(): boolean {
		return this.built;
	}

	/**
	 * Unpacks every file's scan in slices of `sliceMs`, yielding between them (a server
	 * stays responsive), and only while `mayRun()` says so (a server pauses it while the user
	 * types: on one thread, every slice delays the next diagnostics).
	 */
	async buildAsync(sliceMs = 20, mayRun: () => boolean = () => true): Promise<void> {
		if (this.built) return;
		const started = Date.now();
		const files = this.index.graph.files();
		let k = 0;
		while (k < files.length) {
			while (!mayRun()) await new Promise((resolve) => setTimeout(resolve, 250));
			if (this.built) return;
			const slice = Date.now();
			while (k < files.length && Date.now() - slice < sliceMs) this.read(files[k++]);
			await new Promise((resolve) => setImmediate(resolve));
			if (this.built) return;
		}
		this.built = true;
		this.buildMs = Date.now() - started;
	}

	/** Unpacks every file's scan, on this thread, unless done already. */
	build(): void {
		if (this.built) return;
		const started = Date.now();
		for (const rel of this.index.graph.files()) this.read(rel);
		this.built = true;
		this.buildMs = Date.now() - started;
	}

	private read(rel: string): void {
		const packed = this.index.opsOf(rel);
		if (packed) this.set(rel, unpackOps(packed, (name) => this.isFunction(name)));
		else this.files.delete(rel);
	}

	private readonly functionNames = new Map<string, boolean>();

	private isFunction(name: string): boolean {
		let known = this.functionNames.get(name);
		if (known === undefined) this.functionNames.set(name, (known = this.index.graph.hasFunction(name)));
		return known;
	}

	private set(rel: string, scan: OpsScan): void {
		for (const [name, type] of scan.declarations) {
			const set = this.declared.get(name);
			if (set) set.add(type);
			else this.declared.set(name, new Set([type]));
		}
		if (scan.calls.length === 0 && scan.bindings.length === 0) this.files.delete(rel);
		else this.files.set(rel, { calls: scan.calls, bindings: scan.bindings });
		this.byMember = undefined;
	}

	private groups() {
		if (!this.built) {
			this.build();
			this.stale.clear();
		}
		for (const rel of this.stale) this.read(rel);
		this.stale.clear();
		if (this.byMember) return this.byMember;
		const calls = new Map<string, Ref<MemberCall>[]>();
		const bindings = new Map<string, Ref<OpsBinding>[]>();
		const byFn = new Map<string, Ref<OpsBinding>[]>();
		const push = <T>(map: Map<string, Ref<T>[]>, key: string, ref: Ref<T>) => {
			const list = map.get(key);
			if (list) list.push(ref);
			else map.set(key, [ref]);
		};
		for (const [file, ops] of this.files) {
			for (const item of ops.calls) push(calls, item.member, { file, item });
			for (const item of ops.bindings) {
				push(bindings, item.member, { file, item });
				push(byFn, item.fn, { file, item });
			}
		}
		this.byMember = { calls, bindings, byFn };
		return this.byMember;
	}

	/** The struct type of a binding: its own, or for an assignment the one type its base is ever declared with. */
	private bindingType(b: OpsBinding): string | undefined {
		if (b.struct || !b.base) return b.struct;
		const types = this.declared.get(b.base);
		return types?.size === 1 ? [...types][0] : undefined;
	}

	/** The call's candidate types among those that have bindings of its member; undefined: the base has no known struct type. */
	private callTypes(call: MemberCall, bound: ReadonlySet<string>): string[] | undefined {
		if (call.baseType) return bound.has(call.baseType) ? [call.baseType] : [];
		const declared = call.base ? this.declared.get(call.base) : undefined;
		return declared ? [...declared].filter((t) => bound.has(t)) : undefined;
	}

	private boundTypes(member: string): Set<string> {
		const out = new Set<string>();
		for (const { item } of this.groups().bindings.get(member) ?? []) {
			const t = this.bindingType(item);
			if (t) out.add(t);
		}
		return out;
	}

	/** Whether `call` may dispatch to `binding`; undefined if not, else whether the link is typed. */
	private link(call: MemberCall, binding: OpsBinding, bound: ReadonlySet<string>): boolean | undefined {
		const types = this.callTypes(call, bound);
		const type = this.bindingType(binding);
		if (types === undefined) return false;
		// The base is a struct whose type has no such bindings (or only other types do): no link.
		if (types.length === 0) return undefined;
		if (!type) return false;
		return types.includes(type) ? true : undefined;
	}

	/** Definitions a binding's value names, resolved from the binding's file. */
	private targets(ref: Ref<OpsBinding>): FunctionRecord[] {
		return this.index.graph.resolve(ref.item.fn, ref.file);
	}

	private via(ref: Ref<OpsBinding>, typed: boolean): DispatchVia {
		const b = ref.item;
		const via: DispatchVia = { member: b.member, binding: { file: ref.file, line: b.line, character: b.character }, typed };
		const type = this.bindingType(b);
		if (type) via.struct = type;
		if (b.table) via.table = b.table;
		return via;
	}

	/** Bindings of `name` (its definition in `file`, when given). */
	bindingsOf(name: string, file?: string): (OpsBinding & { file: string })[] {
		return (this.groups().byFn.get(name) ?? [])
			.filter((ref) => file === undefined || this.targets(ref).some((d) => d.file === file))
			.map((ref) => ({ ...ref.item, file: ref.file }));
	}

	/** Indirect call sites that may reach `name` (its definition in `file`, when given). */
	dispatchCallersOf(name: string, file?: string): DispatchSite[] {
		const groups = this.groups();
		const out: DispatchSite[] = [];
		for (const ref of groups.byFn.get(name) ?? []) {
			if (file !== undefined && !this.targets(ref).some((d) => d.file === file)) continue;
			if (this.targets(ref).length === 0) continue;
			const bound = this.boundTypes(ref.item.member);
			for (const call of groups.calls.get(ref.item.member) ?? []) {
				const typed = this.link(call.item, ref.item, bound);
				if (typed === undefined) continue;
				const site: DispatchSite = {
					callee: name,
					file: call.file,
					line: call.item.line,
					character: call.item.character,
					kind: 'dispatch',
					via: this.via(ref, typed),
				};
				const caller = this.index.graph.enclosingFunction(call.file, call.item.line, call.item.character)?.name;
				if (caller) site.caller = caller;
				out.push(site);
			}
		}
		return out;
	}

	/** Indirect calls inside the definition of `name` in `file`, each with every function it may reach. */
	dispatchCalleesOf(name: string, file: string): DispatchSite[] {
		const groups = this.groups();
		const out: DispatchSite[] = [];
		for (const call of this.files.get(file)?.calls ?? []) {
			if (this.index.graph.enclosingFunction(file, call.line, call.character)?.name !== name) continue;
			for (const d of this.dispatchesOf(call, file, name, groups.bindings.get(call.member) ?? [])) out.push(d);
		}
		return out;
	}

	/** The functions one member call may reach (for calls read from an open document). */
	dispatchesOfCall(call: MemberCall, file: string, caller?: string): DispatchSite[] {
		return this.dispatchesOf(call, file, caller, this.groups().bindings.get(call.member) ?? []);
	}

	private dispatchesOf(call: MemberCall, file: string, caller: string | undefined, bindings: Ref<OpsBinding>[]): DispatchSite[] {
		const out: DispatchSite[] = [];
		const bound = this.boundTypes(call.member);
		for (const ref of bindings) {
			const typed = this.link(call, ref.item, bound);
			if (typed === undefined || this.targets(ref).length === 0) continue;
			const site: DispatchSite = { callee: ref.item.fn, file, line: call.line, character: call.character, kind: 'dispatch', via: this.via(ref, typed) };
			if (caller) site.caller = caller;
			out.push(site);
		}
		return out;
	}
}

const indexes = new WeakMap<KernelIndex, OpsIndex>();

/** The ops index of a kernel index, created (not yet built) on first request. */
export function opsIndexOf(index: KernelIndex): OpsIndex {
	let ops = indexes.get(index);
	if (!ops) {
		ops = new OpsIndex(index);
		indexes.set(index, ops);
	}
	return ops;
}
