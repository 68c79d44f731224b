/**
 * The module-wide picture the hmm_devmem migrations share: where the driver keeps its
 * `struct hmm_devmem *` (a struct member or a global: a "holder"), which locals and
 * parameters alias it, every use of those, the hmm_devmem_add*() calls, and the ops
 * callbacks. From it comes the conversion itself, as edits: the holder becomes an embedded
 * `struct dev_pagemap`, aliases become `struct dev_pagemap *`, and every use is rewritten
 * (kernel-facts.md "Migrating a caller": pfn_first/pfn_last into range arithmetic,
 * devmem->device into the driver's own device pointer, container_of on page->pgmap).
 *
 * Every edit is computed from this one analysis, so the edits of different migrations on
 * the same span are identical, and merging them is a union.
 */
import type { Doc, Edit, Remark, SyntaxNode } from './types';
import type { KernelShape } from './shape';
import {
	callArgs,
	calleeName,
	declaredName,
	deleteLines,
	enclosing,
	indentAt,
	isPointerDeclarator,
	lineStart,
	nextLineStart,
	nodes,
	src,
	structTag,
} from './syntax';

export const ADD_APIS = ['hmm_devmem_add', 'hmm_devmem_add_resource'] as const;
export type AddApi = (typeof ADD_APIS)[number];

/** How a driver structure reaches its device: `p->dev`, `&p->dev`, `&p->pdev->dev`, or a member we add. */
export interface DeviceAccess {
	how: 'ptr' | 'embedded' | 'sub' | 'add';
	field: string;
}

export interface MemberHolder {
	kind: 'member';
	doc: Doc;
	decl: SyntaxNode;
	struct: string;
	field: string;
	newField: string;
	device: DeviceAccess;
	base: string;
	needsDevice: boolean;
}

export interface GlobalHolder {
	kind: 'global';
	doc: Doc;
	decl: SyntaxNode;
	name: string;
	newName: string;
	devName: string;
	base: string;
	needsDevice: boolean;
}

export type Holder = MemberHolder | GlobalHolder;

/** A struct hmm_devmem-valued expression and what it becomes. */
export interface PagemapRef {
	holder?: Holder;
	/** A `struct dev_pagemap *` expression. */
	ptr: string;
	/** The pagemap as an lvalue when it has a plain one (`drv->pagemap`). */
	lv?: string;
	/** The driver structure that holds it (member holders). */
	owner?: string;
}

export interface AddSite {
	doc: Doc;
	api: AddApi;
	call: SyntaxNode;
	fn: SyntaxNode;
	holder?: Holder;
	/** `&drv->pagemap`: what the helper fills. */
	pagemapPtr?: string;
	/** The driver structure expression (member holders). */
	owner?: string;
	devArg: string;
	/** Name of the local that takes the result when the holder itself was assigned. */
	tmp?: string;
	/** `drv->devmem = devmem;` after an add into a local. */
	store?: SyntaxNode;
}

export interface Callback {
	doc: Doc;
	fn: SyntaxNode;
	role: 'free' | 'fault';
}

export interface DevmemModel {
	holders: Holder[];
	adds: AddSite[];
	callbacks: Map<string, Callback>;
	/** The conversion's edits (holders, aliases, uses, result locals). */
	edits: Edit[];
	left: Remark[];
	/** The pointer and device expressions of a devmem expression (for hmm_devmem_remove). */
	refOf(doc: Doc, node: SyntaxNode): { ref: PagemapRef; dev?: string } | undefined;
}

const ERR_HELPERS = new Set(['IS_ERR', 'PTR_ERR', 'ERR_CAST', 'PTR_ERR_OR_ZERO', 'IS_ERR_OR_NULL']);

export function pagemapField(shape: KernelShape, which: 'start' | 'end' | 'range'): string {
	if (which === 'range') return shape.hasRange ? 'range' : 'res';
	return `${shape.hasRange ? 'range' : 'res'}.${which}`;
}

