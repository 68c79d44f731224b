/**
 * The function prototypes of a headers tree's headers: `extern int foo(struct bar *);` says
 * the kernel has a foo() a module may call, and whether a module can link it is then only
 * Module.symvers' to say. Built on the first question from the header texts (comments,
 * literals and preprocessor lines blanked), memoized per index and dropped when a header
 * changes. A prototype on a line this build compiles out (the index's .config, MODULE
 * defined) declares nothing.
 */
import { blankNonCode, matchingBracket } from '../kernel/lexscan';
import { readFileSync, statSync } from 'node:fs';
import { conditionals } from '../syntax/conditionals';
import { MAX_SOURCE_BYTES, type KernelIndex } from '../kernel/index';

export interface Declaration {
	name: string;
	/** Relative to the index's roots. */
	file: string;
	/** 0-based. */
	line: number;
	character: number;
}


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

/** Every prototype at file scope of one header's text. */
export function prototypes(file: string, text: string): Declaration[] {
	const code = blankNonCode(text);
	const out: Declaration[] = [];
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
				if (d) out.push({ name: d.name, file, line: 0, character: d.at });
			}
			start = i + 1;
			body = false;
		}
	}
	if (out.length === 0) return out;
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

class DeclarationTable {
	private table?: Map<string, Declaration[]>;
	private readonly live = new Map<string, Declaration | undefined>();

	constructor(private readonly kernel: KernelIndex) {
		kernel.graph.onFileChange((rel) => {
			if (!rel.endsWith('.h')) return;
			this.table = undefined;
			this.live.clear();
		});
	}

	private read(rel: string): string | undefined {
		try {
			const path = this.kernel.absolutePath(rel);
			const st = statSync(path);
			return st.isFile() && st.size <= MAX_SOURCE_BYTES ? readFileSync(path, 'latin1') : undefined;
		} catch {
			return undefined;
		}
	}

	private all(): Map<string, Declaration[]> {
		if (this.table) return this.table;
		const table = new Map<string, Declaration[]>();
		for (const rel of this.kernel.sourcePaths()) {
			if (!rel.endsWith('.h')) continue;
			const text = this.read(rel);
			if (text === undefined) continue;
			for (const d of prototypes(rel, text)) {
				const list = table.get(d.name);
				if (list) list.push(d);
				else table.set(d.name, [d]);
			}
		}
		this.table = table;
		return table;
	}

	/** A prototype of `name` on a line this build compiles, if any. */
	declaration(name: string): Declaration | undefined {
		if (this.live.has(name)) return this.live.get(name);
		const env = { config: this.kernel.dotConfig, module: true };
		const found = (this.all().get(name) ?? []).find((d) => {
			const text = this.read(d.file);
			if (text === undefined) return false;
			const { dead, uncertain } = conditionals(text, this.kernel.version, env);
			return ![...dead, ...uncertain].some((s) => d.line >= s.start && d.line <= s.end);
		});
		this.live.set(name, found);
		return found;
	}
}

const tables = new WeakMap<KernelIndex, DeclarationTable>();

/** The compiled prototype of `name` in the index's headers (see DeclarationTable). */
export function headerDeclaration(kernel: KernelIndex, name: string): Declaration | undefined {
	let table = tables.get(kernel);
	if (!table) {
		table = new DeclarationTable(kernel);
		tables.set(kernel, table);
	}
	return table.declaration(name);
}
