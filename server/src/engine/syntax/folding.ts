/**
 * What the compiler folds away in a function body: `if (IS_ENABLED(CONFIG_X))` on an option
 * the .config leaves out kills its branch, a branch on an undecidable constant is uncertain,
 * runtime conditions keep both. Text-based, over code whose comments, literals and
 * preprocessor lines are blanked (offsets kept). Used for header inlines (inline-reach.ts)
 * and for a document's own functions (facts.ts).
 */
import type { KernelVersion } from '../version';
import { matchingBracket } from '../lex';
import { evaluate, type BuildEnv } from './conditionals';

export const enum Line {
	Live = 0,
	Uncertain = 1,
	Dead = 2,
}

/** What a build compiles of one body, by offset in its text. */
export interface Body {
	state(offset: number): Line;
}

/** Compile-time constants a condition may test: a branch on them may be folded away. */
const COMPILE_TIME_RE = /\b(IS_ENABLED|IS_BUILTIN|IS_MODULE|IS_REACHABLE|CONFIG_\w+|__builtin_constant_p|sizeof|__is_constexpr)\b/;


/** The offset just past the bracket matching the one at `open`, or the text's end. */
function matching(code: string, open: number): number {
	const close = matchingBracket(code, open);
	return close < 0 ? code.length : close + 1;
}

function skipSpace(code: string, i: number): number {
	while (i < code.length && /\s/.test(code[i])) i++;
	return i;
}

/**
 * The body after the definition's name at `nameAt`: what the compiler folds away. An `if` on
 * a decidable constant (`if (IS_ENABLED(CONFIG_PREEMPT_RT)) migrate_disable(); else …`) kills
 * a branch; a branch or expression on an undecidable one (`__builtin_constant_p(x)`, an unknown
 * option) is uncertain. Runtime conditions keep both branches.
 */
export function analyzeBody(code: string, nameAt: number, version: KernelVersion | undefined, env: BuildEnv): Body | undefined {
	// C, not cpp: an identifier no file #defines is a variable here, not 0.
	const cEnv: BuildEnv = { config: env.config, module: env.module, values: env.values };
	let open = -1;
	for (let i = nameAt; i < code.length; i++) {
		if (code[i] === '(') i = matching(code, i) - 1;
		else if (code[i] === '{') {
			open = i;
			break;
		} else if (code[i] === ';') return undefined;
	}
	if (open < 0) return undefined;
	const close = matching(code, open);
	const spans: [number, number, Line][] = [];
	const conditions: [number, number][] = [];
	/** The end of the statement starting at or after `i`. */
	const statementEnd = (i: number): number => {
		i = skipSpace(code, i);
		if (code[i] === '{') return matching(code, i);
		const word = /^(if|for|while|switch)\b\s*\(/.exec(code.slice(i, i + 12));
		if (word) {
			const condEnd = matching(code, code.indexOf('(', i));
			if (word[1] !== 'if') return statementEnd(condEnd);
			let end = statementEnd(condEnd);
			const after = skipSpace(code, end);
			if (/^else\b/.test(code.slice(after, after + 5))) end = statementEnd(after + 4);
			return end;
		}
		for (let depth = 0; i < close; i++) {
			if (code[i] === '(' || code[i] === '{') depth++;
			else if (code[i] === ')' || code[i] === '}') depth--;
			else if (code[i] === ';' && depth <= 0) return i + 1;
		}
		return close;
	};
	for (const m of code.slice(open, close).matchAll(/\bif\s*\(/g)) {
		const condStart = open + (m.index ?? 0) + m[0].length - 1;
		const condEnd = matching(code, condStart);
		conditions.push([condStart, condEnd]);
		const cond = code.slice(condStart + 1, condEnd - 1);
		const thenEnd = statementEnd(condEnd);
		const after = skipSpace(code, thenEnd);
		const elseEnd = /^else\b/.test(code.slice(after, after + 5)) ? statementEnd(after + 4) : after;
		const v = evaluate(cond.replace(/\s+/g, ' '), version, cEnv);
		if (v === undefined) {
			if (COMPILE_TIME_RE.test(cond)) spans.push([condEnd, elseEnd, Line.Uncertain]);
		} else if (v === 0) spans.push([condEnd, thenEnd, Line.Dead]);
		else spans.push([thenEnd, elseEnd, Line.Dead]);
	}
	return {
		state(offset) {
			let state = Line.Live;
			for (const [from, to, s] of spans) if (offset >= from && offset < to && s > state) state = s;
			if (state !== Line.Live) return state;
			const cond = conditions.find(([from, to]) => offset > from && offset < to);
			if (cond) return COMPILE_TIME_RE.test(code.slice(cond[0], cond[1])) ? Line.Uncertain : Line.Live;
			// The statement around the call, outside if-conditions: `x = IS_ENABLED(…) ? f() : g();`.
			let from = offset;
			while (from > open && !';{}'.includes(code[from - 1])) from--;
			for (const [, e] of conditions) if (e > from && e <= offset) from = e;
			const to = code.indexOf(';', offset);
			return COMPILE_TIME_RE.test(code.slice(from, to < 0 || to > close ? close : to)) ? Line.Uncertain : Line.Live;
		},
	};
}