function access(ref: PagemapRef, field: string): string {
	return ref.lv ? `${ref.lv}.${field}` : `${ref.ptr}->${field}`;
}

function deviceText(h: Holder, owner: string | undefined): string | undefined {
	if (h.kind === 'global') {
		h.needsDevice = true;
		return h.devName;
	}
	if (!owner) return undefined;
	const d = h.device;
	if (d.how === 'add') h.needsDevice = true;
	switch (d.how) {
		case 'ptr':
		case 'add':
			return `${owner}->${d.field}`;
		case 'embedded':
			return `&${owner}->${d.field}`;
		case 'sub':
			return `&${owner}->${d.field}->dev`;
	}
}

/** Columns a line prefix takes with 8-column tabs. */
export function visualWidth(text: string): number {
	let col = 0;
	for (const ch of text) col = ch === '\t' ? (Math.floor(col / 8) + 1) * 8 : col + 1;
	return col;
}

/** Tabs (or one space) that take a line from column `from` to `to`, kernel alignment style. */
export function padTo(from: number, to: number): string {
	if (from >= to) return ' ';
	let out = '';
	for (let col = from; col < to; col = (Math.floor(col / 8) + 1) * 8) out += '\t';
	return out;
}

function baseName(name: string): string {
	return name.replace(/_?devmem$/, '').replace(/_$/, '');
}

function deviceAccessOf(structBody: SyntaxNode): DeviceAccess {
	let best: DeviceAccess | undefined;
	const rank = { ptr: 0, embedded: 1, sub: 2, add: 3 };
	const names = new Set<string>();
	for (const f of structBody.namedChildren) {
		if (f?.type !== 'field_declaration') continue;
		const tag = structTag(f.childForFieldName('type'));
		const d = f.childForFieldName('declarator');
		const name = declaredName(d)?.text;
		if (!name) continue;
		names.add(name);
		let how: DeviceAccess['how'] | undefined;
		if (tag === 'device') how = isPointerDeclarator(d) ? 'ptr' : d?.type === 'field_identifier' ? 'embedded' : undefined;
		else if (tag && (tag === 'pci_dev' || /_device$/.test(tag)) && isPointerDeclarator(d) && d?.childForFieldName('declarator')?.type === 'field_identifier') how = 'sub';
		if (how && (!best || rank[how] < rank[best.how])) best = { how, field: name };
	}
	return best ?? { how: 'add', field: names.has('dev') ? 'pagemap_dev' : 'dev' };
}

function fieldNames(structBody: SyntaxNode): Set<string> {
	const names = new Set<string>();
	for (const f of structBody.namedChildren) {
		if (f?.type !== 'field_declaration') continue;
		for (const d of f.childrenForFieldName('declarator')) {
			const n = declaredName(d)?.text;
			if (n) names.add(n);
		}
	}
	return names;
}

function isDevmemType(typeNode: SyntaxNode | null): boolean {
	return structTag(typeNode) === 'hmm_devmem';
}

/** Parameters and locals of a function declared `struct hmm_devmem *name`. */
function aliasNames(fn: SyntaxNode): Set<string> {
	const names = new Set<string>();
	for (const decl of nodes(fn, ['parameter_declaration', 'declaration'])) {
		if (!isDevmemType(decl.childForFieldName('type'))) continue;
		for (const d of decl.childrenForFieldName('declarator')) {
			const target = d?.type === 'init_declarator' ? d.childForFieldName('declarator') : d;
			if (isPointerDeclarator(target)) {
				const id = declaredName(target);
				if (id) names.add(id.text);
			}
		}
	}
	return names;
}

/** Names declared in a function (they shadow globals). */
function localNames(fn: SyntaxNode): Set<string> {
	const names = new Set<string>();
	for (const decl of nodes(fn, ['parameter_declaration', 'declaration'])) {
		for (const d of decl.childrenForFieldName('declarator')) {
			const id = declaredName(d?.type === 'init_declarator' ? d.childForFieldName('declarator') : d);
			if (id) names.add(id.text);
		}
	}
	return names;
}

