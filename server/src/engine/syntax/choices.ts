/**
 * Compile-time choices in a macro body that the arguments of one expansion decide. The
 * compiler folds `(false) ? a : b` and `__builtin_constant_p(x) ? c(x) : r(x)` before
 * anything is emitted, so only the chosen arm's names reach the object file:
 * DEFINE_DEBUGFS_ATTRIBUTE passes `false` on to DEFINE_DEBUGFS_ATTRIBUTE_XSIGNED, whose
 * `.write = (__is_signed) ? debugfs_attr_write_signed : debugfs_attr_write` then links only
 * debugfs_attr_write; `ether_crc()` hands bitrev32() the result of a call, never a constant,
 * so bitrev32 compiles its runtime arm (__bitrev32 and byte_rev_table). Text in, text out:
 * what is not decided is left as written, and the caller keeps treating it as uncertain.
 */
import { matchingBracket } from '../lex';

/** What one expansion knows of an argument: its literal value, or whether it is a compile-time constant. */
export interface ArgumentFact {
	/** `false`, `1`, `0x0`: a literal the compiler folds. */
	literal?: string;
	/** False for the value of a call of an extern function (never constant); true for a literal. */
	constant?: boolean;
}

const LITERAL_RE = /^(?:true|false|0[xX][0-9a-fA-F]+|\d+)[uUlL]*$/;

/** The fact of an argument's text: a literal (through parentheses), or the value of a call `isRuntime` accepts. */
export function argumentFact(text: string, isRuntime: (name: string) => boolean): ArgumentFact | undefined {
	let t = text.trim();
	while (t.startsWith('(') && matchingBracket(t, 0) === t.length - 1) t = t.slice(1, -1).trim();
	if (LITERAL_RE.test(t)) return { literal: t, constant: true };
	const call = /^([A-Za-z_]\w*)\s*\(/.exec(t);
	if (call && matchingBracket(t, call[0].length - 1) === t.length - 1 && isRuntime(call[1])) return { constant: false };
	return undefined;
}

const truthy = (literal: string) => !/^(?:false|0[xX]0+|0+)[uUlL]*$/.test(literal);

/** The argument texts of the first call `name(…)` in `body`, or undefined. */
export function callArguments(body: string, name: string): string[] | undefined {
	const m = new RegExp(`(?<![\\w#])${name}\\s*\\(`).exec(body);
	if (!m) return undefined;
	const open = m.index + m[0].length - 1;
	const close = matchingBracket(body, open);
	if (close < 0) return undefined;
	const args: string[] = [];
	let from = open + 1;
	let depth = 0;
	for (let i = open + 1; i < close; i++) {
		const c = body[i];
		if (c === '(' || c === '[' || c === '{') depth++;
		else if (c === ')' || c === ']' || c === '}') depth--;
		else if (c === ',' && depth === 0) {
			args.push(body.slice(from, i));
			from = i + 1;
		}
	}
	args.push(body.slice(from, close));
	return args;
}

/**
 * `body` with the choices that `facts` (by parameter name) decide folded away: parameters
 * with a literal replaced by it, locals initialised from a parameter (`u32 __x = x;`) known
 * as it, `__builtin_constant_p(v)` of a known v replaced by 1 or 0, and a ternary whose
 * condition is then a literal replaced by its chosen arm.
 */
export function foldChoices(text: string, facts: ReadonlyMap<string, ArgumentFact>): string {
	if (facts.size === 0) return text;
	// Strings emptied: `"call %P[old]"` holds no choice, and its brackets would mislead the scan.
	const body = text.replace(/"(?:[^"\\]|\\.)*"/g, '""');
	const known = new Map(facts);
	for (const m of body.matchAll(/\b([A-Za-z_]\w*)\s*=\s*([A-Za-z_]\w*)\s*;/g)) {
		const fact = known.get(m[2]);
		if (fact && !known.has(m[1])) known.set(m[1], fact);
	}
	let out = body.replace(/\b__builtin_constant_p\s*\(\s*([A-Za-z_]\w*)\s*\)/g, (all, v: string) => {
		const c = known.get(v)?.constant;
		return c === undefined ? all : c ? '1' : '0';
	});
	const tested = out;
	// Not a member (`.x`, `->x`), nor a piece that `#` or `##` makes into something else.
	out = tested.replace(/(?<![\w.>])([A-Za-z_]\w*)\b(?!\s*##)/g, (all, v: string, at: number) => {
		const literal = facts.get(v)?.literal;
		return literal !== undefined && !tested.slice(0, at).trimEnd().endsWith('#') ? literal : all;
	});
	return foldTernaries(out);
}

/** Replaces each `L ? a : b` whose condition L is a literal (in parentheses or not) by its chosen arm. */
function foldTernaries(text: string): string {
	for (let guard = 0; guard < 64; guard++) {
		const m = /(\(\s*(true|false|0[xX][0-9a-fA-F]+|\d+)[uUlL]*\s*\)|(?<![\w.])(true|false|0[xX][0-9a-fA-F]+|\d+)[uUlL]*)\s*\?/.exec(text);
		if (!m) return text;
		// `a + 1 ? …`: the literal must be the whole condition.
		const before = text.slice(0, m.index).trimEnd();
		if (before && !/[(,;{=:?]$|\breturn$/.test(before)) return text;
		const literal = m[2] ?? m[3];
		const question = m.index + m[0].length - 1;
		let colon = -1;
		let end = text.length;
		let depth = 0;
		let pending = 0;
		for (let i = question + 1; i < text.length; i++) {
			const c = text[i];
			if (c === '(' || c === '[' || c === '{') depth++;
			else if (c === ')' || c === ']' || c === '}') {
				if (depth === 0) {
					end = i;
					break;
				}
				depth--;
			} else if (depth === 0 && c === '?') pending++;
			else if (depth === 0 && c === ':') {
				if (pending > 0) pending--;
				else if (colon < 0) colon = i;
			} else if (depth === 0 && (c === ',' || c === ';') && colon >= 0) {
				end = i;
				break;
			}
		}
		if (colon < 0) return text;
		const arm = truthy(literal) ? text.slice(question + 1, colon) : text.slice(colon + 1, end);
		text = `${text.slice(0, m.index)} ${arm.trim()} ${text.slice(end)}`;
	}
	return text;
}
