/**
 * The lexical pass behind ops dispatch, for one C file: what the function scanner does not
 * record because a call through a pointer names no function.
 *
 * - member calls `x->ops->page_free(page)`, `ops.release(inode)`, `(*p->fn)(arg)`: the member,
 *   the identifier the member is taken from (`ops`), and the struct type that identifier was
 *   last declared with in this file (`const struct dev_pagemap_ops *ops = ...`), if any;
 * - bindings, which function serves which member: designated initializers of struct
 *   variables (`static const struct dev_pagemap_ops drv_ops = { .page_free = drv_free }`,
 *   arrays of them, nested ones with the inner type unknown) and plain assignments
 *   (`pgmap->page_free = drv_free;`, typed through the base identifier's declaration);
 * - declarations `struct T *name` (fields, parameters, locals), which type member-call bases.
 *
 * Comments, literals and preprocessor lines are blanked first, keeping offsets, so macro
 * bodies contribute nothing (as in the function scanner).
 */
import { blankNonCode, LineMap } from '../lex';

export interface MemberCall {
	member: string;
	/** The identifier the member is read from, when the base ends in one. */
	base?: string;
	/** The struct type of the nearest earlier declaration of `base` in this file. */
	baseType?: string;
	/** 0-based, of the member name. */
	line: number;
	character: number;
}

export interface OpsBinding {
	member: string;
	/** The function bound (a plain identifier value). */
	fn: string;
	/** The struct type the member belongs to, when the pass can tell. */
	struct?: string;
	/** The initialised variable, for designated initializers. */
	table?: string;
	/** For assignments: the identifier the member is taken from (types it when `struct` is unknown). */
	base?: string;
	kind: 'initializer' | 'assignment';
	/** 0-based, of the function's name. */
	line: number;
	character: number;
}

export interface OpsScan {
	calls: MemberCall[];
	bindings: OpsBinding[];
	/** (identifier, struct type) of every `struct T *identifier` declaration, in order. */
	declarations: [string, string][];
}

type Bind = (member: string, fn: string, offset: number, kind: OpsBinding['kind'], struct?: string, table?: string, base?: string) => void;

