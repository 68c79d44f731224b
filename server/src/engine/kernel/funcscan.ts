/**
 * The lexical function scanner: function definitions and the calls inside them, for every C
 * file of a tree, without parsing. Tree-sitter reads kernel C at a few MB/s and leaves ERROR
 * nodes around kernel macros; this tokenizer runs at memory speed and relies on kernel style:
 *
 * - Comments, string and char literals are skipped; preprocessor lines (with continuations)
 *   are skipped, so macro bodies define and call nothing. `#if 0` blocks are skipped whole.
 * - Brace depth decides: a `{` at depth 0 that follows `name(...)` (then only attributes) is
 *   a function body, named by the last parenthesised group's identifier, so a macro line
 *   without `;` before the definition does not take its name. Attribute groups such as
 *   `__printf(1, 2)` or `__releases(x)` never name a definition. K&R parameter lists work.
 * - Definer macros: `SYSCALL_DEFINEn(name, ...)` defines `sys_name` and
 *   `COMPAT_SYSCALL_DEFINEn(name, ...)` `compat_sys_name` (the names syscalls.h declares and
 *   people search for); any other upper-case `MACRO(ident, ...) {` defines `ident`
 *   (`BPF_CALL_2`, `DEFINE_IDTENTRY`, ...). Such owners carry OWNER_MACRO.
 * - `#if`/`#elif`/`#else` branches are alternatives: each starts from the brace depth at the
 *   `#if`, and after `#endif` the first branch's depth holds, so a signature or an opening
 *   brace duplicated across branches does not unbalance the rest of the file.
 * - Kernel style resynchronises: a `}` in column 0 closes the function, and a `{` in column 0
 *   after `name(...)` inside an unclosed body starts a new one.
 * - Inside a body, `name(` is a call unless `name` is a keyword or follows `.`/`->` (calls
 *   through pointers name no function). Macro invocations count as calls, as in the document
 *   facts: `list_for_each_entry(...) {` is a call followed by a block.
 * - Designated initializers `.field = fn,` and `[IDX] = fn,` (also `= &fn`) are reference
 *   edges; at top level their owner is the initialised variable (OWNER_VARIABLE).
 */
import { LineMap, skipBlockComment, skipLiteral } from '../lex';

export interface FunctionScan {
	/** The names owners and edges refer to, by index. */
	names: string[];
	/** OWNER_STRIDE numbers per owner: name index, 0-based line, character, OWNER_* flags. */
	owners: number[];
	/** EDGE_STRIDE numbers per edge: owner index, name index, line, character, EDGE_* kind. */
	edges: number[];
}

export const OWNER_STRIDE = 4;
export const EDGE_STRIDE = 5;
export const OWNER_STATIC = 1;
/** A variable whose initializer names functions, not a function. */
export const OWNER_VARIABLE = 2;
/** Defined through a definer macro (`SYSCALL_DEFINE3(name, ...)`). */
export const OWNER_MACRO = 4;
export const EDGE_CALL = 0;
export const EDGE_REFERENCE = 1;

const enum T {
	None,
	Ident,
	LParen,
	RParen,
	LBrace,
	RBrace,
	Semi,
	Eq,
	Comma,
	Dot,
	LBracket,
	RBracket,
	Amp,
	Other,
}

/** Words followed by `(` that are not calls. */
const NOT_CALLS = new Set([
	'if', 'for', 'while', 'switch', 'return', 'sizeof', 'typeof', '__typeof__', '__typeof', '_Alignof',
	'alignof', '__alignof__', '_Generic', 'asm', '__asm__', '__asm', 'volatile', '__volatile__',
	'__attribute__', '__attribute', 'defined', 'case', 'do', 'else', 'goto', 'int', 'char', 'short',
	'long', 'unsigned', 'signed', 'void', 'float', 'double', '_Bool', 'bool', 'const', 'struct',
	'union', 'enum', 'static', 'inline', 'extern', 'register', 'restrict', '_Static_assert',
	'__extension__', '__label__',
]);

/** Macros whose parenthesised arguments qualify a declaration and never name it. */
const ATTRIBUTE_GROUPS = new Set([
	'__attribute__', '__attribute', '__declspec', '__releases', '__acquires', '__must_hold',
	'__cond_acquires', '__cond_releases', '__printf', '__scanf', '__aligned', '__section',
	'__alloc_size', '__counted_by', '__nonstring', '__free', '__diag_ignore', '__diag_push',
	'asm', '__asm__', '__asm', '__no_sanitize_or_inline', '__assume_aligned', '__malloc',
]);

