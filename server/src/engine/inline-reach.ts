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
 * Header macros are the other half of the model: `class_create(o, n)` expands to a call of
 * the GPL-only `__class_create`, `max(a, b)` to no function at all. A name #defined in a header
 * a module may include is a macro, never a function the module links (unless every such
 * definition is compiled out for this build), and what its body calls is followed like an
 * inline's body, under the same certainty rule: one definition certainly compiled, a body
 * without compile-time choices.
 *
 * Results are memoized per index and dropped whenever the call graph changes. Header texts
 * are read from the tree on first need; the macro table on the first macro question.
 */
import { posix } from 'node:path';
import { type CallSite, type ExportRecord, type FunctionRecord, type KernelIndex } from './kernel/index';
import { archOf } from './kernel/headers';
import type { SiteTable } from './kernel/headerscan';
import { blankComments, blankNonCode, LineMap, matchingBracket } from './lex';
import { readText } from './read';
import { conditionals, moduleBuildEnv, type BuildEnv } from './syntax/conditionals';
import { argumentFact, callArguments, foldChoices, type ArgumentFact } from './syntax/choices';
import { analyzeBody, Line, type Body } from './syntax/folding';
import { macroBody, macroParams, paramName } from './syntax/facts';

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

/** A `#define` of a header. */
export interface MacroSite {
	name: string;
	file: string;
	/** 0-based line of the `#define`. */
	line: number;
}

/**
 * What a name is to a module as far as header macros go: none (no header defines it, or
 * every definition is compiled out), one certain definition with its body's names, or a
 * macro whose definition this build cannot pin down.
 */
export type MacroVerdict =
	| { kind: 'none' }
	| {
			kind: 'macro';
			site: MacroSite;
			/** Parameters as written (function-like macros), and the replacement text. */
			params?: readonly string[];
			body: string;
			calls: readonly string[];
			references: readonly string[];
			certain: boolean;
	  }
	| { kind: 'unknown' };



interface Header {
	/** The text as read. */
	text: string;
	/** The text as blankNonCode leaves it. */
	code: string;
	lines: LineMap;
	/** Line by line: Line.Live, Uncertain or Dead under the build's conditionals. */
	states: Uint8Array;
}


/**
 * …and in a macro body, the compile-time selectors a macro may use. `sizeof` alone is an
 * argument (`__alloc_percpu(sizeof(type), …)`); with `switch` or `?` it picks a branch.
 */
const MACRO_CHOICE_RE = /\b(IS_ENABLED|IS_BUILTIN|IS_MODULE|IS_REACHABLE|CONFIG_\w+|__builtin_constant_p|__builtin_choose_expr|_Generic|__is_constexpr)\b|\bsizeof\b[^]*(\?|\bswitch\b)|\bswitch\b[^]*\bsizeof\b/;