function isDeclaratorName(node: SyntaxNode): boolean {
	const p = node.parent;
	if (!p) return false;
	if (p.type === 'init_declarator') return p.childForFieldName('declarator')?.id === node.id;
	return ['pointer_declarator', 'function_declarator', 'array_declarator', 'parameter_declaration', 'declaration'].includes(p.type);
}

function fieldOp(node: SyntaxNode): string | undefined {
	return node.type === 'field_expression' ? node.child(1)?.type : undefined;
}

/** Ops tables of the old type and the callbacks they name. */
function findCallbacks(docs: ReadonlyMap<string, Doc>): Map<string, Callback> {
	const names = new Map<string, 'free' | 'fault'>();
	for (const doc of docs.values()) {
		for (const decl of nodes(doc.tree.rootNode, 'declaration')) {
			if (structTag(decl.childForFieldName('type')) !== 'hmm_devmem_ops') continue;
			for (const pair of nodes(decl, 'initializer_pair')) {
				const field = pair.childForFieldName('designator')?.namedChild(0)?.text;
				let value = pair.childForFieldName('value');
				if (value?.type === 'pointer_expression') value = value.childForFieldName('argument');
				if ((field === 'free' || field === 'fault') && value?.type === 'identifier') names.set(value.text, field);
			}
		}
	}
	const out = new Map<string, Callback>();
	for (const doc of docs.values()) {
		for (const fn of nodes(doc.tree.rootNode, 'function_definition')) {
			const name = declaredName(fn.childForFieldName('declarator'))?.text;
			const role = name && names.get(name);
			if (!name || !role) continue;
			const params = fn.childForFieldName('declarator')?.childForFieldName('parameters')?.namedChildren ?? [];
			const first = params[0];
			const expected = role === 'free' ? 2 : 6;
			if (params.length === expected && first && isDevmemType(first.childForFieldName('type'))) out.set(name, { doc, fn, role });
		}
	}
	return out;
}

/** Which holder a struct hmm_devmem-valued expression stands for, and what it becomes. */
class Refs {
	private readonly memberByField = new Map<string, MemberHolder[]>();
	private readonly globals: Map<string, GlobalHolder>;
	/** The module's only holder: what an alias stored nowhere stands for. */
	private readonly unique: Holder | undefined;
	private readonly aliasCache = new Map<number, Set<string>>();
	private readonly localCache = new Map<number, Set<string>>();

	constructor(holders: Holder[]) {
		for (const h of holders) if (h.kind === 'member') this.memberByField.set(h.field, [...(this.memberByField.get(h.field) ?? []), h]);
		this.globals = new Map(holders.filter((h): h is GlobalHolder => h.kind === 'global').map((h) => [h.name, h]));
		this.unique = holders.length === 1 ? holders[0] : undefined;
	}

	aliasesOf(fn: SyntaxNode): Set<string> {
		let s = this.aliasCache.get(fn.id);
		if (!s) this.aliasCache.set(fn.id, (s = aliasNames(fn)));
		return s;
	}

	localsOf(fn: SyntaxNode): Set<string> {
		let s = this.localCache.get(fn.id);
		if (!s) this.localCache.set(fn.id, (s = localNames(fn)));
		return s;
	}

	/** The holder a member or global expression stands for. */
	direct(node: SyntaxNode, doc: Doc): PagemapRef | undefined {
		if (node.type === 'field_expression' && fieldOp(node) === '->') {
			const field = node.childForFieldName('field')?.text;
			const list = field ? this.memberByField.get(field) : undefined;
			if (!list) return undefined;
			if (list.length > 1) return undefined;
			const h = list[0];
			const owner = src(doc, node.childForFieldName('argument')!);
			const lv = `${owner}->${h.newField}`;
			return { holder: h, ptr: `&${lv}`, lv, owner };
		}
		if (node.type === 'identifier') {
			const g = this.globals.get(node.text);
			if (!g) return undefined;
			const fn = enclosing(node, 'function_definition');
			if (fn && this.localsOf(fn).has(node.text)) return undefined;
			return { holder: g, ptr: `&${g.newName}`, lv: g.newName };
		}
		return undefined;
	}

