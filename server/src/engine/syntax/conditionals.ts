/**
 * Which lines are compiled out. Without a build environment only conditions built from
 * LINUX_VERSION_CODE, KERNEL_VERSION(a, b, c) and constants (`#if 0`) can be decided; any
 * other condition is unknown and judged as if enabled, so all of its branches stay live.
 * Given a `BuildEnv` (how a module of the indexed kernel is compiled), CONFIG_ options are
 * decided from the .config as autoconf.h would define them, along with the few macros every
 * kernel build defines or never defines, and include guards count as taken.
 */
import { archConstants } from '../knowledge/arch-constants';
import { blankComments } from '../lex';
import { kernelVersionCode, versionCode, type KernelVersion } from '../version';

/** A 0-based, inclusive line span. */
export interface LineSpan {
	start: number;
	end: number;
}

/** What the preprocessor knows besides the version when it compiles a file. */
export interface BuildEnv {
	/** Values of a .config (without the CONFIG_ prefix); without one every option is unknown. */
	config?: ReadonlyMap<string, string>;
	/** Compiled into a module: MODULE is defined. */
	module: boolean;
	/**
	 * Whether any file the compile may see defines `name` (headers, the module's files, a -D
	 * of its Kbuild). A name no one defines is undefined to cpp: `#ifdef NOT_YET` is dead and
	 * `#if DRV_DEBUG` is 0. Without it such names stay undecided.
	 */
	known?: (name: string) => boolean;
	/** Values of object-like macros that no .config decides (knowledge/arch-constants.ts). */
	values?: ReadonlyMap<string, { value: number }>;
}

/**
 * How kbuild compiles a module and the headers it includes under `config`: MODULE defined,
 * the arch's constants known; `known` when the caller knows which names are defined. Every
 * reader of a module's or a header's conditionals takes its environment from here.
 */
export function moduleBuildEnv(config: ReadonlyMap<string, string> | undefined, known?: (name: string) => boolean): BuildEnv {
	const env: BuildEnv = { config, module: true };
	const values = config && archConstants(config);
	if (values) env.values = values;
	if (known) env.known = known;
	return env;
}

type Value = number | undefined;

interface Frame {
	/** A previous branch was certainly taken, so later ones are dead. */
	taken: boolean;
	/** A previous branch may have been taken (its condition was unknown). */
	maybeTaken: boolean;
	dead: boolean;
	/** The current branch is certainly taken. */
	certain: boolean;
	start: number;
	/** An enclosing branch is dead (fixed while this frame is open: outer ones change only at their own #elif/#else). */
	inDead: boolean;
}

export interface Conditionals {
	/** Lines certainly compiled out. */
	dead: LineSpan[];
	/** Lines that may or may not be compiled (not dead, under some undecided condition). */
	uncertain: LineSpan[];
}

const DIRECTIVE_RE = /^[ \t]*#[ \t]*(if|ifdef|ifndef|elif|else|endif)\b(.*)$/;
const GUARD_DEFINE_RE = /^[ \t]*#[ \t]*define[ \t]+(\w+)/;
/** Defined in every kernel C compile (__KERNEL__), or in none (assembly, sparse, genksyms, C++). */
const ALWAYS_DEFINED = new Set(['__KERNEL__']);
const NEVER_DEFINED = new Set(['__ASSEMBLY__', '__CHECKER__', '__GENKSYMS__', '__cplusplus']);

export function deadSpans(text: string, version: KernelVersion | undefined, env?: BuildEnv): LineSpan[] {
	return conditionals(text, version, env).dead;
}

