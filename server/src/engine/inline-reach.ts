/**
 * What a module reaches through the kernel's header inlines. Calling `rcu_read_lock()`
 * compiles the `static inline` body from include/linux/rcupdate.h into the module; with
 * CONFIG_PREEMPT_RCU=y that body calls `__rcu_read_lock`, a GPL-only export, and modpost
 * judges the module by it although the module never names it.
 *
 * Which of a name's definitions a module compiles is decided from the conditionals around
 * each definition in its header, as a module of the indexed kernel sees them (the index's
 * .config, MODULE defined; syntax/conditionals.ts). A name is followed only when that is
 * certain: one public header definition certainly compiled and every other one certainly
 * not, or none compiled (then the name links against its export). Anything that depends on
 * an unknown option, an arch-dependent header without a known arch, or a condition inside
 * the body is not followed: silence, not a guess.
 *
 * Results are memoized per index and dropped whenever the call graph changes. Header texts
 * are read from the tree on first need.
 */
import { readFileSync, statSync } from 'node:fs';
import { MAX_SOURCE_BYTES, type CallSite, type ExportRecord, type FunctionRecord, type KernelIndex } from './kernel/index';
import type { KernelVersion } from './kernel/version';
import { conditionals, evaluate, type BuildEnv } from './syntax/conditionals';

/** Inline hops followed from a module's use. */
const MAX_DEPTH = 5;

export interface InlineReach {
	/** The export the module ends up referencing. */
	export: ExportRecord;
	/** Names from the module's use to the export: rcu_read_lock → __rcu_read_lock. */
	path: readonly string[];
}

/** How a module's use of a name compiles: a header inline, a reference to an extern, or unknown. */
export type ActiveDefinition = { kind: 'inline'; definition: FunctionRecord } | { kind: 'extern' } | { kind: 'unknown' };

const enum Line {
	Live = 0,
	Uncertain = 1,
	Dead = 2,
}

/** Kconfig's arch symbols → the arch/ directory whose headers a build includes. */
const ARCHES: [string, string][] = [
	['X86', 'x86'],
	['ARM64', 'arm64'],
	['ARM', 'arm'],
	['RISCV', 'riscv'],
	['PPC', 'powerpc'],
	['S390', 's390'],
	['MIPS', 'mips'],
	['LOONGARCH', 'loongarch'],
];

interface Header {
	/** The text as blankNonCode leaves it. */
	code: string;
	lineStarts: number[];
	/** Line by line: Line.Live, Uncertain or Dead under the build's conditionals. */
	states: Uint8Array;
}

/** What a build compiles of one inline's body, by offset in its header. */
interface Body {
	state(offset: number): Line;
}

/** Compile-time constants a condition may test: a branch on them may be folded away. */
const COMPILE_TIME_RE = /\b(IS_ENABLED|IS_BUILTIN|IS_MODULE|IS_REACHABLE|CONFIG_\w+|__builtin_constant_p|sizeof|__is_constexpr)\b/;

/** Comments, literals and preprocessor lines (the line states judge those) blanked, offsets kept. */
function blankNonCode(text: string): string {
	return text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|^[ \t]*#(?:[^\n]*\\\n)*[^\n]*/gm, (m) =>
		m.replace(/[^\n]/g, ' '),
	);
}