	/** Where a local alias is stored: `drv->devmem = devmem;` in the same function. */
	storeOf(fn: SyntaxNode, doc: Doc, alias: string): { stmt: SyntaxNode; ref: PagemapRef } | undefined {
		for (const a of nodes(fn, 'assignment_expression')) {
			const right = a.childForFieldName('right');
			const l = a.childForFieldName('left');
			if (right?.type !== 'identifier' || right.text !== alias || !l) continue;
			const ref = this.direct(l, doc);
			if (ref && a.parent?.type === 'expression_statement') return { stmt: a.parent, ref };
		}
		return undefined;
	}

	/** A local or parameter of type struct hmm_devmem *: the holder it was stored in, else the only one. */
	alias(node: SyntaxNode, doc: Doc): PagemapRef | undefined {
		if (node.type !== 'identifier') return undefined;
		const fn = enclosing(node, 'function_definition');
		if (!fn || !this.aliasesOf(fn).has(node.text)) return undefined;
		const store = this.storeOf(fn, doc, node.text);
		const holder = store?.ref.holder ?? this.unique;
		const owner =
			store?.ref.owner ?? (holder?.kind === 'member' ? `container_of(${node.text}, struct ${holder.struct}, ${holder.newField})` : undefined);
		return { holder, ptr: node.text, owner };
	}

	/** DevmemModel.refOf. Asking for the device marks a holder that lacks one as needing it. */
	of(doc: Doc, node: SyntaxNode): { ref: PagemapRef; dev?: string } | undefined {
		const ref = this.direct(node, doc) ?? this.alias(node, doc);
		if (!ref) return undefined;
		return { ref, dev: ref.holder ? deviceText(ref.holder, ref.owner) : undefined };
	}
}

/** The result local that takes an add's pagemap in its function (the holder is assigned only once it is set up). */
interface ResultLocal {
	name: string;
	after: number;
	ref: PagemapRef;
}

/** What the phases of buildModel share: their findings so far and the edits and remarks they add. */
interface Build {
	docs: ReadonlyMap<string, Doc>;
	shape: KernelShape;
	holders: Holder[];
	refs: Refs;
	adds: AddSite[];
	/** The result locals of each function (by node id). */
	locals: Map<number, ResultLocal[]>;
	/** Statements storing the old pointer (`drv->devmem = devmem;`), which go. */
	storeDeletes: { doc: Doc; stmt: SyntaxNode }[];
	edits: Edit[];
	left: Remark[];
}

function leave(left: Remark[], doc: Doc, node: SyntaxNode, reason: string): void {
	left.push({ file: doc.file, start: node.startIndex, end: node.endIndex, reason });
}

function replace(b: Build, doc: Doc, node: SyntaxNode, text: string): void {
	b.edits.push({ file: doc.file, start: node.startIndex, end: node.endIndex, text });
}

/** Whether a holder gets a `struct device *` we add (globals, and structs with no device of their own). */
function addsDevice(h: Holder): boolean {
	return h.needsDevice && (h.kind === 'global' || h.device.how === 'add');
}

/**
 * The analysis, in phases that run in this order: each reads what the earlier ones found,
 * and the order of the edits they add decides how equal-offset insertions merge.
 */