export function conditionals(text: string, version: KernelVersion | undefined, env?: BuildEnv): Conditionals {
	const dead: LineSpan[] = [];
	const uncertain: LineSpan[] = [];
	if (!text.includes('#')) return { dead, uncertain };
	const stack: Frame[] = [];
	// A `#ifdef` written inside a comment (a changelog: qla1280.c) is no directive.
	const lines = blankComments(text).split('\n');
	const close = (frame: Frame, end: number) => {
		if (frame.inDead) return;
		if (frame.dead) dead.push({ start: frame.start, end });
		else if (!frame.certain) uncertain.push({ start: frame.start, end });
	};
	let firstDirective = true;
	for (let i = 0; i < lines.length; i++) {
		const first = i;
		const line = joinContinued(lines, i);
		i = line.last;
		const m = DIRECTIVE_RE.exec(line.text);
		if (!m) continue;
		const [, kind, rest] = m;
		const cond = rest.replace(/\/\*.*?\*\//g, ' ').replace(/\/\/.*$/, '');
		const guard = firstDirective && env !== undefined && kind === 'ifndef' && isIncludeGuard(lines, i + 1, cond.trim());
		firstDirective = false;
		if (kind === 'if' || kind === 'ifdef' || kind === 'ifndef') {
			let v: Value;
			if (guard) v = 1;
			else if (kind === 'if') v = evaluate(cond, version, env);
			else if (env) {
				const d = definedness(cond.trim(), env);
				v = d === undefined ? undefined : kind === 'ifdef' ? d : 1 - d;
			}
			const known = v !== undefined && v !== 0;
			const outer = stack.at(-1);
			const inDead = outer !== undefined && (outer.dead || outer.inDead);
			stack.push({ taken: known, maybeTaken: v === undefined, dead: v === 0, certain: known, start: i + 1, inDead });
		} else if (stack.length > 0) {
			const frame = stack[stack.length - 1];
			close(frame, first - 1);
			if (kind === 'endif') {
				stack.pop();
				continue;
			}
			const v = kind === 'elif' ? evaluate(cond, version, env) : 1;
			frame.certain = false;
			if (frame.taken) frame.dead = true;
			else {
				frame.dead = v === 0;
				if (v === undefined) frame.maybeTaken = true;
				else if (v !== 0 && !frame.maybeTaken) frame.taken = frame.certain = true;
			}
			frame.start = i + 1;
		}
	}
	// An unterminated #if runs to the end of the file.
	while (stack.length > 0) {
		const frame = stack[stack.length - 1];
		close(frame, lines.length - 1);
		stack.pop();
	}
	const nonEmpty = (s: LineSpan) => s.end >= s.start;
	return { dead: dead.filter(nonEmpty), uncertain: uncertain.filter(nonEmpty) };
}

/**
 * Line `first` spliced with the lines its backslashes continue (cpp's phase 2: each physical
 * line ending in a backslash joins the next), and the index of the last line taken. Linear:
 * the pieces are joined once.
 */
function joinContinued(lines: readonly string[], first: number): { text: string; last: number } {
	let i = first;
	if (!lines[i].endsWith('\\')) return { text: lines[i], last: i };
	const pieces: string[] = [];
	while (lines[i].endsWith('\\') && i + 1 < lines.length) pieces.push(lines[i++].slice(0, -1));
	pieces.push(lines[i]);
	return { text: pieces.join(''), last: i };
}

/** `#ifndef X` whose next directive is `#define X`: the file's include guard. */
function isIncludeGuard(lines: readonly string[], from: number, name: string): boolean {
	for (let k = from; k < lines.length; k++) {
		if (!/^[ \t]*#/.test(lines[k])) continue;
		return GUARD_DEFINE_RE.exec(lines[k])?.[1] === name;
	}
	return false;
}

export function isDead(spans: readonly LineSpan[], line: number): boolean {
	return spans.some((s) => line >= s.start && line <= s.end);
}

/** Whether `name` is defined (1/0) in a build as `env` describes; undefined when unknown. */
function definedness(name: string, env: BuildEnv): Value {
	if (ALWAYS_DEFINED.has(name)) return 1;
	if (NEVER_DEFINED.has(name)) return 0;
	if (name === 'MODULE') return env.module ? 1 : 0;
	if (!name.startsWith('CONFIG_')) return env.known && !env.known(name) ? 0 : undefined;
	if (!env.config) return undefined;
	// autoconf.h defines CONFIG_X for y and values, CONFIG_X_MODULE (and not CONFIG_X) for m.
	const value = env.config.get(name.slice(7));
	if (value !== undefined) return value === 'm' || value === 'n' ? 0 : 1;
	return name.endsWith('_MODULE') && env.config.get(name.slice(7, -7)) === 'm' ? 1 : 0;
}

/** The value of a macro in `#if` under `env`: autoconf.h's definition, 0 when undefined. */
function macroValue(name: string, env: BuildEnv): Value {
	const known = env.values?.get(name);
	if (known) return known.value;
	const d = definedness(name, env);
	if (d !== 1 || !name.startsWith('CONFIG_')) return d;
	const value = env.config?.get(name.slice(7));
	if (value === undefined || value === 'y') return 1;
	return /^-?(0[xX][0-9a-fA-F]+|\d+)$/.test(value) ? Number(value) : undefined;
}

/** IS_ENABLED and friends of kconfig.h, from the option's value. */
function kconfigMacro(macro: string, option: string, env: BuildEnv): Value {
	if (!option.startsWith('CONFIG_') || !env.config) return undefined;
	const value = env.config.get(option.slice(7));
	const y = value === 'y';
	const m = value === 'm';
	switch (macro) {
		case 'IS_ENABLED':
			return +(y || m);
		case 'IS_BUILTIN':
			return +y;
		case 'IS_MODULE':
			return +m;
		default: // IS_REACHABLE: built in, or a module seen from a module
			return +(y || (m && env.module));
	}
}

const KCONFIG_MACROS = new Set(['IS_ENABLED', 'IS_BUILTIN', 'IS_MODULE', 'IS_REACHABLE']);

const TOKEN_RE = /\s*(0[xX][0-9a-fA-F]+|\d+)[uUlL]*|\s*([A-Za-z_]\w*)|\s*(&&|\|\||<<|>>|<=|>=|==|!=|[()!<>+\-*/%&|^~?:,])/y;

/** Evaluates a preprocessor condition; undefined means it cannot be known (without `env`: without a build). */
export function evaluate(expr: string, version: KernelVersion | undefined, env?: BuildEnv): Value {
	const tokens: string[] = [];
	TOKEN_RE.lastIndex = 0;
	const src = expr.trim();
	while (TOKEN_RE.lastIndex < src.length) {
		const m = TOKEN_RE.exec(src);
		if (!m) return undefined;
		tokens.push(m[1] ?? m[2] ?? m[3]);
	}
	let pos = 0;
	const peek = () => tokens[pos];
	const next = () => tokens[pos++];

	const primary = (): Value => {
		const t = next();
		if (t === undefined) throw new Error('end of condition');
		if (t === '(') {
			const v = ternary();
			if (next() !== ')') throw new Error('unbalanced');
			return v;
		}
		if (t === '!') {
			const v = primary();
			return v === undefined ? undefined : v === 0 ? 1 : 0;
		}
		if (t === '-') {
			const v = primary();
			return v === undefined ? undefined : -v;
		}
		if (t === '~') {
			const v = primary();
			return v === undefined ? undefined : ~v;
		}
		if (/^\d/.test(t)) return Number(t);
		if (t === 'LINUX_VERSION_CODE') return version && versionCode(version);
		if (t === 'KERNEL_VERSION') {
			const args: Value[] = [];
			if (next() !== '(') throw new Error('KERNEL_VERSION without arguments');
			for (;;) {
				args.push(ternary());
				const sep = next();
				if (sep === ')') break;
				if (sep !== ',') throw new Error('bad KERNEL_VERSION');
			}
			if (args.length !== 3 || args.some((a) => a === undefined)) return undefined;
			return kernelVersionCode(args[0] as number, args[1] as number, args[2] as number);
		}
		if (t === 'defined') {
			let name: string | undefined;
			if (peek() === '(') {
				next();
				name = next();
				if (next() !== ')') throw new Error('bad defined');
			} else name = next();
			return env && name ? definedness(name, env) : undefined;
		}
		if (env && KCONFIG_MACROS.has(t) && peek() === '(') {
			next();
			const option = next();
			if (next() !== ')' || option === undefined) throw new Error(`bad ${t}`);
			return kconfigMacro(t, option, env);
		}
		if (env && peek() !== '(') {
			const v = macroValue(t, env);
			if (v !== undefined) return v;
		}
		if (/^[A-Za-z_]/.test(t)) {
			// An identifier no file defines is 0 in #if, as cpp has it.
			if (peek() !== '(' && env?.known && !t.startsWith('CONFIG_') && !env.known(t)) return 0;
			// A macro we cannot expand; skip a call's arguments.
			if (peek() === '(') {
				let depth = 0;
				do {
					const u = next();
					if (u === '(') depth++;
					else if (u === ')') depth--;
					else if (u === undefined) throw new Error('unbalanced');
				} while (depth > 0);
			}
			return undefined;
		}
		throw new Error(`unexpected ${t}`);
	};

	const BINARY: Record<string, [number, (a: number, b: number) => number]> = {
		'*': [10, (a, b) => a * b],
		'/': [10, (a, b) => (b === 0 ? 0 : Math.trunc(a / b))],
		'%': [10, (a, b) => (b === 0 ? 0 : a % b)],
		'+': [9, (a, b) => a + b],
		'-': [9, (a, b) => a - b],
		'<<': [8, (a, b) => a << b],
		'>>': [8, (a, b) => a >> b],
		'<': [7, (a, b) => +(a < b)],
		'<=': [7, (a, b) => +(a <= b)],
		'>': [7, (a, b) => +(a > b)],
		'>=': [7, (a, b) => +(a >= b)],
		'==': [6, (a, b) => +(a === b)],
		'!=': [6, (a, b) => +(a !== b)],
		'&': [5, (a, b) => a & b],
		'^': [4, (a, b) => a ^ b],
		'|': [3, (a, b) => a | b],
	};

	const binary = (minPrec: number): Value => {
		let left = primary();
		for (;;) {
			const op = peek();
			if (op === '&&' || op === '||') {
				if (minPrec > (op === '&&' ? 2 : 1)) return left;
				next();
				const right = binary(op === '&&' ? 3 : 2);
				if (op === '&&') {
					left = left === 0 || right === 0 ? 0 : left === undefined || right === undefined ? undefined : 1;
				} else {
					left =
						(left !== undefined && left !== 0) || (right !== undefined && right !== 0)
							? 1
							: left === undefined || right === undefined
								? undefined
								: 0;
				}
				continue;
			}
			const entry = op === undefined ? undefined : BINARY[op];
			if (!entry || entry[0] < minPrec) return left;
			next();
			const right = binary(entry[0] + 1);
			left = left === undefined || right === undefined ? undefined : entry[1](left, right);
		}
	};

	const ternary = (): Value => {
		const cond = binary(0);
		if (peek() !== '?') return cond;
		next();
		const a = ternary();
		if (next() !== ':') throw new Error('bad ?:');
		const b = ternary();
		return cond === undefined ? (a === b ? a : undefined) : cond !== 0 ? a : b;
	};

	try {
		const v = ternary();
		return pos === tokens.length ? v : undefined;
	} catch {
		return undefined;
	}
}