/** The offset just past the bracket matching the one at `open`, or the text's end. */
function matching(code: string, open: number): number {
	const o = code[open];
	const c = o === '(' ? ')' : '}';
	let depth = 0;
	for (let i = open; i < code.length; i++) {
		if (code[i] === o) depth++;
		else if (code[i] === c && --depth === 0) return i + 1;
	}
	return code.length;
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
function analyzeBody(code: string, nameAt: number, version: KernelVersion | undefined, env: BuildEnv): Body | undefined {
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
		const v = evaluate(cond.replace(/\s+/g, ' '), version, env);
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

class InlineView {
	private readonly env: BuildEnv;
	private readonly arch?: string;
	private readonly headers = new Map<string, Header | undefined>();
	private readonly bodies = new Map<string, Body | undefined>();
	private readonly active = new Map<string, ActiveDefinition>();
	private readonly reached = new Map<string, readonly InlineReach[]>();

	constructor(private readonly kernel: KernelIndex) {
		const config = kernel.dotConfig;
		this.env = { config, module: true };
		this.arch = config && ARCHES.find(([symbol]) => config.get(symbol) === 'y')?.[1];
		kernel.graph.onFileChange((rel) => {
			this.headers.delete(rel);
			this.bodies.clear();
			this.active.clear();
			this.reached.clear();
		});
	}

	/** A header a module may include: include/, or the configured arch's include/ (undefined: unknown arch). */
	private isPublicHeader(file: string): boolean | undefined {
		if (!file.endsWith('.h')) return false;
		if (file.startsWith('include/')) return true;
		const m = /^arch\/([^/]+)\/include\//.exec(file);
		if (!m) return false;
		return this.arch === undefined ? undefined : m[1] === this.arch;
	}

	private header(file: string): Header | undefined {
		if (!this.headers.has(file)) this.headers.set(file, this.readHeader(file));
		return this.headers.get(file);
	}

	private lineState(file: string, line: number): Line {
		const states = this.header(file)?.states;
		return states ? ((states[line] ?? Line.Uncertain) as Line) : Line.Uncertain;
	}

	private readHeader(file: string): Header | undefined {
		let text: string;
		try {
			const path = this.kernel.absolutePath(file);
			if (statSync(path).size > MAX_SOURCE_BYTES) return undefined;
			text = readFileSync(path, 'utf8');
		} catch {
			return undefined;
		}
		const { dead, uncertain } = conditionals(text, this.kernel.version, this.env);
		const lineStarts = [0];
		for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
		const states = new Uint8Array(lineStarts.length);
		for (const s of uncertain) states.fill(Line.Uncertain, s.start, s.end + 1);
		for (const s of dead) states.fill(Line.Dead, s.start, s.end + 1);
		return { code: blankNonCode(text), lineStarts, states };
	}

	/** Whether a build compiles the call at `site` in the body of `def`: its line, then the body's C-level constants. */
	private siteState(def: FunctionRecord, site: CallSite): Line {
		const line = this.lineState(site.file, site.line);
		if (line !== Line.Live) return line;
		const key = `${def.file}\0${def.line}\0${def.character}`;
		if (!this.bodies.has(key)) {
			const header = this.header(def.file);
			this.bodies.set(key, header && analyzeBody(header.code, header.lineStarts[def.line] + def.character, this.kernel.version, this.env));
		}
		const body = this.bodies.get(key);
		const header = this.header(site.file);
		return body && header ? body.state(header.lineStarts[site.line] + site.character) : Line.Uncertain;
	}

	activeDefinition(name: string): ActiveDefinition {
		let result = this.active.get(name);
		if (!result) {
			result = this.decide(name);
			this.active.set(name, result);
		}
		return result;
	}

	private decide(name: string): ActiveDefinition {
		const live: FunctionRecord[] = [];
		for (const def of this.kernel.definitionsOf(name)) {
			const visible = this.isPublicHeader(def.file);
			if (visible === false) continue;
			const state = visible === undefined || !def.isStatic ? Line.Uncertain : this.lineState(def.file, def.line);
			if (state === Line.Uncertain) return { kind: 'unknown' };
			if (state === Line.Live) live.push(def);
		}
		if (live.length === 0) return { kind: 'extern' };
		// An arch header and a generic fallback both unconditional: the arch's is the one included.
		const chosen = live.length === 1 ? live : live.filter((d) => d.file.startsWith('arch/'));
		return chosen.length === 1 ? { kind: 'inline', definition: chosen[0] } : { kind: 'unknown' };
	}

	/** Exports reached from the body of the inline `def`, following further inlines while `depth` allows. */
	reach(def: FunctionRecord, depth: number): readonly InlineReach[] {
		const key = `${def.name}\0${def.file}\0${depth}`;
		const memo = this.reached.get(key);
		if (memo) return memo;
		// A recursive inline meets itself here: nothing more through that path.
		this.reached.set(key, []);
		const best = new Map<string, InlineReach>();
		const add = (r: InlineReach) => {
			const had = best.get(r.export.symbol);
			if (!had || r.path.length < had.path.length) best.set(r.export.symbol, r);
		};
		for (const site of this.kernel.calleesOf(def.name, def.file)) {
			if (site.callee === def.name || this.siteState(def, site) !== Line.Live) continue;
			const next = this.activeDefinition(site.callee);
			if (next.kind === 'extern') {
				const exp = this.kernel.exportOf(site.callee);
				if (exp) add({ export: exp, path: [def.name, site.callee] });
			} else if (next.kind === 'inline' && depth < MAX_DEPTH) {
				for (const r of this.reach(next.definition, depth + 1)) add({ export: r.export, path: [def.name, ...r.path] });
			}
		}
		const result = [...best.values()];
		this.reached.set(key, result);
		return result;
	}
}

const views = new WeakMap<KernelIndex, InlineView>();

function viewOf(kernel: KernelIndex): InlineView {
	let view = views.get(kernel);
	if (!view) {
		view = new InlineView(kernel);
		views.set(kernel, view);
	}
	return view;
}

/** How a module's use of `name` compiles; unknown until the index has its functions. */
export function activeDefinition(kernel: KernelIndex, name: string): ActiveDefinition {
	return kernel.ready.functions ? viewOf(kernel).activeDefinition(name) : { kind: 'unknown' };
}

/**
 * The exports a module references by using `name` when `name` is certainly a header inline
 * (empty otherwise): one entry per export, with the shortest path found.
 */
export function exportsThroughInline(kernel: KernelIndex, name: string): readonly InlineReach[] {
	const active = activeDefinition(kernel, name);
	return active.kind === 'inline' ? viewOf(kernel).reach(active.definition, 1) : [];
}