export function buildModel(docs: ReadonlyMap<string, Doc>, shape: KernelShape): DevmemModel {
	const callbacks = findCallbacks(docs);
	const left: Remark[] = [];
	const holders = findHolders(docs, left);
	const b: Build = { docs, shape, holders, refs: new Refs(holders), adds: [], locals: new Map(), storeDeletes: [], edits: [], left };
	findAdds(b);
	rewriteUses(b);
	noteRemoveDevices(b);
	declareResultLocals(b);
	dropStoresAndSetDevices(b);
	convertDeclarations(b, callbacks);
	return { holders, adds: b.adds, callbacks, edits: b.edits, left, refOf: (doc, node) => b.refs.of(doc, node) };
}

/** Holders: struct members and globals of type struct hmm_devmem *. */
function findHolders(docs: ReadonlyMap<string, Doc>, left: Remark[]): Holder[] {
	const holders: Holder[] = [];
	for (const doc of docs.values()) {
		for (const f of nodes(doc.tree.rootNode, 'field_declaration')) {
			if (!isDevmemType(f.childForFieldName('type'))) continue;
			const body = f.parent;
			const spec = body?.parent;
			const tag = spec?.type === 'struct_specifier' ? spec.childForFieldName('name')?.text : undefined;
			const d = f.childForFieldName('declarator');
			const name = declaredName(d)?.text;
			if (!body || !tag || !name || !isPointerDeclarator(d) || f.childrenForFieldName('declarator').length !== 1) {
				leave(left, doc, f, 'a struct hmm_devmem member this migration cannot convert (anonymous struct, several declarators or not a pointer)');
				continue;
			}
			const taken = fieldNames(body);
			const newField = taken.has('pagemap') ? `${name}_pagemap` : 'pagemap';
			holders.push({ kind: 'member', doc, decl: f, struct: tag, field: name, newField, device: deviceAccessOf(body), base: tag, needsDevice: false });
		}
		for (const decl of doc.tree.rootNode.namedChildren) {
			if (decl?.type !== 'declaration' || !isDevmemType(decl.childForFieldName('type'))) continue;
			const ds = decl.childrenForFieldName('declarator');
			const d = ds[0];
			if (ds.length !== 1 || !isPointerDeclarator(d) || d?.childForFieldName('declarator')?.type !== 'identifier') continue;
			const name = declaredName(d)!.text;
			const base = baseName(name);
			const newName = base ? `${base}_pagemap` : 'pagemap';
			holders.push({ kind: 'global', doc, decl, name, newName, devName: `${newName}_dev`, base, needsDevice: false });
		}
	}
	return holders;
}

/** The add function a call calls, if any. */
function addApiOf(call: SyntaxNode): AddApi | undefined {
	const name = calleeName(call);
	return (ADD_APIS as readonly (string | undefined)[]).includes(name) ? (name as AddApi) : undefined;
}

/** The parts of an add call of the shape the conversion takes: its result assigned, three arguments, inside a function. */
export function addCallParts(call: SyntaxNode): { fn: SyntaxNode; args: SyntaxNode[]; lhs: SyntaxNode } | undefined {
	const fn = enclosing(call, 'function_definition');
	const args = callArgs(call);
	const parent = call.parent;
	let lhs: SyntaxNode | null | undefined;
	if (parent?.type === 'assignment_expression' && parent.childForFieldName('right')?.id === call.id) lhs = parent.childForFieldName('left');
	else if (parent?.type === 'init_declarator') lhs = declaredName(parent.childForFieldName('declarator'));
	return fn && args.length === 3 && lhs ? { fn, args, lhs } : undefined;
}

