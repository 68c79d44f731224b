/**
 * The one lexical toolkit of the engine: skipping and blanking C comments, literals and
 * preprocessor lines with every offset and line kept in place, matching brackets, and
 * mapping offsets to positions and back. Every scanner (the kernel walk's lexical and
 * function passes, header reading, the ops scan, document facts, migrations, the CLI's edit
 * applier) uses these, so a C corner case is fixed once. Pure text: it sits on
 * the ground floor with types.ts, below kernel/ and syntax/, which both need it.
 */
import type { Position, Range } from './types';

/** Offset just past the block comment whose `/*` is at `i`; an unterminated one runs to the end. */
export function skipBlockComment(text: string, i: number): number {
	const end = text.indexOf('*/', i + 2);
	return end < 0 ? text.length : end + 2;
}

/** Offset just past the string or char literal that starts at `i`; an unterminated one ends at its line's newline. */
export function skipLiteral(text: string, i: number): number {
	const quote = text.charCodeAt(i);
	const n = text.length;
	for (i++; i < n; ) {
		const c = text.charCodeAt(i);
		if (c === 0x5c /* \ */) i += 2;
		else if (c === quote) return i + 1;
		else if (c === 0x0a) return i;
		else i++;
	}
	return n;
}

/** Blanks long enough for most comment lines, sliced rather than built. */
const SPACES = ' '.repeat(256);

function spaces(n: number): string {
	return n <= SPACES.length ? SPACES.slice(0, n) : ' '.repeat(n);
}

/** Spaces for a line of a comment; a backslash ending it still continues a #define (cpp splices lines first). */
function blankLine(line: string): string {
	return line.endsWith('\\') ? `${spaces(line.length - 1)}\\` : spaces(line.length);
}

/** `text` as spaces with its newlines kept. */
function blankSpan(text: string): string {
	if (!text.includes('\n')) return spaces(text.length);
	return text
		.split('\n')
		.map((line) => spaces(line.length))
		.join('\n');
}

/**
 * Replaces comments with spaces (newlines kept) so offsets and lines stay valid; literals and
 * directives stay. Jumps from one `"`, `'` or `/` to the next with indexOf, so code between
 * them costs nothing here.
 */
export function blankComments(text: string): string {
	let slash = text.indexOf('/');
	if (slash < 0 || (!text.includes('/*') && !text.includes('//'))) return text;
	const out: string[] = [];
	const n = text.length;
	let dquote = text.indexOf('"');
	let squote = text.indexOf("'");
	let last = 0;
	let i = 0;
	for (;;) {
		// The next candidate at or after i; each cached position is refreshed once passed.
		if (slash >= 0 && slash < i) slash = text.indexOf('/', i);
		if (dquote >= 0 && dquote < i) dquote = text.indexOf('"', i);
		if (squote >= 0 && squote < i) squote = text.indexOf("'", i);
		let next = slash;
		if (dquote >= 0 && (next < 0 || dquote < next)) next = dquote;
		if (squote >= 0 && (next < 0 || squote < next)) next = squote;
		if (next < 0) break;
		i = next;
		const c = text.charCodeAt(i);
		if (c === 0x22 /* " */ || c === 0x27 /* ' */) i = skipLiteral(text, i);
		else if (text.charCodeAt(i + 1) === 0x2a /* * */) {
			const end = skipBlockComment(text, i);
			out.push(text.slice(last, i));
			const nl = text.indexOf('\n', i);
			// A comment on one line ends in `*/` (or the file's end): never a backslash to keep.
			if (nl < 0 || nl >= end) out.push(end === n ? blankLine(text.slice(i, end)) : spaces(end - i));
			else out.push(text.slice(i, end).replace(/[^\n]+/g, blankLine));
			last = i = end;
		} else if (text.charCodeAt(i + 1) === 0x2f /* / */) {
			let end = text.indexOf('\n', i);
			if (end < 0) end = n;
			out.push(text.slice(last, i), spaces(end - i));
			last = i = end;
		} else i++;
	}
	out.push(text.slice(last));
	return out.join('');
}