/** C type words that cannot be a definer macro's first argument. */
const TYPE_WORDS = new Set(['void', 'int', 'char', 'short', 'long', 'unsigned', 'signed', 'const', 'struct', 'union', 'enum', 'bool', '_Bool', 'float', 'double']);

const DEFINER_RE = /^[A-Z][A-Z0-9_]*$/;
const SYSCALL_RE = /^(COMPAT_)?SYSCALL_DEFINE\d*$/;
/** Words after a variable's name that qualify it (`foo[] __initdata = {`). */
const VAR_ATTRIBUTE_RE = /^__(attribute|init|exit|ref|meminit|cpuinit|read_mostly|ro_after_init|maybe_unused|used|cacheline|percpu|visible|weak|page_aligned|aligned|section|initconst|initdata|refdata|exitdata|devinitdata|nosave|so_)/;

interface CondFrame {
	depth: number;
	owner: number;
	/** Depth and owner at the end of the first branch, once an `#else`/`#elif` is seen. */
	endDepth: number;
	endOwner: number;
}

function isIdentStart(c: number): boolean {
	return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36;
}

function isIdentPart(c: number): boolean {
	return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36;
}

/** The end (its newline) of the directive whose `#` is at `i`: continuations, comments and strings included. */
function directiveEnd(text: string, i: number): number {
	const n = text.length;
	while (i < n) {
		const c = text.charCodeAt(i);
		if (c === 10) return i;
		if (c === 92 /* \ */) i += 2;
		else if (c === 47 /* / */ && text.charCodeAt(i + 1) === 42) i = skipBlockComment(text, i);
		else if (c === 47 && text.charCodeAt(i + 1) === 47) {
			const nl = text.indexOf('\n', i);
			return nl < 0 ? n : nl;
		} else if (c === 34 /* " */) i = skipLiteral(text, i);
		else i++;
	}
	return n;
}

/** The directive's word (`if`, `define`, ...) after the `#` at `i`. */
function directiveWord(text: string, i: number): string {
	i++;
	while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
	const start = i;
	while (isIdentPart(text.charCodeAt(i))) i++;
	return text.slice(start, i);
}

const CONDITIONAL = new Set(['if', 'ifdef', 'ifndef']);

/** Past the lines of an `#if 0` from `i` (a line start): at its `#else`/`#elif` line, or after its `#endif`; `ended` tells which. */
function skipDisabled(text: string, i: number): { i: number; ended: boolean } {
	const n = text.length;
	let nest = 0;
	while (i < n) {
		let j = i;
		while (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9) j++;
		let end: number;
		if (text.charCodeAt(j) === 35 /* # */) {
			const word = directiveWord(text, j);
			end = directiveEnd(text, j);
			if (CONDITIONAL.has(word)) nest++;
			else if (word === 'endif' && nest-- === 0) return { i: end, ended: true };
			else if ((word === 'else' || word === 'elif') && nest === 0) return { i: end, ended: false };
		} else {
			end = text.indexOf('\n', j);
			if (end < 0) end = n;
		}
		i = end + 1;
	}
	return { i: n, ended: true };
}

/** Interned names and the records that refer to them by index. */
class Output {
	readonly names: string[] = [];
	private readonly ids = new Map<string, number>();
	/** As in FunctionScan, but with offsets in place of line and character until `finish`. */
	readonly owners: number[] = [];
	readonly edges: number[] = [];

	intern(name: string): number {
		let id = this.ids.get(name);
		if (id === undefined) {
			id = this.names.length;
			this.names.push(name);
			this.ids.set(name, id);
		}
		return id;
	}

	/** A new owner named `name`, defined at `offset`; returns its index. */
	owner(name: string, offset: number, flags: number): number {
		this.owners.push(this.intern(name), offset, 0, flags);
		return this.owners.length / OWNER_STRIDE - 1;
	}

	edge(owner: number, name: string, offset: number, kind: number): void {
		this.edges.push(owner, this.intern(name), offset, 0, kind);
	}

	/** Offsets → 0-based line and UTF-16 character. */
	finish(text: string): FunctionScan {
		const lines = new LineMap(text);
		const place = (records: number[], stride: number, at: number) => {
			for (let k = at; k < records.length; k += stride) {
				const p = lines.position(records[k]);
				records[k] = p.line;
				records[k + 1] = p.character;
			}
		};
		place(this.owners, OWNER_STRIDE, 1);
		place(this.edges, EDGE_STRIDE, 2);
		return { names: this.names, owners: this.owners, edges: this.edges };
	}
}