/** The hmm_devmem_add*() calls, each with the holder it fills. */
function findAdds(b: Build): void {
	const { holders, refs } = b;
	for (const doc of b.docs.values()) {
		for (const call of nodes(doc.tree.rootNode, 'call_expression')) {
			const api = addApiOf(call);
			if (!api) continue;
			const parts = addCallParts(call);
			if (!parts) {
				leave(b.left, doc, call, `${api}(): only a call whose result is assigned, with three arguments, inside a function, is migrated`);
				continue;
			}
			const { fn, args, lhs } = parts;
			const site: AddSite = { doc, api, call, fn, devArg: src(doc, args[1]) };
			const direct = refs.direct(lhs, doc);
			if (direct) {
				site.holder = direct.holder;
				site.pagemapPtr = direct.ptr;
				site.owner = direct.owner;
				const used = refs.localsOf(fn);
				site.tmp = ['pgmap', 'pagemap', 'new_pgmap'].find((n) => !used.has(n)) ?? 'kmm_pgmap';
				b.locals.set(fn.id, [...(b.locals.get(fn.id) ?? []), { name: site.tmp, after: call.startIndex, ref: direct }]);
			} else if (lhs.type === 'identifier' && refs.aliasesOf(fn).has(lhs.text)) {
				const store = refs.storeOf(fn, doc, lhs.text);
				const h = store?.ref.holder ?? (holders.length === 1 && holders[0].kind === 'global' ? holders[0] : undefined);
				if (h) {
					site.holder = h;
					site.pagemapPtr = store?.ref.ptr ?? `&${(h as GlobalHolder).newName}`;
					site.owner = store?.ref.owner;
					site.store = store?.stmt;
				}
			}
			if (!site.holder) {
				leave(b.left, doc, call, `${api}(): cannot tell where the driver keeps this device memory (no struct member or global of type struct hmm_devmem * receives it)`);
				continue;
			}
			b.adds.push(site);
		}
	}
}

/** Every use of a holder or alias, each rewritten once. */
function rewriteUses(b: Build): void {
	const handled = new Set<string>();
	const visit = (doc: Doc, n: SyntaxNode, ref: PagemapRef): void => {
		const key = `${doc.file}:${n.startIndex}:${n.endIndex}`;
		if (handled.has(key)) return;
		handled.add(key);
		rewriteUse(b, doc, n, ref);
	};
	for (const doc of b.docs.values()) {
		for (const fe of nodes(doc.tree.rootNode, 'field_expression')) {
			const ref = b.refs.direct(fe, doc);
			if (ref) visit(doc, fe, ref);
		}
		for (const id of nodes(doc.tree.rootNode, 'identifier')) {
			if (isDeclaratorName(id)) continue;
			const ref = b.refs.direct(id, doc) ?? b.refs.alias(id, doc);
			if (ref) visit(doc, id, ref);
		}
	}
}

function rewriteUse(b: Build, doc: Doc, n: SyntaxNode, ref: PagemapRef): void {
	const isAlias = ref.ptr === n.text && !ref.lv;
	const p = n.parent;
	if (!p) return;
	if (p.type === 'field_expression' && p.childForFieldName('argument')?.id === n.id && fieldOp(p) === '->') return rewriteMember(b, doc, p, ref);
	if (p.type === 'assignment_expression' && p.childForFieldName('left')?.id === n.id) return rewriteAssignment(b, doc, n, p, isAlias);
	if (isAlias) return;
	const fn = enclosing(n, 'function_definition');
	const call = p.type === 'argument_list' ? p.parent : undefined;
	const tmp = fn && b.locals.get(fn.id)?.find((t) => t.after < n.startIndex && t.ref.holder === ref.holder && t.ref.lv === ref.lv);
	if (tmp && call && ERR_HELPERS.has(calleeName(call) ?? '')) return replace(b, doc, n, tmp.name);
	// `if (drv->devmem)`: the embedded pagemap is set up when it has a type (0 is none).
	const cond =
		(p.type === 'parenthesized_expression' && ['if_statement', 'while_statement'].includes(p.parent?.type ?? '')) ||
		(p.type === 'unary_expression' && p.child(0)?.type === '!') ||
		(p.type === 'binary_expression' && ['&&', '||'].includes(p.child(1)?.type ?? ''));
	if (cond && ref.lv) return replace(b, doc, n, `${ref.lv}.type`);
	replace(b, doc, n, ref.ptr);
}