const STRUCT_RE = /\bstruct\s+([A-Za-z_]\w*)/g;
// `\s*(?:X\s*)?`, never `\s*X?\s*`: blanked literals leave long blank runs that the latter backtracks over quadratically.
const MEMBER_CALL_RE = /(->|\.)\s*([A-Za-z_]\w*)\s*(?:\)\s*)?\(/g;
const ASSIGN_RE = /(->|\.)\s*([A-Za-z_]\w*)\s*=\s*(?:&\s*)?([A-Za-z_]\w*)\s*;/g;
/** Words between a struct tag and the declared name. */
const QUALIFIER_RE = /^(const|volatile|restrict|__\w+)$/;

function isIdent(c: number): boolean {
	return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

function isSpace(c: number): boolean {
	return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
}

/** Copies a slice so that a long-lived name does not keep the whole file text alive. */
function own(s: string): string {
	return s.length < 13 ? s : (' ' + s).slice(1);
}

function skipSpace(text: string, i: number): number {
	while (i < text.length && isSpace(text.charCodeAt(i))) i++;
	return i;
}

function identAt(text: string, i: number): string | undefined {
	let j = i;
	while (j < text.length && isIdent(text.charCodeAt(j))) j++;
	const c = text.charCodeAt(i);
	return j > i && !(c >= 48 && c <= 57) ? text.slice(i, j) : undefined;
}

/** The identifier that ends just before `end` (past blanks, `[...]` subscripts); undefined for `)` or anything else. */
function baseBefore(text: string, end: number): string | undefined {
	let i = end - 1;
	while (i >= 0 && isSpace(text.charCodeAt(i))) i--;
	if (text.charCodeAt(i) === 93 /* ] */) {
		let depth = 0;
		for (; i >= 0; i--) {
			const c = text.charCodeAt(i);
			if (c === 93) depth++;
			else if (c === 91 && --depth === 0) break;
		}
		i--;
		while (i >= 0 && isSpace(text.charCodeAt(i))) i--;
	}
	const stop = i + 1;
	while (i >= 0 && isIdent(text.charCodeAt(i))) i--;
	return stop > i + 1 ? identAt(text, i + 1) : undefined;
}

/** Past the group opened at `open` (a `(` or `[`); the text's end if it never closes. */
function skipGroup(text: string, open: number): number {
	const o = text.charCodeAt(open);
	const c = o === 40 ? 41 : 93;
	let depth = 0;
	for (let i = open; i < text.length; i++) {
		const ch = text.charCodeAt(i);
		if (ch === o) depth++;
		else if (ch === c && --depth === 0) return i + 1;
	}
	return text.length;
}

/**
 * One file's member calls, bindings and declarations. `isFunction` decides which bound names
 * are functions (the tree's call graph knows); without it every plain identifier counts.
 */
export function scanOps(text: string, isFunction: (name: string) => boolean = () => true): OpsScan {
	const src = blankNonCode(text);
	const lines = new LineMap(src);
	const declarations: [string, string][] = [];
	const bindings: OpsBinding[] = [];
	/** Declaration offsets with their names and types, in order, to type member-call bases. */
	const declAt: [number, string, string][] = [];

	const bind: Bind = (member, fn, offset, kind, struct, table, base) => {
		if (!isFunction(fn)) return;
		const b: OpsBinding = { member: own(member), fn: own(fn), kind, ...lines.position(offset) };
		if (struct) b.struct = own(struct);
		if (table) b.table = own(table);
		if (base) b.base = own(base);
		bindings.push(b);
	};

	for (const m of src.matchAll(STRUCT_RE)) {
		const tag = m[1];
		let i = skipSpace(src, (m.index as number) + m[0].length);
		// Type words between the tag and the name: `*`, `const`, `__rcu`, `__iomem`.
		let name: string | undefined;
		let nameAt = -1;
		for (;;) {
			if (src.charCodeAt(i) === 42 /* * */) {
				i = skipSpace(src, i + 1);
				continue;
			}
			const word = identAt(src, i);
			if (!word) break;
			if (QUALIFIER_RE.test(word)) {
				i = skipSpace(src, i + word.length);
				continue;
			}
			name = word;
			nameAt = i;
			i = skipSpace(src, i + word.length);
			break;
		}
		if (!name) continue;
		if (src.charCodeAt(i) === 91 /* [ */) i = skipSpace(src, skipGroup(src, i));
		// Attributes after the name: `__initdata`, `__aligned(8)`.
		for (let word = identAt(src, i); word?.startsWith('__'); word = identAt(src, i)) {
			i = skipSpace(src, i + word.length);
			if (src.charCodeAt(i) === 40) i = skipSpace(src, skipGroup(src, i));
		}
		const next = src.charCodeAt(i);
		if (next !== 59 && next !== 44 && next !== 41 && next !== 61 && next !== 58 /* ; , ) = : */) continue;
		declarations.push([own(name), own(tag)]);
		declAt.push([nameAt, name, tag]);
		if (next !== 61) continue;
		const brace = skipSpace(src, i + 1);
		if (src.charCodeAt(brace) === 123 /* { */) readInitializer(src, brace, tag, name, bind);
	}

	/** The type of `base` as declared last before `offset` in this file. */
	let d = 0;
	const lastType = new Map<string, string>();
	const typeBefore = (base: string, offset: number) => {
		while (d < declAt.length && declAt[d][0] < offset) {
			lastType.set(declAt[d][1], declAt[d][2]);
			d++;
		}
		return lastType.get(base);
	};

	const calls: MemberCall[] = [];
	for (const m of src.matchAll(MEMBER_CALL_RE)) {
		const at = m.index as number;
		// `1.f(`, `...(`: no member access.
		if (m[1] === '.' && at > 0 && (src.charCodeAt(at - 1) === 46 || (src.charCodeAt(at - 1) >= 48 && src.charCodeAt(at - 1) <= 57))) continue;
		const base = baseBefore(src, at);
		const call: MemberCall = { member: own(m[2]), ...lines.position(at + m[0].indexOf(m[2], m[1].length)) };
		if (base) {
			call.base = own(base);
			const type = typeBefore(base, at);
			if (type) call.baseType = own(type);
		}
		calls.push(call);
	}

	// Assignments: the member belongs to the base's type. `typeBefore` only moves forward, so restart it.
	d = 0;
	lastType.clear();
	for (const m of src.matchAll(ASSIGN_RE)) {
		const at = m.index as number;
		const base = baseBefore(src, at);
		bind(m[2], m[3], at + m[0].lastIndexOf(m[3]), 'assignment', base ? typeBefore(base, at) : undefined, undefined, base);
	}
	return { calls, bindings, declarations };
}

/**
 * The entries `.member = fn` / `.member = &fn` of the initializer whose `{` is at `open`,
 * for a variable of struct type `tag`. Braces opened by `.field = {` hold a nested struct of
 * unknown type; other braces (array elements, `[IDX] = {`) keep the enclosing type.
 */
function readInitializer(src: string, open: number, tag: string, table: string, bind: Bind): void {
	const types: (string | undefined)[] = [];
	let pendingField = false;
	for (let i = open; i < src.length; ) {
		const c = src.charCodeAt(i);
		if (c === 123 /* { */) {
			types.push(types.length === 0 ? tag : pendingField ? undefined : types[types.length - 1]);
			pendingField = false;
			i++;
		} else if (c === 125 /* } */) {
			types.pop();
			if (types.length === 0) return;
			i++;
		} else if (c === 46 /* . */ && !isIdent(src.charCodeAt(i - 1))) {
			const field = identAt(src, skipSpace(src, i + 1));
			if (!field) {
				i++;
				continue;
			}
			let j = skipSpace(src, skipSpace(src, i + 1) + field.length);
			if (src.charCodeAt(j) !== 61 /* = */ || src.charCodeAt(j + 1) === 61) {
				i = j;
				continue;
			}
			j = skipSpace(src, j + 1);
			if (src.charCodeAt(j) === 123) {
				pendingField = true;
				i = j;
				continue;
			}
			if (src.charCodeAt(j) === 38 /* & */) j = skipSpace(src, j + 1);
			const value = identAt(src, j);
			if (value) {
				const after = skipSpace(src, j + value.length);
				const end = src.charCodeAt(after);
				if (end === 44 || end === 125) bind(field, value, j, 'initializer', types[types.length - 1], table);
				i = after;
			} else i = j;
		} else if (c === 59 /* ; */) return;
		else i++;
	}
}

/**
 * A file's ops scan packed for transfer and the cache: `names` joined by newlines, `data` the
 * three counts (calls, bindings, declarations), then CALL_STRIDE numbers per call (member,
 * base, baseType, line, character), BINDING_STRIDE per binding (member, fn, struct, table,
 * base, kind, line, character) and two per distinct declaration (name, type); names are
 * indexes into `names`, -1 for absent.
 */
export interface PackedOps {
	names: string;
	data: Int32Array;
}

const CALL_STRIDE = 5;
const BINDING_STRIDE = 8;

export function packOps(scan: OpsScan): PackedOps {
	const ids = new Map<string, number>();
	const id = (name: string | undefined) => {
		if (name === undefined) return -1;
		let k = ids.get(name);
		if (k === undefined) ids.set(name, (k = ids.size));
		return k;
	};
	// Each (name, type) once: the ops index keeps only the set of types per name, and a file
	// declares `struct device *dev` in function after function.
	const declarations = new Map<string, [string, string]>();
	for (const d of scan.declarations) declarations.set(`${d[0]} ${d[1]}`, d);
	const data = new Int32Array(3 + scan.calls.length * CALL_STRIDE + scan.bindings.length * BINDING_STRIDE + declarations.size * 2);
	data[0] = scan.calls.length;
	data[1] = scan.bindings.length;
	data[2] = declarations.size;
	let o = 3;
	for (const c of scan.calls) {
		data.set([id(c.member), id(c.base), id(c.baseType), c.line, c.character], o);
		o += CALL_STRIDE;
	}
	for (const b of scan.bindings) {
		data.set([id(b.member), id(b.fn), id(b.struct), id(b.table), id(b.base), b.kind === 'initializer' ? 0 : 1, b.line, b.character], o);
		o += BINDING_STRIDE;
	}
	for (const [name, type] of declarations.values()) {
		data[o++] = id(name);
		data[o++] = id(type);
	}
	return { names: [...ids.keys()].join('\n'), data };
}

/** The scan `packed` holds, keeping the bindings whose function `isFunction` accepts. */
export function unpackOps(packed: PackedOps, isFunction: (name: string) => boolean = () => true): OpsScan {
	const names = packed.names === '' ? [] : packed.names.split('\n');
	const d = packed.data;
	const name = (k: number) => (k < 0 ? undefined : names[k]);
	const calls: MemberCall[] = [];
	const bindings: OpsBinding[] = [];
	const declarations: [string, string][] = [];
	let o = 3;
	for (let k = 0; k < d[0]; k++, o += CALL_STRIDE) {
		const call: MemberCall = { member: names[d[o]], line: d[o + 3], character: d[o + 4] };
		if (d[o + 1] >= 0) call.base = names[d[o + 1]];
		if (d[o + 2] >= 0) call.baseType = names[d[o + 2]];
		calls.push(call);
	}
	for (let k = 0; k < d[1]; k++, o += BINDING_STRIDE) {
		const fn = names[d[o + 1]];
		if (!isFunction(fn)) continue;
		const b: OpsBinding = { member: names[d[o]], fn, kind: d[o + 5] === 0 ? 'initializer' : 'assignment', line: d[o + 6], character: d[o + 7] };
		const struct = name(d[o + 2]);
		const table = name(d[o + 3]);
		const base = name(d[o + 4]);
		if (struct) b.struct = struct;
		if (table) b.table = table;
		if (base) b.base = base;
		bindings.push(b);
	}
	for (let k = 0; k < d[2]; k++, o += 2) declarations.push([names[d[o]], names[d[o + 1]]]);
	return { calls, bindings, declarations };
}