/**
 * Comments (an unterminated one to the end), string and char literals (with escaped
 * newlines; an unterminated one to its line's end) and preprocessor directives (with
 * continuation lines, and block comments that open on them and close lines later: cpp
 * removes comments before it ends a directive). Greedy bodies of disjoint alternatives, so
 * nothing backtracks.
 */
const BLOCK = String.raw`\/\*(?:[^*]|\*(?!\/))*(?:\*\/)?`;
const NON_CODE_RE = new RegExp(
	String.raw`${BLOCK}|\/\/[^\n]*|"(?:[^"\\\n]|\\[\s\S])*"?|'(?:[^'\\\n]|\\[\s\S])*'?|^[ \t]*#(?:[^\n\\/]|\\[\s\S]|${BLOCK}|\/(?!\*))*`,
	'gm',
);

/** Comments, literals and preprocessor lines blanked, offsets and newlines kept: C code only, for bracket and token scans. */
export function blankNonCode(text: string): string {
	return text.replace(NON_CODE_RE, blankSpan);
}

/** The offset of the bracket matching the `(`, `[` or `{` at `open`, or -1 (in blanked code: literals would count). */
export function matchingBracket(code: string, open: number): number {
	const o = code[open];
	const c = o === '(' ? ')' : o === '[' ? ']' : '}';
	let depth = 0;
	for (let i = open; i < code.length; i++) {
		if (code[i] === o) depth++;
		else if (code[i] === c && --depth === 0) return i;
	}
	return -1;
}

/**
 * Offsets ↔ 0-based positions (UTF-16 columns, as LSP and JS strings count). Line starts are
 * found lazily, only as far as a question needs: the tree's lexical pass asks about a few
 * offsets of most files and must not pay for a whole line table.
 */
export class LineMap {
	private readonly starts = [0];
	/** Every newline before this offset is in `starts`. */
	private scanned = 0;
	/** The line of the last answer: scanners ask in increasing order, mostly on the same or the next line. */
	private last = 0;

	constructor(private readonly text: string) {}

	/** Records line starts until `offset` is covered, or `line` is known. */
	private scan(offset: number, line = -1): void {
		const text = this.text;
		while (this.scanned < text.length && (this.scanned <= offset || this.starts.length <= line)) {
			const nl = text.indexOf('\n', this.scanned);
			if (nl < 0) {
				this.scanned = text.length;
				return;
			}
			this.starts.push(nl + 1);
			this.scanned = nl + 1;
		}
	}

	/** The number of lines (a text ending in a newline has an empty last line). */
	get lineCount(): number {
		this.scan(this.text.length);
		return this.starts.length;
	}

	position(offset: number): Position {
		this.scan(offset);
		const starts = this.starts;
		const on = (l: number) => l < starts.length && starts[l] <= offset && (l + 1 >= starts.length || starts[l + 1] > offset);
		let lo = this.last;
		if (!on(lo)) {
			if (on(lo + 1)) lo++;
			else {
				lo = 0;
				let hi = starts.length - 1;
				while (lo < hi) {
					const mid = (lo + hi + 1) >> 1;
					if (starts[mid] <= offset) lo = mid;
					else hi = mid - 1;
				}
			}
		}
		this.last = lo;
		return { line: lo, character: offset - starts[lo] };
	}

	range(start: number, end: number): Range {
		return { start: this.position(start), end: this.position(end) };
	}

	/** The offset where `line` starts; the text's length past the last line. */
	lineStart(line: number): number {
		this.scan(-1, line);
		return line < this.starts.length ? this.starts[line] : this.text.length;
	}

	/** The offset of `p`; a column past its line's end means the end of the line (before `\r\n`), as LSP says. */
	offset(p: Position): number {
		this.scan(-1, p.line + 1);
		if (p.line >= this.starts.length) return this.text.length;
		const start = this.starts[p.line];
		let end = this.text.length;
		if (p.line + 1 < this.starts.length) {
			end = this.starts[p.line + 1] - 1;
			if (end > start && this.text.charCodeAt(end - 1) === 0x0d) end--;
		}
		return Math.min(start + Math.max(0, p.character), end);
	}
}