/** `devmem->field`: each field the driver may read becomes its dev_pagemap counterpart. */
function rewriteMember(b: Build, doc: Doc, p: SyntaxNode, ref: PagemapRef): void {
	const { shape } = b;
	const field = p.childForFieldName('field')?.text ?? '';
	const gp = p.parent;
	if (gp?.type === 'assignment_expression' && gp.childForFieldName('left')?.id === p.id) {
		leave(b.left, doc, gp, `an assignment to devmem->${field}: struct dev_pagemap has no such field to assign`);
		return;
	}
	switch (field) {
		case 'pfn_first':
			return replace(b, doc, p, `PHYS_PFN(${access(ref, pagemapField(shape, 'start'))})`);
		case 'pfn_last':
			return replace(b, doc, p, `PHYS_PFN(${access(ref, pagemapField(shape, 'end'))} + 1)`);
		case 'device': {
			const call = gp?.parent;
			const init = call?.parent;
			const h = ref.holder;
			if (
				gp?.type === 'argument_list' &&
				call?.type === 'call_expression' &&
				calleeName(call) === 'dev_get_drvdata' &&
				init?.type === 'init_declarator' &&
				h?.kind === 'member' &&
				structTag(init.parent?.childForFieldName('type') ?? null) === h.struct
			) {
				return replace(b, doc, call, `container_of(${ref.ptr}, struct ${h.struct}, ${h.newField})`);
			}
			const dev = ref.holder ? deviceText(ref.holder, ref.owner) : undefined;
			if (!dev) return leave(b.left, doc, p, 'devmem->device: cannot tell which driver structure holds this device memory');
			return replace(b, doc, p, dev);
		}
		case 'resource': {
			if (gp?.type === 'field_expression' && gp.childForFieldName('argument')?.id === p.id) {
				const sub = gp.childForFieldName('field')?.text;
				if (sub === 'start' || sub === 'end') return replace(b, doc, gp, access(ref, pagemapField(shape, sub)));
			}
			const call = gp?.parent;
			if (gp?.type === 'argument_list' && call?.type === 'call_expression' && calleeName(call) === 'resource_size') {
				const range = access(ref, pagemapField(shape, 'range'));
				return replace(b, doc, call, shape.hasRange ? `range_len(&${range})` : `resource_size(&${range})`);
			}
			return leave(b.left, doc, p, 'devmem->resource: the pagemap keeps only the range (start, end); no struct resource to point to');
		}
		case 'pagemap':
			if (gp?.type === 'pointer_expression' && gp.child(0)?.type === '&') return replace(b, doc, gp, ref.ptr);
			return replace(b, doc, p, ref.lv ?? `(*${ref.ptr})`);
		default:
			return leave(b.left, doc, p, `devmem->${field} has no counterpart in a driver-owned struct dev_pagemap`);
	}
}

/** `holder = …`: an add's result goes to its result local; a stored alias's store goes. */
function rewriteAssignment(b: Build, doc: Doc, n: SyntaxNode, p: SyntaxNode, isAlias: boolean): void {
	const right = p.childForFieldName('right');
	if (right?.type === 'call_expression' && addApiOf(right)) {
		const site = b.adds.find((a) => a.call.id === right.id);
		if (site?.tmp) replace(b, doc, n, site.tmp);
		return;
	}
	if (isAlias) return;
	if (p.parent?.type === 'expression_statement') {
		b.storeDeletes.push({ doc, stmt: p.parent });
		return;
	}
	return leave(b.left, doc, p, 'an assignment to the driver\'s struct hmm_devmem pointer inside an expression');
}

/** hmm_devmem_remove() needs the device: make sure holders that lack one get it. */
function noteRemoveDevices(b: Build): void {
	for (const doc of b.docs.values()) {
		for (const call of nodes(doc.tree.rootNode, 'call_expression')) {
			const arg = callArgs(call)[0];
			if (calleeName(call) === 'hmm_devmem_remove' && arg) b.refs.of(doc, arg);
		}
	}
}