/** A name in a body that is not a member (`.x`, `->x`: group 1) and not called. */
const DATA_REF_RE = /(\.|->)?\s*\b([A-Za-z_]\w*)\b(?!\s*\()/g;

/** The arms of a `c ? a : b` up to the next `,` `;` or brace. */
const TERNARY_ARMS_RE = /\?[^:;,{}]*:[^,;{}]*/g;

/** The parameters and body of the `#define` on `line` of `text`, continuations joined. */
function macroAt(text: string, lines: LineMap, line: number): { params?: string[]; body: string } | undefined {
	const start = lines.lineStart(line);
	let end = start;
	for (;;) {
		const nl = text.indexOf('\n', end);
		if (nl < 0) {
			end = text.length;
			break;
		}
		end = nl;
		if (text[nl - 1] !== '\\' && !(text[nl - 1] === '\r' && text[nl - 2] === '\\')) break;
		end = nl + 1;
	}
	const logical = blankComments(text.slice(start, end)).replace(/\\\r?\n/g, ' ');
	const m = /^[ \t]*#[ \t]*define[ \t]+[A-Za-z_]\w*(\(([^)]*)\))?/.exec(logical);
	if (!m) return undefined;
	const params = m[1] === undefined ? undefined : macroParams(m[2]);
	return { params, body: logical.slice(m[0].length) };
}





/**
 * How `#include <P>` of a header outside include/ is recorded (headerscan keeps `<P>` as
 * include/P): arch/x86/include/asm/page_64.h is included as `<asm/page_64.h>`. cpp looks in
 * the arch's include/, generated/ and uapi/ dirs before and after include/, so a recorded
 * include/P that does not exist is the header of the same P in those dirs.
 */
function angledSpelling(file: string): string | undefined {
	const m = /^(?:arch\/[^/]+\/include\/(?:generated\/)?(?:uapi\/)?|include\/(?:generated\/)?uapi\/)(.+)$/.exec(file);
	return m ? `include/${m[1]}` : undefined;
}

class InlineView {
	private readonly env: BuildEnv;
	private readonly arch?: string;
	private readonly headers = new Map<string, Header | undefined>();
	private readonly bodies = new Map<string, Body | undefined>();
	private readonly active = new Map<string, ActiveDefinition>();
	private readonly reached = new Map<string, readonly InlineReach[]>();
	private readonly headerStates = new Map<string, Line>();
	private readonly exportVerdicts = new Map<string, ExportRecord | undefined>();
	private includedBy?: Map<string, { file: string; line: number }[]>;
	private readonly macroVerdicts = new Map<string, MacroVerdict>();
	private readonly macroReached = new Map<string, readonly InlineReach[]>();

	constructor(private readonly kernel: KernelIndex) {
		const config = kernel.dotConfig;
		this.env = moduleBuildEnv(config);
		this.arch = archOf(config);
		kernel.graph.onFileChange((rel) => {
			this.headers.delete(rel);
			this.bodies.clear();
			this.active.clear();
			this.reached.clear();
			this.macroVerdicts.clear();
			this.macroReached.clear();
			this.exportVerdicts.clear();
			this.includedBy = undefined;
			this.headerStates.clear();
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
		const state = states ? ((states[line] ?? Line.Uncertain) as Line) : Line.Uncertain;
		return state === Line.Dead || this.isPublicHeader(file) !== true ? state : (Math.max(state, this.headerState(file)) as Line);
	}

	/**
	 * Whether a build includes the header at all. rcupdate.h includes rcutree.h or rcutiny.h
	 * under CONFIG_TREE_RCU / CONFIG_TINY_RCU: a header that other headers include only on
	 * dead lines is dead as a whole (a module includes such a header only through them).
	 * A header no other header includes is one a module includes itself: live.
	 */
	private headerState(file: string): Line {
		const known = this.headerStates.get(file);
		if (known !== undefined) return known;
		// Include cycles (guards make them harmless to cpp) end here as live.
		this.headerStates.set(file, Line.Live);
		const sites = this.publicSites(this.kernel.headerSites().includes, file);
		const spelled = angledSpelling(file);
		if (spelled && !this.kernel.sourceState(spelled)) for (const s of this.publicSites(this.kernel.headerSites().includes, spelled)) sites.push(s);
		let state = sites.length === 0 ? this.unincludedState(file) : Line.Dead;
		for (const site of sites) {
			const s = this.lineState(site.file, site.line);
			if (s < state) state = s;
			if (state === Line.Live) break;
		}
		this.headerStates.set(file, state);
		return state;
	}

	/**
	 * A header no public header includes. A module includes it itself (live), unless it is an
	 * asm-generic header: a module reaches those only as `<asm/x.h>`, which is the arch's own
	 * header when the arch has one (asm-generic/page.h's `clear_page` macro is for nommu
	 * arches; x86 has its own page.h), else the wrapper kbuild generates from the arch's
	 * `generic-y` or asm-generic's `mandatory-y` (a headers tree ships those wrappers: then
	 * the header has an include site).
	 */
	private unincludedState(file: string): Line {
		const m = /^include\/(uapi\/)?asm-generic\/(.+)$/.exec(file);
		if (!m) return Line.Live;
		if (this.arch === undefined) return Line.Uncertain;
		const asm = `arch/${this.arch}/include/${m[1] ?? ''}asm`;
		if (this.kernel.sourceState(`${asm}/${m[2]}`)) return Line.Dead;
		const listed = (kbuild: string, kind: string) =>
			new RegExp(`^\\s*${kind}\\s*\\+?=.*(?:\\s|=)${m[2].replace(/\./g, '\\.')}(?:\\s|$)`, 'm').test(this.treeText(kbuild) ?? '');
		return listed(`${asm}/Kbuild`, 'generic-y') || listed(`include/${m[1] ?? ''}asm-generic/Kbuild`, 'mandatory-y') ? Line.Live : Line.Dead;
	}

	/** A regular file of the tree, not huge; undefined when it cannot be read. */
	private treeText(rel: string): string | undefined {
		return readText(this.kernel.absolutePath(rel), 'source');
	}

	private readHeader(file: string): Header | undefined {
		const text = this.treeText(file);
		if (text === undefined) return undefined;
		const { dead, uncertain } = conditionals(text, this.kernel.version, this.env);
		// The macro table reads every header; keep only the ones a question is asked about.
		const lines = new LineMap(text);
		const states = new Uint8Array(lines.lineCount);
		for (const s of uncertain) states.fill(Line.Uncertain, s.start, s.end + 1);
		for (const s of dead) states.fill(Line.Dead, s.start, s.end + 1);
		return { text, code: blankNonCode(text), lines, states };
	}

	/** Whether a build compiles the call at `site` in the body of `def`: its line, then the body's C-level constants. */
	private siteState(def: FunctionRecord, site: CallSite): Line {
		const line = this.lineState(site.file, site.line);
		if (line !== Line.Live) return line;
		const key = `${def.file}\0${def.line}\0${def.character}`;
		if (!this.bodies.has(key)) {
			const header = this.header(def.file);
			this.bodies.set(key, header && analyzeBody(header.code, header.lines.lineStart(def.line) + def.character, this.kernel.version, this.env));
		}
		const body = this.bodies.get(key);
		const header = this.header(site.file);
		return body && header ? body.state(header.lines.lineStart(site.line) + site.character) : Line.Uncertain;
	}

	/**
	 * Whether a call in a header body reaches the compiled code: not when it sits in the
	 * arguments of a macro that drops them (`RCU_LOCKDEP_WARN(!rcu_is_watching(), …)` is
	 * `while (0 && (c))` without CONFIG_PROVE_RCU), pastes them, or is unknown here.
	 */
	private reachesCode(site: CallSite): boolean {
		const header = this.header(site.file);
		if (!header) return false;
		const call = enclosingCall(header.code, header.lines.lineStart(site.line) + site.character);
		if (!call) return true;
		if (call.pasted) return false;
		const text = (name: string): MacroText | 'unknown' | undefined => {
			const v = this.macroVerdict(name);
			return v.kind === 'macro' ? v : v.kind === 'unknown' ? 'unknown' : undefined;
		};
		return argumentReaches(text, call.name, call.index);
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

	/**
	 * The export of `symbol` that this build makes, when the index has a .config: the first
	 * record (in exportOf's preference) from a file the build compiles, on a line the .config
	 * compiles (`#ifdef CONFIG_DEBUG_LOCK_ALLOC` picks ww_mutex_lock's GPL or plain export;
	 * TINY_RCU off drops kernel/rcu/tiny.c's rcu_barrier). Without a .config, exportOf's.
	 */
	activeExport(symbol: string): ExportRecord | undefined {
		const records = this.kernel.exports.get(symbol);
		// Module.symvers is the build's own answer: nothing to decide.
		if (!records || !this.env.config || this.kernel.exportsFromBuild) return records?.[0];
		if (this.exportVerdicts.has(symbol)) return this.exportVerdicts.get(symbol);
		const built = records.find((r) => this.isBuilt(r.file, 0) && this.lineState(r.file, r.line) !== Line.Dead);
		this.exportVerdicts.set(symbol, built);
		return built;
	}

	/**
	 * Whether this build compiles `file`: a unit lists it, or a compiled line of a built file
	 * `#include`s it (kernel/sched/build_utility.c includes completion.c).
	 */
	private isBuilt(file: string, depth: number): boolean {
		if (this.kernel.unitOfFile.has(file)) return true;
		if (depth > 3) return false;
		return (this.includers().get(file) ?? []).some((site) => this.isBuilt(site.file, depth + 1) && this.lineState(site.file, site.line) !== Line.Dead);
	}

	/** File → the files that #include it by a quoted path, as far as the index's lexical facts know. */
	private includers(): Map<string, { file: string; line: number }[]> {
		if (this.includedBy) return this.includedBy;
		const map = new Map<string, { file: string; line: number }[]>();
		for (const [file, meta] of this.kernel.fileMeta) {
			for (const inc of meta.includes ?? []) {
				// `.c` files and private headers with code (kernel/rcu/tree.c includes tree_plugin.h).
				if (!inc.quoted) continue;
				// Next to the includer, or one directory up (`-I $(src)/..`, as aha152x_cs has it).
				const dir = posix.dirname(file);
				const target = [posix.join(dir, inc.path), posix.join(posix.dirname(dir), inc.path)].find((p) => this.kernel.sourceState(p));
				if (!target) continue;
				const list = map.get(target);
				const site = { file, line: inc.range.start.line };
				if (list) list.push(site);
				else map.set(target, [site]);
			}
		}
		this.includedBy = map;
		return map;
	}

	/** The sites of `name` in the headers a module of this build may include (not another arch's). */
	private publicSites(table: SiteTable, name: string): { file: string; line: number }[] {
		return table.sites(name).filter((site) => this.isPublicHeader(site.file) !== false);
	}

	definesAnywhere(name: string): boolean {
		return this.publicSites(this.kernel.headerSites().defines, name).length > 0;
	}

	macroVerdict(name: string): MacroVerdict {
		let verdict = this.macroVerdicts.get(name);
		if (!verdict) {
			verdict = this.decideMacro(name);
			this.macroVerdicts.set(name, verdict);
		}
		return verdict;
	}

	private decideMacro(name: string): MacroVerdict {
		const live: MacroSite[] = [];
		let uncertain = false;
		for (const { file, line } of this.publicSites(this.kernel.headerSites().defines, name)) {
			const site = { name, file, line };
			const state = this.isPublicHeader(site.file) === undefined ? Line.Uncertain : this.lineState(site.file, site.line);
			if (state === Line.Uncertain) uncertain = true;
			else if (state === Line.Live) live.push(site);
		}
		if (live.length === 0) return uncertain ? { kind: 'unknown' } : { kind: 'none' };
		const chosen = live.length === 1 ? live : live.filter((d) => d.file.startsWith('arch/'));
		if (uncertain || chosen.length !== 1) return { kind: 'unknown' };
		const site = chosen[0];
		const header = this.header(site.file);
		const def = header && macroAt(header.text, header.lines, site.line);
		if (!def) return { kind: 'unknown' };
		const params = new Set(def.params?.map(paramName));
		const { calls, references } = macroBody(def.body, params);
		// `is_signed ? write_signed : write`: which name a ternary on an argument picks is not
		// known here; calls stay (both arms are compiled), the arms' mentions are dropped.
		const unpicked = def.body.includes('?') ? macroBody(def.body.replace(TERNARY_ARMS_RE, ' '), params).references : references;
		return {
			kind: 'macro',
			site,
			params: def.params,
			body: def.body,
			calls,
			references: unpicked,
			certain: !MACRO_CHOICE_RE.test(def.body),
		};
	}

	/**
	 * What one expansion of the certain macro `verdict` compiles, given what is known of its
	 * arguments (syntax/choices.ts): its calls and references, undefined when a compile-time
	 * choice is left that the facts do not decide.
	 */
	private expansion(verdict: Extract<MacroVerdict, { kind: 'macro' }>, facts: ReadonlyMap<string, ArgumentFact>): { body: string; names: readonly string[] } | undefined {
		if (facts.size === 0) return verdict.certain ? { body: verdict.body, names: [...verdict.calls, ...verdict.references] } : undefined;
		const body = foldChoices(verdict.body, facts);
		if (MACRO_CHOICE_RE.test(body)) return undefined;
		const params = new Set(verdict.params?.map(paramName));
		const { calls, references } = macroBody(body, params);
		const unpicked = body.includes('?') ? macroBody(body.replace(TERNARY_ARMS_RE, ' '), params).references : references;
		return { body, names: [...calls, ...unpicked] };
	}

	/** A call of an extern function: its value is never a compile-time constant. */
	private isRuntimeCall = (name: string): boolean =>
		this.macroVerdict(name).kind === 'none' && this.activeDefinition(name).kind === 'extern' && (this.kernel.exports.has(name) || this.kernel.definitionsOf(name).length > 0);

	/** What the expansion `body` (with `facts` for its own parameters) passes to the macro `callee`, by the callee's parameter names. */
	private argumentFacts(body: string, facts: ReadonlyMap<string, ArgumentFact>, callee: Extract<MacroVerdict, { kind: 'macro' }>): Map<string, ArgumentFact> {
		const out = new Map<string, ArgumentFact>();
		const args = callee.params && callArguments(body, callee.site.name);
		if (!args || !callee.params) return out;
		callee.params.forEach((param, i) => {
			if (param.endsWith('...') || i >= args.length) return;
			const fact = facts.get(args[i].trim()) ?? argumentFact(args[i], this.isRuntimeCall);
			if (fact) out.set(paramName(param), fact);
		});
		return out;
	}

	/**
	 * Exports reached by expanding the macro `name`: its body's calls and references, through
	 * further macros and inlines while `depth` allows. Only certain definitions and bodies, or
	 * bodies whose choices the arguments of this expansion decide (`facts`, by parameter).
	 */
	macroReach(name: string, depth: number, facts: ReadonlyMap<string, ArgumentFact> = new Map()): readonly InlineReach[] {
		const key = `${name}\0${depth}\0${[...facts].map(([p, f]) => `${p}=${f.literal ?? f.constant}`).join(',')}`;
		const memo = this.macroReached.get(key);
		if (memo) return memo;
		this.macroReached.set(key, []);
		const verdict = this.macroVerdict(name);
		const best = new Map<string, InlineReach>();
		const add = (r: InlineReach) => {
			const had = best.get(r.export.symbol);
			if (!had || r.path.length < had.path.length) best.set(r.export.symbol, r);
		};
		const expanded = verdict.kind === 'macro' ? this.expansion(verdict, facts) : undefined;
		for (const callee of expanded?.names ?? []) {
			if (callee === name) continue;
			const inner = this.macroVerdict(callee);
			if (inner.kind === 'unknown') continue;
			if (inner.kind === 'macro') {
				if (depth < MAX_DEPTH) {
					const passed = this.argumentFacts(expanded!.body, facts, inner);
					for (const r of this.macroReach(callee, depth + 1, passed)) add({ export: r.export, path: [name, ...r.path] });
				}
				continue;
			}
			const next = this.activeDefinition(callee);
			if (next.kind === 'extern') {
				const exp = this.activeExport(callee);
				if (exp) add({ export: exp, path: [name, callee] });
			} else if (next.kind === 'inline' && depth < MAX_DEPTH) {
				for (const r of this.reach(next.definition, depth + 1)) add({ export: r.export, path: [name, ...r.path] });
			}
		}
		const result = [...best.values()];
		this.macroReached.set(key, result);
		return result;
	}

	/**
	 * Exported names an inline's body mentions without calling them: data such as
	 * `this_cpu_ptr(&bpf_redirect_info)` or `byte_rev_table[x]`, which the index's scanner
	 * does not record. Members (`.x`, `->x`), calls, macros and inlines are left out.
	 */
	private dataReferences(def: FunctionRecord): CallSite[] {
		const header = this.header(def.file);
		if (!header) return [];
		const code = header.code;
		let open = header.lines.lineStart(def.line) + def.character;
		while (open < code.length && code[open] !== '{' && code[open] !== ';') {
			if (code[open] === '(') {
				open = matchingBracket(code, open);
				if (open < 0) return [];
			}
			open++;
		}
		if (code[open] !== '{') return [];
		const close = matchingBracket(code, open);
		if (close < 0) return [];
		const sites: CallSite[] = [];
		const seen = new Set<string>();
		for (const m of code.slice(open, close).matchAll(DATA_REF_RE)) {
			const name = m[2];
			if (m[1] || seen.has(name) || !this.kernel.exports.has(name)) continue;
			seen.add(name);
			if (this.macroVerdict(name).kind !== 'none' || this.activeDefinition(name).kind === 'inline') continue;
			const at = open + (m.index ?? 0) + m[0].length - name.length;
			const { line, character } = header.lines.position(at);
			sites.push({ caller: def.name, callee: name, file: def.file, line, character, kind: 'reference' });
		}
		return sites;
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
		for (const site of this.dataReferences(def)) {
			if (this.siteState(def, site) !== Line.Live || !this.reachesCode(site)) continue;
			const exp = this.activeExport(site.callee);
			if (exp) add({ export: exp, path: [def.name, site.callee] });
		}
		for (const site of this.kernel.calleesOf(def.name, def.file)) {
			if (site.callee === def.name || this.siteState(def, site) !== Line.Live || !this.reachesCode(site)) continue;
			// An inline's body may call through a macro (rcu_dereference, WARN_ON, class_create…).
			const macro = this.macroVerdict(site.callee);
			if (macro.kind === 'unknown') continue;
			if (macro.kind === 'macro') {
				if (depth < MAX_DEPTH) for (const r of this.macroReach(site.callee, depth + 1)) add({ export: r.export, path: [def.name, ...r.path] });
				continue;
			}
			const next = this.activeDefinition(site.callee);
			if (next.kind === 'extern') {
				const exp = this.activeExport(site.callee);
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

/**
 * The export a module of this build links for `symbol` (see InlineView.activeExport); given
 * the module, its package's exports too (a sibling module of the same out-of-tree build).
 */
export function activeExport(
	kernel: KernelIndex,
	symbol: string,
	module?: { packageExports: ReadonlyMap<string, ExportRecord> },
): ExportRecord | undefined {
	return viewOf(kernel).activeExport(symbol) ?? module?.packageExports.get(symbol);
}

/** Names that take an argument without using it as a value. */
const UNEVALUATED = new Set(['sizeof', 'typeof', '__typeof__', '__typeof', '_Alignof', '__alignof__', 'offsetof', '__builtin_offsetof']);

/** What plainArgument needs of a macro: its parameters and replacement text. */
export interface MacroText {
	params?: readonly string[];
	body: string;
}

/**
 * Whether argument `index` of the call `name(…)` reaches the compiled code as itself: always
 * for a function, never for an unknown macro, and for a known one when its parameter appears
 * in the body neither stringified (`#x`) nor pasted (`a##x`; GNU's `, ##__VA_ARGS__` only
 * swallows a comma) at least once outside any call, or as an argument that the called name
 * passes on in turn (`isPlain`).
 */
function plainArgument(
	text: (name: string) => MacroText | 'unknown' | undefined,
	name: string,
	index: number,
	isPlain: (name: string, index: number) => boolean,
): boolean {
	if (UNEVALUATED.has(name)) return false;
	const def = text(name);
	if (def === undefined) return true;
	if (def === 'unknown' || index < 0) return false;
	if (!def.params) {
		// `#define drv_write real_write`: the arguments go to what the name stands for.
		const alias = /^\s*([A-Za-z_]\w*)\s*$/.exec(def.body)?.[1];
		return alias !== undefined && isPlain(alias, index);
	}
	const last = def.params[def.params.length - 1];
	const variadic = last !== undefined && last.endsWith('...');
	const param = index < def.params.length - (variadic ? 1 : 0) ? def.params[index] : variadic ? last : undefined;
	if (param === undefined) return false;
	const word = paramName(param);
	const body = def.body;
	for (const m of body.matchAll(new RegExp(`\\b${word}\\b`, 'g'))) {
		const at = m.index ?? 0;
		const before = body.slice(0, at).trimEnd();
		const after = body.slice(at + word.length).trimStart();
		// `ops->op` with op a parameter names a member, not the argument's value.
		if (after.startsWith('##') || /(->|\.)$/.test(before)) continue;
		// `do { } while (0 && (c))`: RCU_LOCKDEP_WARN without CONFIG_PROVE_RCU; folded away.
		if (/\b0\s*&&[\s(]*$/.test(before)) continue;
		if (before.endsWith('##')) {
			if (!(word === '__VA_ARGS__' || variadic) || !before.slice(0, -2).trimEnd().endsWith(',')) continue;
		} else if (before.endsWith('#')) continue;
		const call = enclosingCall(body, at);
		if (!call) return true;
		// `param_check_##type(name, …)`: a pasted name is no macro we can read.
		if (!call.pasted && isPlain(call.name, call.index)) return true;
	}
	return false;
}

/** Macro levels followed to see whether an argument reaches the expansion as itself. */
const MAX_ARG_DEPTH = 8;

/**
 * Whether argument `index` of `name(…)` reaches the compiled code (plainArgument), through
 * at most MAX_ARG_DEPTH macros. `memo` may be shared by the questions of one document; an
 * answer being worked out counts as no, which ends macro cycles.
 */
export function argumentReaches(
	text: (name: string) => MacroText | 'unknown' | undefined,
	name: string,
	index: number,
	memo = new Map<string, boolean>(),
): boolean {
	const visit = (n: string, i: number, depth: number): boolean => {
		const key = `${n}\0${i}`;
		let known = memo.get(key);
		if (known === undefined) {
			memo.set(key, false);
			known = depth < MAX_ARG_DEPTH && plainArgument(text, n, i, (m, j) => visit(m, j, depth + 1));
			memo.set(key, known);
		}
		return known;
	};
	return visit(name, index, 0);
}

/** The innermost call `name(` of `body` whose arguments hold offset `at`, and which argument. */
export function enclosingCall(body: string, at: number): { name: string; index: number; pasted: boolean } | undefined {
	let depth = 0;
	let commas = 0;
	for (let i = at - 1; i >= 0; i--) {
		const c = body[i];
		if (c === ')' || c === ']' || c === '}') depth++;
		else if (c === '(' || c === '[' || c === '{') {
			if (depth > 0) {
				depth--;
				continue;
			}
			if (c !== '(') return undefined;
			const m = /(##\s*)?([A-Za-z_]\w*)\s*$/.exec(body.slice(0, i));
			// A plain parenthesis: the argument position counts in the call around it.
			if (!m) {
				commas = 0;
				continue;
			}
			return { name: m[2], index: commas, pasted: m[1] !== undefined };
		} else if (c === ',' && depth === 0) commas++;
	}
	return undefined;
}

/**
 * What a call of a tracepoint, `trace_<event>(…)`, references: DECLARE_TRACE pastes the
 * function together, and its body uses the event's `__tracepoint_<event>` and static-call key
 * and trampoline, which EXPORT_TRACEPOINT_SYMBOL(_GPL) exports. Empty for any other name.
 */
export function exportsThroughTracepoint(kernel: KernelIndex, name: string): readonly InlineReach[] {
	const event = /^trace_(\w+)$/.exec(name)?.[1];
	if (!event || event.endsWith('_enabled')) return [];
	const out: InlineReach[] = [];
	for (const symbol of [`__tracepoint_${event}`, `__SCK__tp_func_${event}`, `__SCT__tp_func_${event}`]) {
		const exp = activeExport(kernel, symbol);
		if (exp) out.push({ export: exp, path: [name, symbol] });
	}
	return out;
}

/** Whether any header a module may include `#define`s `name`, compiled or not. */
export function headerDefines(kernel: KernelIndex, name: string): boolean {
	return viewOf(kernel).definesAnywhere(name);
}

/** Whether `name` is a header macro for a module of this build (see MacroVerdict). */
export function macroVerdict(kernel: KernelIndex, name: string): MacroVerdict {
	return viewOf(kernel).macroVerdict(name);
}

/** The exports a module references by expanding the header macro `name` (certain ones only). */
export function exportsThroughMacro(kernel: KernelIndex, name: string): readonly InlineReach[] {
	return kernel.ready.functions ? viewOf(kernel).macroReach(name, 1) : [];
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
