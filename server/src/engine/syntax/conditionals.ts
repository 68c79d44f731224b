/**
 * Which lines are compiled out for the indexed kernel's version. Only conditions built from
 * LINUX_VERSION_CODE, KERNEL_VERSION(a, b, c) and constants (`#if 0`) can be decided
 * without a build; any other condition is unknown and judged as if enabled, so all of its
 * branches stay live.
 */
import { kernelVersionCode, versionCode, type KernelVersion } from '../kernel/version';

/** A 0-based, inclusive line span whose code is dead. */
export interface LineSpan {
	start: number;
	end: number;
}

type Value = number | undefined;

interface Frame {
	/** A previous branch was certainly taken, so later ones are dead. */
	taken: boolean;
	/** A previous branch may have been taken (its condition was unknown). */
	maybeTaken: boolean;
	dead: boolean;
	start: number;
}

const DIRECTIVE_RE = /^[ \t]*#[ \t]*(if|ifdef|ifndef|elif|else|endif)\b(.*)$/;

export function deadSpans(text: string, version: KernelVersion | undefined): LineSpan[] {
	if (!text.includes('#')) return [];
	const spans: LineSpan[] = [];
	const stack: Frame[] = [];
	const lines = text.split('\n');
	const close = (frame: Frame, end: number) => {
		if (frame.dead && !stack.slice(0, -1).some((f) => f.dead)) spans.push({ start: frame.start, end });
	};
	for (let i = 0; i < lines.length; i++) {
		const first = i;
		let line = lines[i];
		while (line.endsWith('\\') && i + 1 < lines.length) line = line.slice(0, -1) + lines[++i];
		const m = DIRECTIVE_RE.exec(line);
		if (!m) continue;
		const [, kind, rest] = m;
		const cond = rest.replace(/\/\*.*?\*\//g, ' ').replace(/\/\/.*$/, '');
		if (kind === 'if' || kind === 'ifdef' || kind === 'ifndef') {
			const v = kind === 'if' ? evaluate(cond, version) : undefined;
			stack.push({ taken: v !== undefined && v !== 0, maybeTaken: v === undefined, dead: v === 0, start: i + 1 });
		} else if (stack.length > 0) {
			const frame = stack[stack.length - 1];
			close(frame, first - 1);
			if (kind === 'endif') {
				stack.pop();
				continue;
			}
			const v = kind === 'elif' ? evaluate(cond, version) : 1;
			if (frame.taken) frame.dead = true;
			else {
				frame.dead = v === 0;
				if (v === undefined) frame.maybeTaken = true;
				else if (v !== 0 && !frame.maybeTaken) frame.taken = true;
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
	return spans.filter((s) => s.end >= s.start);
}

export function isDead(spans: readonly LineSpan[], line: number): boolean {
	return spans.some((s) => line >= s.start && line <= s.end);
}

const TOKEN_RE = /\s*(0[xX][0-9a-fA-F]+|\d+)[uUlL]*|\s*([A-Za-z_]\w*)|\s*(&&|\|\||<<|>>|<=|>=|==|!=|[()!<>+\-*/%&|^~?:,])/y;

/** Evaluates a preprocessor condition; undefined means it cannot be known without a build. */
export function evaluate(expr: string, version: KernelVersion | undefined): Value {
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
			if (peek() === '(') {
				next();
				next();
				next();
			} else next();
			return undefined;
		}
		if (/^[A-Za-z_]/.test(t)) {
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