/** The result locals of adds into a holder, after the function's declarations. */
function declareResultLocals(b: Build): void {
	for (const site of b.adds) {
		if (!site.tmp) continue;
		const body = site.fn.childForFieldName('body');
		if (!body) continue;
		let at = nextLineStart(site.doc.text, body.startIndex);
		for (const c of body.namedChildren) {
			if (c?.type !== 'declaration') break;
			at = nextLineStart(site.doc.text, c.endIndex);
		}
		b.edits.push({ file: site.doc.file, start: at, end: at, text: `\tstruct dev_pagemap *${site.tmp};\n` });
	}
}

/**
 * Stores of the old pointer go; where the driver needs a device member we add, it is set
 * before the add call, so every use after it sees the device.
 */
function dropStoresAndSetDevices(b: Build): void {
	for (const { doc, stmt } of b.storeDeletes) b.edits.push(deleteLines(doc, stmt));
	for (const site of b.adds) {
		const h = site.holder!;
		if (!addsDevice(h)) continue;
		const stmt = enclosing(site.call, 'expression_statement') ?? enclosing(site.call, 'declaration');
		if (!stmt) continue;
		const target = h.kind === 'global' ? h.devName : `${site.owner}->${h.device.field}`;
		const at = lineStart(site.doc.text, stmt.startIndex);
		b.edits.push({ file: site.doc.file, start: at, end: at, text: `${indentAt(site.doc.text, stmt.startIndex)}${target} = ${site.devArg};\n` });
	}
}

/** Declarations: holders become embedded pagemaps (with a device where one is added); aliases and prototypes change type. */
function convertDeclarations(b: Build, callbacks: Map<string, Callback>): void {
	const callbackParams = new Set<number>();
	for (const cb of callbacks.values()) {
		const first = cb.fn.childForFieldName('declarator')?.childForFieldName('parameters')?.namedChildren[0];
		if (first) callbackParams.add(first.id);
	}
	const holderDecls = new Set(b.holders.map((h) => h.decl.id));
	for (const h of b.holders) {
		const { doc, decl } = h;
		const type = decl.childForFieldName('type')!;
		const name = type.childForFieldName('name')!;
		const d = decl.childForFieldName('declarator')!;
		b.edits.push({ file: doc.file, start: name.startIndex, end: name.endIndex, text: 'dev_pagemap' });
		b.edits.push({ file: doc.file, start: d.startIndex, end: d.endIndex, text: h.kind === 'member' ? h.newField : h.newName });
		if (!addsDevice(h)) continue;
		const at = nextLineStart(doc.text, decl.endIndex);
		const head = doc.text.slice(lineStart(doc.text, decl.startIndex), type.startIndex);
		const field = h.kind === 'member' ? h.device.field : h.devName;
		const target = visualWidth(doc.text.slice(lineStart(doc.text, decl.startIndex), d.startIndex));
		const aligned = doc.text.slice(type.endIndex, d.startIndex).includes('\t');
		const text = `${head}struct device${aligned ? padTo(visualWidth(`${head}struct device`), target) : ' '}*${field};\n`;
		b.edits.push({ file: doc.file, start: at, end: at, text });
	}
	for (const doc of b.docs.values()) {
		for (const spec of nodes(doc.tree.rootNode, 'struct_specifier')) {
			if (spec.childForFieldName('name')?.text !== 'hmm_devmem' || spec.childForFieldName('body')) continue;
			const holderDecl = spec.parent;
			if (holderDecl && holderDecls.has(holderDecl.id)) continue;
			if (holderDecl?.type === 'parameter_declaration' && callbackParams.has(holderDecl.id)) continue;
			const name = spec.childForFieldName('name')!;
			b.edits.push({ file: doc.file, start: name.startIndex, end: name.endIndex, text: 'dev_pagemap' });
		}
	}
}
