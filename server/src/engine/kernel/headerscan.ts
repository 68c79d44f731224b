/**
 * What the header/macro model needs from each public header (include/, arch/<arch>/include/),
 * read by the index workers and kept in the cache, so no process reads thousands of headers
 * again to answer "is this name a macro?" or "does a header declare it?": the names it
 * `#define`s and the headers it `#include`s (first pass: macro verdicts are needed as soon as
 * exports are), and, for headers trees only, where no source says what the kernel has, its
 * file-scope function prototypes (function pass). Lines are 0-based.
 */
import { posix } from 'node:path';
import { blankComments, blankNonCode, LineMap, matchingBracket } from '../lex';
import { nameHash, slotsFor } from './name-table';

export interface HeaderFacts {
	/** `#define` names, newline-joined, and the line of each. */
	defines: string;
	defineLines: Int32Array;
	/** `#include` targets as index-relative paths (`<x.h>` is include/x.h; `"x.h"` is next to the file), and lines. */
	includes: string;
	includeLines: Int32Array;
}

/** A header's prototypes: names newline-joined, with line and character of each (PROTO_STRIDE numbers). */
export interface PackedPrototypes {
	names: string;
	at: Int32Array;
}

export const PROTO_STRIDE = 2;

/** A header a module may include, whatever the arch: the configured arch is decided at query time. */
export function isPublicHeader(rel: string): boolean {
	return rel.endsWith('.h') && (rel.startsWith('include/') || /^arch\/[^/]+\/include\//.test(rel));
}

const isBlank = (c: number) => c === 32 || c === 9;

/**
 * The `#define`s and `#include`s of a header (comments blanked: commented-out ones do not
 * count). Jumps from `#` to `#` with indexOf: this runs over every public header in the first
 * pass, where a multiline regex over the whole text cost twice as much.
 */
export function directives(file: string, text: string): HeaderFacts {
	const code = blankComments(text);
	const defines: string[] = [];
	const defineLines: number[] = [];
	const includes: string[] = [];
	const includeLines: number[] = [];
	const lines = new LineMap(code);
	for (let i = code.indexOf('#'); i >= 0; i = code.indexOf('#', i + 1)) {
		let s = i - 1;
		while (s >= 0 && isBlank(code.charCodeAt(s))) s--;
		if (s >= 0 && code.charCodeAt(s) !== 10) continue;
		let j = i + 1;
		while (isBlank(code.charCodeAt(j))) j++;
		const define = code.startsWith('define', j);
		if (!define && !code.startsWith('include', j)) continue;
		j += define ? 6 : 7;
		while (isBlank(code.charCodeAt(j))) j++;
		const line = lines.position(i).line;
		if (define) {
			IDENT_RE.lastIndex = j;
			const name = IDENT_RE.exec(code)?.[0];
			if (name) {
				defines.push(name);
				defineLines.push(line);
			}
			continue;
		}
		const open = code[j];
		const close = open === '<' ? '>' : open === '"' ? '"' : undefined;
		if (!close) continue;
		const end = code.indexOf(close, j + 1);
		const eol = code.indexOf('\n', j + 1);
		if (end <= j + 1 || (eol >= 0 && end > eol)) continue;
		const path = code.slice(j + 1, end);
		includes.push(open === '<' ? `include/${path}` : posix.join(posix.dirname(file), path));
		includeLines.push(line);
	}
	return { defines: defines.join('\n'), defineLines: Int32Array.from(defineLines), includes: includes.join('\n'), includeLines: Int32Array.from(includeLines) };
}

const IDENT_RE = /[A-Za-z_]\w*/y;

/**
 * The function a top-level `;`-ended statement declares: the first `name(` at parenthesis
 * depth 0 that follows a type word or `*` (so `__printf(1, 2) int f(…)` declares f, and
 * `DECLARE_PER_CPU(int, x);` or `int (*hook)(void);` nothing), whose parameter list is
 * followed by nothing but attributes.
 */
function declared(code: string, start: number, end: number): { name: string; at: number } | undefined {
	const stmt = code.slice(start, end);
	if (/^\s*typedef\b/.test(stmt)) return undefined;
	const re = /([A-Za-z_]\w*)\s*\(/g;
	let depth = 0;
	let from = 0;
	for (let m = re.exec(stmt); m; m = re.exec(stmt)) {
		for (let i = from; i < m.index; i++) {
			if (stmt[i] === '(') depth++;
			else if (stmt[i] === ')') depth--;
			else if (stmt[i] === '=' && depth === 0) return undefined;
		}
		from = m.index;
		if (depth !== 0) continue;
		const before = stmt.slice(0, m.index).trimEnd();
		const typed = /(?:[A-Za-z_]\w*|\*)$/.test(before) && !/\b(?:return|sizeof|typeof|__typeof__)$/.test(before);
		if (!typed) continue;
		const open = m.index + m[0].length - 1;
		const close = matchingBracket(stmt, open);
		if (close < 0) return undefined;
		// After the parameters: attributes (`__attribute__((…))`, `__cold`, `asm("…")`) only.
		let rest = stmt.slice(close + 1);
		while (/\([^()]*\)/.test(rest)) rest = rest.replace(/\([^()]*\)/g, '');
		return rest.replace(/\b[A-Za-z_]\w*\b/g, '').trim() === '' ? { name: m[1], at: start + m.index } : undefined;
	}
	return undefined;
}

export interface Prototype {
	name: string;
	/** 0-based. */
	line: number;
	character: number;
}

/** Every prototype at file scope of one header's text. */
export function prototypes(text: string): Prototype[] {
	const code = blankNonCode(text);
	const out: Prototype[] = [];
	let start = 0;
	let body = false;
	for (let i = 0; i < code.length; i++) {
		const c = code[i];
		if (c === '{') {
			const close = matchingBracket(code, i);
			if (close < 0) break;
			// A function definition ends at its brace; a struct or an initializer at the `;`.
			if (/\)\s*$/.test(code.slice(start, i).replace(/\b[A-Za-z_]\w*\s*$/, ''))) start = close + 1;
			else body = true;
			i = close;
		} else if (c === ';') {
			if (!body) {
				const d = declared(code, start, i);
				if (d) out.push({ name: d.name, line: 0, character: d.at });
			}
			start = i + 1;
			body = false;
		}
	}
	// Offsets to lines and columns, in one pass.
	let line = 0;
	let lineStart = 0;
	let k = 0;
	for (let i = 0; i <= text.length && k < out.length; i++) {
		while (k < out.length && out[k].character === i) {
			out[k].line = line;
			out[k].character = i - lineStart;
			k++;
		}
		if (text[i] === '\n') {
			line++;
			lineStart = i + 1;
		}
	}
	return out;
}

export function packPrototypes(text: string): PackedPrototypes {
	const found = prototypes(text);
	return { names: found.map((p) => p.name).join('\n'), at: Int32Array.from(found.flatMap((p) => [p.line, p.character])) };
}

/** Names joined by newlines, split back ('' is none). */
export function namesOf(joined: string): string[] {
	return joined === '' ? [] : joined.split('\n');
}

/**
 * Sites (file, line) by name over many headers' joined names, with no string or object made
 * per site: an open-addressing hash table of typed arrays over the joined strings (a kernel's
 * public headers hold about 300k #defines; a Map of them took about a second to build).
 * Objects are made only for the names asked about.
 */
export class SiteTable {
	private readonly files: string[] = [];
	private readonly texts: string[] = [];
	private readonly lineArrays: Int32Array[] = [];
	/** Per site: its file, the offset of its name in the file's joined text, its index there, the next site of the same name (-1). */
	private fileOf = new Int32Array(1024);
	private startOf = new Int32Array(1024);
	private indexOf = new Int32Array(1024);
	private next = new Int32Array(1024);
	private count = 0;
	/** Slots: 1 + the last site added of a distinct name, or 0. */
	private slots = new Int32Array(2048);
	private distinct = 0;

	/** Room for `sites` more sites before any growth or rehash (a whole tree's, added at once). */
	reserve(sites: number): void {
		const want = this.count + sites;
		if (want > this.fileOf.length) {
			const grow = (a: Int32Array) => {
				const b = new Int32Array(want);
				b.set(a.subarray(0, this.count));
				return b;
			};
			this.fileOf = grow(this.fileOf);
			this.startOf = grow(this.startOf);
			this.indexOf = grow(this.indexOf);
			this.next = grow(this.next);
		}
		if (this.count === 0 && slotsFor(want) > this.slots.length) this.slots = new Int32Array(slotsFor(want));
	}

	/** Adds the names of `joined` (newline-separated) at `lines`, all in `file`. */
	add(file: string, joined: string, lines: Int32Array): void {
		if (joined === '') return;
		const f = this.files.push(file) - 1;
		this.texts.push(joined);
		this.lineArrays.push(lines);
		let from = 0;
		for (let k = 0; from <= joined.length; k++) {
			let end = joined.indexOf('\n', from);
			if (end < 0) end = joined.length;
			this.insert(f, from, end, k);
			from = end + 1;
		}
	}

	has(name: string): boolean {
		return this.find(name) >= 0;
	}

	sites(name: string): { file: string; line: number }[] {
		const out: { file: string; line: number }[] = [];
		for (let id = this.find(name); id >= 0; id = this.next[id]) out.push({ file: this.files[this.fileOf[id]], line: this.lineArrays[this.fileOf[id]][this.indexOf[id]] });
		return out.reverse();
	}

	/** Whether site `id`'s name is text[start, end). */
	private same(id: number, text: string, start: number, end: number): boolean {
		const t = this.texts[this.fileOf[id]];
		const s = this.startOf[id];
		const len = end - start;
		if (s + len > t.length || (s + len < t.length && t.charCodeAt(s + len) !== 10)) return false;
		for (let i = 0; i < len; i++) if (t.charCodeAt(s + i) !== text.charCodeAt(start + i)) return false;
		return true;
	}

	private find(name: string): number {
		const mask = this.slots.length - 1;
		for (let slot = nameHash(name, 0, name.length) & mask; ; slot = (slot + 1) & mask) {
			const v = this.slots[slot];
			if (v === 0) return -1;
			if (this.same(v - 1, name, 0, name.length)) return v - 1;
		}
	}

	private insert(file: number, start: number, end: number, index: number): void {
		if (this.count === this.fileOf.length) {
			const grow = (a: Int32Array) => {
				const b = new Int32Array(a.length * 2);
				b.set(a);
				return b;
			};
			this.fileOf = grow(this.fileOf);
			this.startOf = grow(this.startOf);
			this.indexOf = grow(this.indexOf);
			this.next = grow(this.next);
		}
		const id = this.count++;
		this.fileOf[id] = file;
		this.startOf[id] = start;
		this.indexOf[id] = index;
		if ((this.distinct + 1) * 2 > this.slots.length) this.rehash();
		const text = this.texts[file];
		const mask = this.slots.length - 1;
		for (let slot = nameHash(text, start, end) & mask; ; slot = (slot + 1) & mask) {
			const v = this.slots[slot];
			if (v === 0) {
				this.next[id] = -1;
				this.slots[slot] = id + 1;
				this.distinct++;
				return;
			}
			if (this.same(v - 1, text, start, end)) {
				this.next[id] = v - 1;
				this.slots[slot] = id + 1;
				return;
			}
		}
	}

	private rehash(): void {
		const old = this.slots;
		this.slots = new Int32Array(old.length * 2);
		const mask = this.slots.length - 1;
		for (const v of old) {
			if (v === 0) continue;
			const id = v - 1;
			const text = this.texts[this.fileOf[id]];
			const start = this.startOf[id];
			let end = text.indexOf('\n', start);
			if (end < 0) end = text.length;
			let slot = nameHash(text, start, end) & mask;
			while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
			this.slots[slot] = v;
		}
	}
}