/** The definer macro's reading of a definition named `name` with first argument `arg`. */
function definedName(name: string, arg: string | undefined): { name: string; macro: boolean } {
	if (arg === undefined || !DEFINER_RE.test(name)) return { name, macro: false };
	const sys = SYSCALL_RE.exec(name);
	if (sys) return { name: `${sys[1] ? 'compat_' : ''}sys_${arg}`, macro: true };
	return TYPE_WORDS.has(arg) ? { name, macro: false } : { name: arg, macro: true };
}

export function scanFunctions(text: string): FunctionScan {
	const out = new Output();
	const n = text.length;
	let i = 0;
	/** Only blanks so far on this line: a `#` here starts a directive. */
	let lineBlank = true;
	let depth = 0;
	let owner = -1;
	const conds: CondFrame[] = [];

	// The last four tokens' kinds, newest first; the last identifier's extent.
	let p1: T = T.None, p2: T = T.None, p3: T = T.None, p4: T = T.None;
	let identStart = 0, identEnd = 0;

	// Top level: the declaration being read since the last `;` or `}`.
	let paren = 0;
	let sawStatic = false;
	/** The group that names a definition: its identifier's offsets (-1: none) and first argument. */
	let candStart = -1, candEnd = 0, candArgStart = -1, candArgEnd = 0;
	/** Only identifiers and attribute groups have followed the candidate's group. */
	let candClean = false;
	// The group being read at paren depth 1.
	let groupName = -1, groupNameEnd = 0;
	let groupTokens = 0, groupArgStart = -1, groupArgEnd = 0, groupArgOk = false, groupOnlyIdents = true;
	/** K&R: a definition whose parameter declarations follow its `)`. */
	let krStart = -1, krEnd = 0, krStatic = false, krStatements = 0;
	/** The identifier before `=`/`[` at top level, naming an initialised variable. */
	let varStart = -1, varEnd = 0, varFrozen = false;
	/** The variable whose initializer is open; it becomes an owner with its first edge. */
	let initStart = -1, initEnd = 0, initStatic = false;
	// In a body: the last call since a statement boundary, for the column-0 resync.
	let lastCallEdge = -1;
	let bodyStatic = false;

	while (i < n) {
		const c = text.charCodeAt(i);
		if (c === 10) {
			i++;
			lineBlank = true;
			continue;
		}
		if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11) {
			i++;
			continue;
		}
		if (c === 35 /* # */ && lineBlank) {
			const word = directiveWord(text, i);
			const end = directiveEnd(text, i);
			if (CONDITIONAL.has(word)) {
				conds.push({ depth, owner, endDepth: -1, endOwner: -1 });
				if (word === 'if' && /^#\s*if\s+0\s*(?:\/[/*].*)?$/s.test(text.slice(i, end))) {
					const skipped = skipDisabled(text, end + 1);
					if (skipped.ended) conds.pop();
					i = skipped.i;
					continue;
				}
			} else if (word === 'else' || word === 'elif') {
				const frame = conds[conds.length - 1];
				if (frame) {
					if (frame.endDepth < 0) {
						frame.endDepth = depth;
						frame.endOwner = owner;
					}
					depth = frame.depth;
					owner = frame.owner;
				}
			} else if (word === 'endif') {
				const frame = conds.pop();
				if (frame && frame.endDepth >= 0) {
					depth = frame.endDepth;
					owner = frame.endOwner;
				}
			}
			i = end;
			continue;
		}
		lineBlank = false;
		if (c === 47 /* / */) {
			const d = text.charCodeAt(i + 1);
			if (d === 42) {
				i = skipBlockComment(text, i);
				continue;
			}
			if (d === 47) {
				const nl = text.indexOf('\n', i);
				i = nl < 0 ? n : nl;
				continue;
			}
		}
		if (c === 34 || c === 39) {
			i = skipLiteral(text, i);
			p4 = p3;
			p3 = p2;
			p2 = p1;
			p1 = T.Other;
			continue;
		}
		if (isIdentStart(c)) {
			const start = i;
			i++;
			while (i < n && isIdentPart(text.charCodeAt(i))) i++;
			identStart = start;
			identEnd = i;
			if (depth === 0) {
				if (paren === 0) {
					const word = text.slice(start, i);
					if (word === 'static') sawStatic = true;
					else if (word === 'struct' || word === 'union' || word === 'enum') candClean = false;
					if (!varFrozen && !VAR_ATTRIBUTE_RE.test(word)) {
						varStart = start;
						varEnd = i;
					}
				} else if (paren === 1 && ++groupTokens === 1) {
					groupArgStart = start;
					groupArgEnd = i;
				}
			} else {
				let j = i;
				let next = text.charCodeAt(j);
				while (next === 32 || next === 9 || next === 10 || next === 13) next = text.charCodeAt(++j);
				if (next === 40 /* ( */) {
					if (p1 !== T.Dot) {
						const name = text.slice(start, i);
						if (!NOT_CALLS.has(name)) {
							if (owner >= 0) {
								lastCallEdge = out.edges.length;
								out.edge(owner, name, start, EDGE_CALL);
							}
						} else if (name === 'static') bodyStatic = true;
					}
				} else if (next === 44 /* , */ || next === 125 /* } */ || next === 59 /* ; */) {
					// `.field = fn`, `.field = &fn`, `[IDX] = fn`: designated initializers.
					const direct = p1 === T.Eq && ((p2 === T.Ident && p3 === T.Dot && (p4 === T.LBrace || p4 === T.Comma)) || p2 === T.RBracket);
					const viaAmp = p1 === T.Amp && p2 === T.Eq && ((p3 === T.Ident && p4 === T.Dot) || p3 === T.RBracket);
					if (direct || viaAmp) {
						if (owner < 0 && initStart >= 0) {
							owner = out.owner(text.slice(initStart, initEnd), initStart, OWNER_VARIABLE | (initStatic ? OWNER_STATIC : 0));
							initStart = -1;
						}
						if (owner >= 0) out.edge(owner, text.slice(start, i), start, EDGE_REFERENCE);
					}
				} else if (i - start === 6 && text.startsWith('static', start)) bodyStatic = true;
			}
			p4 = p3;
			p3 = p2;
			p2 = p1;
			p1 = T.Ident;
			continue;
		}
		if (c >= 48 && c <= 57) {
			// A number, with suffixes and signed exponents.
			i++;
			for (;;) {
				const d = text.charCodeAt(i);
				if (isIdentPart(d) || d === 46) i++;
				else if (d === 43 || d === 45) {
					const e = text.charCodeAt(i - 1) | 32;
					if (e === 101 || e === 112) i++;
					else break;
				} else break;
			}
			if (depth === 0 && paren === 1) groupTokens++;
			p4 = p3;
			p3 = p2;
			p2 = p1;
			p1 = T.Other;
			continue;
		}
		i++;
		let t = T.Other;
		switch (c) {
			case 40 /* ( */:
				t = T.LParen;
				if (depth !== 0) break;
				if (paren === 0) {
					// An attribute group leaves the candidate as it is; a group after no name spoils it.
					groupName = -1;
					if (p1 !== T.Ident) candClean = false;
					else if (!ATTRIBUTE_GROUPS.has(text.slice(identStart, identEnd))) {
						groupName = identStart;
						groupNameEnd = identEnd;
					}
					groupTokens = 0;
					groupArgStart = -1;
					groupArgOk = false;
					groupOnlyIdents = true;
				} else groupOnlyIdents = false;
				paren++;
				break;
			case 41 /* ) */:
				t = T.RParen;
				if (depth !== 0 || paren === 0) break;
				if (paren === 1) {
					if (groupTokens === 1 && groupArgStart >= 0) groupArgOk = true;
					if (groupName >= 0) {
						candStart = groupName;
						candEnd = groupNameEnd;
						candArgStart = groupArgOk ? groupArgStart : -1;
						candArgEnd = groupArgEnd;
						candClean = true;
					}
				}
				paren--;
				break;
			case 44 /* , */:
				t = T.Comma;
				if (depth !== 0) break;
				if (paren === 1) {
					if (groupTokens === 1 && groupArgStart >= 0) groupArgOk = true;
					groupTokens = 2;
				} else if (paren === 0) candStart = -1;
				break;
			case 123 /* { */: {
				t = T.LBrace;
				let defStart = -1, defEnd = 0, defStatic = false, argStart = -1, argEnd = 0;
				if (depth === 0) {
					if (paren > 0) depth++;
					else if (candStart >= 0 && candClean && (p1 === T.RParen || p1 === T.Ident)) {
						defStart = candStart;
						defEnd = candEnd;
						defStatic = sawStatic;
						argStart = candArgStart;
						argEnd = candArgEnd;
					} else if (p1 === T.Semi && krStart >= 0) {
						defStart = krStart;
						defEnd = krEnd;
						defStatic = krStatic;
					} else {
						initStart = -1;
						if (p1 === T.Eq && varStart >= 0) {
							initStart = varStart;
							initEnd = varEnd;
							initStatic = sawStatic;
						}
						depth = 1;
						owner = -1;
					}
					krStart = -1;
				} else if (text.charCodeAt(i - 2) === 10 && p1 === T.RParen && lastCallEdge >= 0) {
					// A column-0 `{` after `name(...)` in an unclosed body: that call was a signature.
					const name = out.names[out.edges[lastCallEdge + 1]];
					const offset = out.edges[lastCallEdge + 2];
					out.edges.length = lastCallEdge;
					owner = out.owner(name, offset, bodyStatic ? OWNER_STATIC : 0);
					depth = 1;
				} else depth++;
				if (defStart >= 0) {
					const def = definedName(text.slice(defStart, defEnd), argStart >= 0 ? text.slice(argStart, argEnd) : undefined);
					owner = out.owner(def.name, defStart, (defStatic ? OWNER_STATIC : 0) | (def.macro ? OWNER_MACRO : 0));
					depth = 1;
					initStart = -1;
					sawStatic = false;
					candStart = -1;
					candClean = false;
					varStart = -1;
					varFrozen = false;
					paren = 0;
				}
				lastCallEdge = -1;
				bodyStatic = false;
				break;
			}
			case 125 /* } */:
				t = T.RBrace;
				if (depth > 1 && owner >= 0 && text.charCodeAt(i - 2) === 10) depth = 1;
				if (depth > 0 && --depth === 0) {
					owner = -1;
					initStart = -1;
					if (paren === 0) {
						sawStatic = false;
						candStart = -1;
						candClean = false;
						varStart = -1;
						varFrozen = false;
					}
				}
				lastCallEdge = -1;
				bodyStatic = false;
				break;
			case 59 /* ; */:
				t = T.Semi;
				if (depth === 0 && paren === 0) {
					// K&R: `int f(a, b)` then parameter declarations, then the body.
					if (krStart >= 0 && ++krStatements > 16) krStart = -1;
					if (candStart >= 0 && candClean && p1 !== T.RParen && krStart < 0 && groupOnlyIdents && groupTokens > 0) {
						krStart = candStart;
						krEnd = candEnd;
						krStatic = sawStatic;
						krStatements = 0;
					} else if (p1 === T.RParen) krStart = -1;
					sawStatic = false;
					candStart = -1;
					candClean = false;
					varStart = -1;
					varFrozen = false;
				} else if (depth === 0 && paren === 1) groupOnlyIdents = false;
				lastCallEdge = -1;
				bodyStatic = false;
				break;
			case 61 /* = */:
				if (text.charCodeAt(i) === 61) i++;
				else {
					t = T.Eq;
					if (depth === 0 && paren === 0) {
						candStart = -1;
						varFrozen = true;
						krStart = -1;
					}
				}
				break;
			case 46 /* . */:
				if (text.charCodeAt(i) === 46) i += 2;
				else t = T.Dot;
				if (depth === 0 && paren === 1) groupOnlyIdents = false;
				break;
			case 45 /* - */: {
				const d = text.charCodeAt(i);
				if (d === 62 /* > */) {
					i++;
					t = T.Dot;
				} else if (d === 61 || d === 45) i++;
				break;
			}
			case 91 /* [ */:
				t = T.LBracket;
				if (depth === 0 && paren === 0) {
					varFrozen = true;
					candClean = false;
				}
				break;
			case 93 /* ] */:
				t = T.RBracket;
				break;
			case 38 /* & */: {
				const d = text.charCodeAt(i);
				if (d === 38 || d === 61) i++;
				else t = T.Amp;
				if (depth === 0 && paren === 1) groupOnlyIdents = false;
				break;
			}
			default:
				// `!=`, `<=`, `+=`, ... are one token, so their `=` is no assignment.
				if (text.charCodeAt(i) === 61 && (c === 33 || c === 60 || c === 62 || c === 43 || c === 42 || c === 47 || c === 37 || c === 124 || c === 94)) i++;
				if (depth === 0) {
					if (paren === 1) {
						groupOnlyIdents = false;
						groupTokens += 2;
					} else if (paren === 0 && c !== 42 /* * */) candClean = false;
				}
		}
		p4 = p3;
		p3 = p2;
		p2 = p1;
		p1 = t;
	}
	return out.finish(text);
}
