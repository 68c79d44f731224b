/**
 * Reads one directory's Kbuild or Makefile the way make does, without ever executing
 * anything: variables (`=`, `:=`, `?=`, `+=`, `override`, `define`), references, the
 * functions kbuild files use, `ifeq`/`ifdef` & co. decided with a .config, `include`, and
 * `$(eval)`. `$(shell)`, `$(wildcard)` and other unknown functions expand to nothing and
 * make what depends on them undecided (but `$(shell pwd)` is `$(CURDIR)` when the caller sets
 * it); recipes are skipped.
 *
 * What make then reads from the variables: which objects are built (obj-y, obj-m, lib-y),
 * which subdirectories are descended into, and which objects are composites of others
 * (`foo-y`, `foo-objs`, `foo-m`). Without a .config every CONFIG_ option is undecided: it
 * stands for itself in variable names (`obj-$(CONFIG_X)` keeps X as the condition) and a
 * conditional on it takes both branches, its assignments adding up.
 */
import { posix } from 'node:path';
import { matchingBracket } from '../lex';

/** `y` and `m` are fixed; anything else is a CONFIG_ symbol whose value decides. */
export type KbuildCondition = 'y' | 'm' | { config: string };

export interface KbuildEntry {
	/** Object name without `.o`, or directory name without `/`; may contain `sub/` or `../`. */
	name: string;
	cond: KbuildCondition;
	/** 1-based line in the Kbuild/Makefile, for error messages and go-to. */
	line: number;
}

/** What a kbuild file builds under one configuration. */
export interface KbuildBuild {
	objects: KbuildEntry[];
	subdirs: KbuildEntry[];
	/** Composite object → member objects (`foo-y`, `foo-objs`, `foo-m`, `foo-$(CONFIG_Y)`). */
	composites: Map<string, KbuildEntry[]>;
}

export interface KbuildDir extends KbuildBuild {
	/** The parsed file, for evaluating it against a configuration (`evaluateKbuild`). */
	program: MakeNode[];
	/** DEFAULT_SYMBOL_NAMESPACE from `ccflags-y` (this directory) … */
	defaultNamespace?: string;
	/** … from `subdir-ccflags-y` (this directory and all below) … */
	subdirDefaultNamespace?: string;
	/** … and from `CFLAGS_foo.o` (one object). */
	objectNamespaces: Map<string, string>;
	/** `KDIR ?= …` of an out-of-tree module's Makefile. */
	kdir?: string;
}

/** One makefile statement, unexpanded. */
export type MakeNode =
	| { kind: 'assign'; name: string; op: string; value: string; override: boolean; line: number }
	| { kind: 'if'; test: string; args: string; then: MakeNode[]; else: MakeNode[]; line: number }
	| { kind: 'include'; paths: string; line: number }
	/** A line that is neither: expanded for the side effects of `$(eval)`. */
	| { kind: 'expand'; text: string; line: number };

export interface MakeEnv {
	/** The kbuild file's directory relative to the root ('' for the root): `$(src)`, `$(obj)`. */
	dir: string;
	/** .config values (no CONFIG_ prefix); without them every option is undecided. */
	dotConfig?: ReadonlyMap<string, string>;
	/** An included makefile by path relative to the root; undefined unless a small regular file. */
	read?: (path: string) => string | undefined;
	/** Variables set before the file is read, as make's environment would. */
	vars?: ReadonlyMap<string, string>;
}

const FLAGS_NAME_RE = /^(subdir-ccflags-y|ccflags-y|EXTRA_CFLAGS|CFLAGS_([A-Za-z0-9_./-]+)\.o)$/;
const NAMESPACE_FLAG_RE = /-DDEFAULT_SYMBOL_NAMESPACE=[\\'"]*([A-Za-z_]\w*)/;
const KDIR_NAME_RE = /^(?:KDIR|KERNELDIR|KERNEL_DIR|KSRC|KERNEL_SRC)$/;
const DIRECTIVES = new Set(['ifeq', 'ifneq', 'ifdef', 'ifndef', 'else', 'endif']);

/** Bounds that keep a hostile or runaway makefile cheap: nesting, included files, work. */
const MAX_EXPAND_DEPTH = 64;
const MAX_INCLUDE_DEPTH = 8;
const MAX_STEPS = 200_000;

export function parseKbuild(text: string): KbuildDir {
	const program = parseMakefile(text);
	const dir: KbuildDir = { ...evaluateKbuild(program, { dir: '' }), program, objectNamespaces: new Map() };
	const visit = (nodes: MakeNode[]): void => {
		for (const node of nodes) {
			if (node.kind === 'if') {
				visit(node.then);
				visit(node.else);
			}
			if (node.kind !== 'assign') continue;
			const flags = FLAGS_NAME_RE.exec(node.name);
			const ns = flags && NAMESPACE_FLAG_RE.exec(node.value)?.[1];
			if (flags && ns) {
				if (flags[2]) dir.objectNamespaces.set(flags[2], ns);
				else if (flags[1] === 'subdir-ccflags-y') dir.subdirDefaultNamespace = ns;
				else dir.defaultNamespace = ns;
			}
			if (KDIR_NAME_RE.test(node.name) && node.op !== '+=' && node.value) dir.kdir ??= node.value;
		}
	};
	visit(program);
	return dir;
}

// ---- parsing --------------------------------------------------------------------------------


/** Where the first top-level (outside references) assignment operator or rule colon is. */
function operator(text: string): { at: number; op: string } | undefined {
	for (let i = 0; i < text.length; i++) {
		const ch = text[i];
		if (ch === '$' && (text[i + 1] === '(' || text[i + 1] === '{')) {
			const end = matchingBracket(text, i + 1);
			if (end < 0) return undefined;
			i = end;
		} else if (ch === '=') {
			const prev = text[i - 1];
			return prev === '+' || prev === '?' || prev === '!' ? { at: i - 1, op: `${prev}=` } : { at: i, op: '=' };
		} else if (ch === ':') {
			const m = /^:{1,3}=/.exec(text.slice(i));
			return m ? { at: i, op: ':=' } : { at: i, op: ':' };
		}
	}
	return undefined;
}

/** Drops a comment: `#` up to the end, unless escaped as `\#`. */
function uncomment(line: string): string {
	for (let i = line.indexOf('#'); i >= 0; i = line.indexOf('#', i + 1)) {
		if (line[i - 1] !== '\\') return line.slice(0, i);
	}
	return line;
}

/** Parses makefile text into statements; recipes and rules are left out. */
/** An odd number of backslashes at the end: make continues the line. */
const CONTINUED_RE = /(^|[^\\])(\\\\)*\\$/;

/**
 * Line `first` with the lines it continues, as make joins them (a backslash-newline and the
 * whitespace around it become one space), and the index of the last line taken. Linear: the
 * pieces are joined once.
 */
function joinMakeLines(lines: readonly string[], first: number): { text: string; last: number } {
	let i = first;
	let piece = lines[i];
	if (!CONTINUED_RE.test(piece)) return { text: piece, last: i };
	const pieces: string[] = [];
	while (CONTINUED_RE.test(piece) && i + 1 < lines.length) {
		const cut = piece.slice(0, -1).trimEnd();
		// An empty piece adds no second space (make condenses the whitespace).
		if (cut !== '' || pieces.length === 0) pieces.push(cut);
		piece = lines[++i].trimStart();
	}
	pieces.push(piece);
	return { text: pieces.join(' '), last: i };
}

export function parseMakefile(text: string): MakeNode[] {
	const lines = text.split('\n');
	const root: MakeNode[] = [];
	/** Open conditionals, innermost last; `into` is where statements go now. */
	const open: { node: Extract<MakeNode, { kind: 'if' }>; into: MakeNode[]; chained: number }[] = [];
	let into = root;
	let inRule = false;
	for (let i = 0; i < lines.length; i++) {
		const line = i + 1;
		const recipeLike = lines[i].startsWith('\t');
		const joined = joinMakeLines(lines, i);
		i = joined.last;
		let s = joined.text;
		const word = /^\s*(-?[a-z]+)(?=\s|\(|$)/.exec(s)?.[1] ?? '';
		if (inRule && recipeLike && !DIRECTIVES.has(word)) continue;
		s = uncomment(s).trim();
		if (!s) continue;
		if (word === 'define' || (word === 'override' && /^override\s+define\b/.test(s))) {
			const head = /define\s+(\S+)\s*(\S*)/.exec(s);
			const body: string[] = [];
			let depth = 1;
			while (++i < lines.length) {
				const t = lines[i].trim();
				if (/^(override\s+)?define\b/.test(t)) depth++;
				else if (/^endef\b/.test(t) && --depth === 0) break;
				body.push(lines[i]);
			}
			const op = head?.[2] === '+=' || head?.[2] === '?=' || head?.[2] === ':=' ? head[2] : '=';
			if (head) into.push({ kind: 'assign', name: head[1], op, value: body.join('\n'), override: word === 'override', line });
			inRule = false;
			continue;
		}
		if (DIRECTIVES.has(word)) {
			const rest = s.slice(word.length).trim();
			if (word === 'endif') {
				for (let n = open.pop()?.chained ?? 0; n > 0; n--) open.pop();
				into = open.length > 0 ? open[open.length - 1].into : root;
			} else if (word === 'else') {
				const top = open[open.length - 1];
				if (!top) continue;
				top.into = into = top.node.else;
				const chain = /^(ifeq|ifneq|ifdef|ifndef)\b\s*(.*)$/.exec(rest);
				if (chain) {
					// `else ifeq …` is a conditional nested in the else branch, closed by the same endif.
					const node = { kind: 'if' as const, test: chain[1], args: chain[2], then: [], else: [], line };
					into.push(node);
					open.push({ node, into: node.then, chained: top.chained + 1 });
					top.chained = 0;
					into = node.then;
				}
			} else {
				const node = { kind: 'if' as const, test: word, args: rest, then: [], else: [], line };
				into.push(node);
				open.push({ node, into: node.then, chained: 0 });
				into = node.then;
			}
			continue;
		}
		if (word === 'include' || word === '-include' || word === 'sinclude') {
			into.push({ kind: 'include', paths: s.slice(word.length), line });
			inRule = false;
			continue;
		}
		let override = false;
		let body = s;
		for (let m; (m = /^(override|export|private)\s+/.exec(body)); body = body.slice(m[0].length)) {
			if (m[1] === 'override') override = true;
		}
		if (/^(export|unexport|undefine|vpath)\b/.test(body)) continue;
		const op = operator(body);
		if (op?.op === ':') {
			inRule = true;
			continue;
		}
		inRule = false;
		if (!op) {
			if (body.includes('$')) into.push({ kind: 'expand', text: body, line });
			continue;
		}
		const name = body.slice(0, op.at).trim();
		const value = body.slice(op.at + (op.op === ':=' ? /^:+=/.exec(body.slice(op.at))?.[0].length ?? 2 : op.op.length)).trimStart();
		into.push({ kind: 'assign', name, op: op.op, value, override, line });
	}
	return root;
}

// ---- evaluation -----------------------------------------------------------------------------

interface MakeVar {
	value: string;
	recursive: boolean;
	/** Its value depends on something unknown (a `$(shell)`, an undecided option or branch). */
	uncertain: boolean;
	override?: boolean;
}

/** An undecided CONFIG_ option as it stands in values: `\uE000NAME\uE001` (private-use characters). */
const UNDECIDED_RE = /\uE000\w*\uE001?/;

const words = (text: string): string[] => text.split(/\s+/).filter((w) => w !== '');

/** Make's `%` pattern: the stem when `word` matches, else undefined. */
function stem(pattern: string, word: string): string | undefined {
	const p = pattern.indexOf('%');
	if (p < 0) return pattern === word ? '' : undefined;
	const pre = pattern.slice(0, p);
	const post = pattern.slice(p + 1);
	if (word.length < pre.length + post.length || !word.startsWith(pre) || !word.endsWith(post)) return undefined;
	return word.slice(pre.length, word.length - post.length);
}

function patsubst(pattern: string, replacement: string, text: string): string {
	return words(text)
		.map((w) => {
			const s = stem(pattern, w);
			if (s === undefined) return w;
			return pattern.includes('%') ? replacement.replace('%', s) : replacement;
		})
		.join(' ');
}

/** Splits function arguments at top-level commas, at most `max` of them (the last keeps its commas). */
function splitArgs(text: string, max: number): string[] {
	const args: string[] = [];
	let depth = 0;
	let start = 0;
	for (let i = 0; i < text.length && args.length < max - 1; i++) {
		const ch = text[i];
		if (ch === '(' || ch === '{') depth++;
		else if (ch === ')' || ch === '}') depth--;
		else if (ch === ',' && depth === 0) {
			args.push(text.slice(start, i));
			start = i + 1;
		}
	}
	args.push(text.slice(start));
	return args;
}

/** Functions and how many arguments each takes at most; the rest of make's are unknown. */
const FUNCTIONS = new Map<string, number>([
	['subst', 3], ['patsubst', 3], ['strip', 1], ['findstring', 2], ['filter', 2], ['filter-out', 2],
	['sort', 1], ['word', 2], ['wordlist', 3], ['words', 1], ['firstword', 1], ['lastword', 1],
	['dir', 1], ['notdir', 1], ['suffix', 1], ['basename', 1], ['addsuffix', 2], ['addprefix', 2],
	['join', 2], ['if', 3], ['or', Infinity], ['and', Infinity], ['foreach', 3], ['call', Infinity],
	['eval', 1], ['origin', 1], ['flavor', 1], ['value', 1],
	// Never run: they read the file system or the host, or stop make.
	['shell', 1], ['wildcard', 1], ['realpath', 1], ['abspath', 1], ['file', 2],
	['error', 1], ['warning', 1], ['info', 1], ['guile', 1],
]);

class Evaluator {
	readonly vars = new Map<string, MakeVar>();
	/** First line adding each word to each variable: `var\0word` → line. */
	readonly origins = new Map<string, number>();
	/** Set when an expansion met something unknown; callers save and restore it. */
	private uncertain = false;
	/** Inside a branch of an undecided conditional: assignments add up instead of replacing. */
	private loose = false;
	private depth = 0;
	private includeDepth = 0;
	private steps = 0;
	private line = 0;
	private args: string[] = [];

	constructor(private readonly env: MakeEnv) {
		const src = env.dir || '.';
		const preset: [string, string][] = [['srctree', '.'], ['objtree', '.'], ['src', src], ['obj', src],
			['comma', ','], ['empty', ''], ['space', ' '], ['pound', '#'], ['squote', "'"], ['quote', '"']];
		if (env.dotConfig?.get('X86') === 'y') {
			preset.push(['ARCH', 'x86'], ['SRCARCH', 'x86'], ['BITS', env.dotConfig.get('64BIT') === 'y' ? '64' : '32']);
		}
		for (const [name, value] of [...preset, ...(env.vars ?? [])]) this.vars.set(name, { value, recursive: false, uncertain: false });
	}

	run(nodes: readonly MakeNode[], top: boolean): void {
		for (const node of nodes) {
			if (top) this.line = node.line;
			if (node.kind === 'assign') this.assign(node);
			else if (node.kind === 'expand') this.expand(node.text);
			else if (node.kind === 'include') this.include(node.paths);
			else this.conditional(node, top);
		}
	}

	private conditional(node: Extract<MakeNode, { kind: 'if' }>, top: boolean): void {
		const saved = this.uncertain;
		this.uncertain = false;
		const truth = this.test(node.test, node.args);
		const undecided = this.uncertain || truth === undefined;
		this.uncertain = saved;
		if (!undecided) return this.run(truth ? node.then : node.else, top);
		const loose = this.loose;
		this.loose = true;
		this.run(node.then, top);
		this.run(node.else, top);
		this.loose = loose;
	}

	private test(test: string, args: string): boolean | undefined {
		if (test === 'ifdef' || test === 'ifndef') {
			const name = this.expand(args).trim();
			const v = this.vars.get(name);
			let defined: boolean;
			if (v) {
				if (v.uncertain) this.uncertain = true;
				defined = v.value !== '';
			} else defined = this.lookup(name) !== '';
			return defined === (test === 'ifdef');
		}
		let pair: string[] | undefined;
		const a = args.trim();
		if (a.startsWith('(') && a.endsWith(')')) pair = splitArgs(a.slice(1, -1), 2);
		else pair = /^(["'])(.*?)\1\s+(["'])(.*?)\3$/.exec(a)?.filter((_, k) => k === 2 || k === 4);
		if (pair?.length !== 2) return undefined;
		const equal = this.expand(pair[0].trim()).trim() === this.expand(pair[1].trim()).trim();
		return equal === (test === 'ifeq');
	}

	private assign(node: Extract<MakeNode, { kind: 'assign' }>): void {
		const saved = this.uncertain;
		this.uncertain = false;
		const name = this.expand(node.name).trim();
		this.uncertain = saved;
		if (!name) return;
		const old = this.vars.get(name);
		if (old?.override && !node.override) return;
		let op = node.op;
		if (op === '?=') {
			if (old || (name.startsWith('CONFIG_') && this.env.dotConfig?.has(name.slice('CONFIG_'.length)))) return;
			op = '=';
		}
		if (this.loose && old && old.value !== '' && (op === '=' || op === ':=')) op = '+=';
		let added: string;
		let v: MakeVar;
		const before = this.uncertain;
		this.uncertain = false;
		if (op === '!=') {
			added = '';
			v = { value: '', recursive: false, uncertain: true };
		} else if (op === '+=' && old) {
			added = old.recursive ? node.value : this.expand(node.value);
			v = { value: old.value === '' ? added : `${old.value} ${added}`, recursive: old.recursive, uncertain: old.uncertain };
		} else if (op === ':=') {
			added = this.expand(node.value);
			v = { value: added, recursive: false, uncertain: false };
		} else {
			added = node.value;
			v = { value: added, recursive: true, uncertain: false };
		}
		v.uncertain ||= this.uncertain || this.loose;
		if (node.override || old?.override) v.override = true;
		this.vars.set(name, v);
		if (/-(y|m|objs|\uE000\w+\uE001)$/.test(name)) {
			for (const w of words(v.recursive ? this.expand(added) : added)) {
				const key = `${name}\0${w}`;
				if (!this.origins.has(key)) this.origins.set(key, this.line);
			}
		}
		this.uncertain = before;
	}

	private include(paths: string): void {
		if (this.includeDepth >= MAX_INCLUDE_DEPTH || !this.env.read) return;
		for (const path of words(this.expand(paths))) {
			const candidates = [posix.normalize(path), posix.normalize(posix.join(this.env.dir, path))];
			const rel = candidates.find((p) => !posix.isAbsolute(p) && !p.startsWith('..'));
			const text = rel === undefined ? undefined : this.env.read(rel) ?? this.env.read(candidates[1]);
			if (text === undefined) continue;
			this.includeDepth++;
			this.run(parseMakefile(text), false);
			this.includeDepth--;
		}
	}

	/** A variable's value: the makefile's, else the .config's for CONFIG_ names, else unknown. */
	value(name: string): string {
		if (/^\d+$/.test(name)) return this.args[Number(name)] ?? '';
		const v = this.vars.get(name);
		if (v) {
			if (v.uncertain) this.uncertain = true;
			return v.recursive ? this.expand(v.value) : v.value;
		}
		return this.lookup(name);
	}

	/** What an undefined variable stands for. */
	private lookup(name: string): string {
		if (name.startsWith('CONFIG_')) {
			if (this.env.dotConfig) return this.env.dotConfig.get(name.slice('CONFIG_'.length)) ?? '';
			this.uncertain = true;
			return `\uE000${name.slice('CONFIG_'.length)}\uE001`;
		}
		this.uncertain = true;
		return '';
	}

	expand(text: string): string {
		if (!text.includes('$')) return text;
		if (++this.steps > MAX_STEPS || this.depth >= MAX_EXPAND_DEPTH) {
			this.uncertain = true;
			return '';
		}
		this.depth++;
		let out = '';
		let i = 0;
		while (i < text.length) {
			const d = text.indexOf('$', i);
			if (d < 0) {
				out += text.slice(i);
				break;
			}
			out += text.slice(i, d);
			const ch = text[d + 1];
			if (ch === '(' || ch === '{') {
				const end = matchingBracket(text, d + 1);
				if (end < 0) break;
				out += this.reference(text.slice(d + 2, end));
				i = end + 1;
			} else if (ch === '$') {
				out += '$';
				i = d + 2;
			} else {
				// `$@`, `$<`, `$1`: automatic variables are empty outside recipes.
				if (ch !== undefined) out += this.value(ch);
				i = d + 2;
			}
		}
		this.depth--;
		return out;
	}

	private reference(body: string): string {
		const fn = /^([a-z-]+)[ \t]+/.exec(body);
		const max = fn && FUNCTIONS.get(fn[1]);
		if (fn && max) return this.call(fn[1], splitArgs(body.slice(fn[0].length), max));
		const colon = operator(body);
		if (colon?.op === ':=' || colon?.op === ':') {
			// `$(var:from=to)`: a substitution reference.
			const spec = body.slice(colon.at + 1);
			const eq = spec.indexOf('=');
			if (eq >= 0) {
				const from = this.expand(spec.slice(0, eq));
				const to = this.expand(spec.slice(eq + 1));
				const value = this.value(this.expand(body.slice(0, colon.at)));
				return from.includes('%') ? patsubst(from, to, value) : patsubst(`%${from}`, `%${to}`, value);
			}
		}
		return this.value(this.expand(body));
	}

	private call(fn: string, raw: string[]): string {
		const arg = (k: number) => this.expand(raw[k] ?? '');
		switch (fn) {
			case 'shell':
				// `PWD := $(shell pwd)`: make's own CURDIR, when the caller knows it; nothing runs.
				if (arg(0).trim() === 'pwd' && this.vars.has('CURDIR')) return this.value('CURDIR');
				break;
			case 'if': {
				const cond = arg(0).trim();
				return cond !== '' ? arg(1) : arg(2);
			}
			case 'or':
				for (let k = 0; k < raw.length; k++) {
					const v = arg(k).trim();
					if (v !== '') return v;
				}
				return '';
			case 'and': {
				let v = '';
				for (let k = 0; k < raw.length; k++) if ((v = arg(k).trim()) === '') return '';
				return v;
			}
			case 'foreach': {
				const name = arg(0).trim();
				const saved = this.vars.get(name);
				const out = words(arg(1)).map((w) => {
					this.vars.set(name, { value: w, recursive: false, uncertain: false });
					return this.expand(raw[2] ?? '');
				});
				if (saved) this.vars.set(name, saved);
				else this.vars.delete(name);
				return out.join(' ');
			}
			case 'call': {
				const name = arg(0).trim();
				const args = [name, ...raw.slice(1).map((_, k) => arg(k + 1))];
				const saved = this.args;
				this.args = args;
				const out = this.value(name);
				this.args = saved;
				return out;
			}
			case 'eval':
				this.run(parseMakefile(arg(0)), false);
				return '';
			case 'origin':
				return this.vars.has(arg(0).trim()) ? 'file' : 'undefined';
			case 'flavor': {
				const v = this.vars.get(arg(0).trim());
				return v ? (v.recursive ? 'recursive' : 'simple') : 'undefined';
			}
			case 'value':
				return this.vars.get(arg(0).trim())?.value ?? '';
		}
		const a = raw.map((_, k) => arg(k));
		const w = (k: number) => words(a[k] ?? '');
		switch (fn) {
			case 'subst':
				return a[0] === '' ? a[2] : a[2].split(a[0]).join(a[1]);
			case 'patsubst':
				return patsubst(a[0].trim(), a[1].trim(), a[2]);
			case 'strip':
				return w(0).join(' ');
			case 'findstring':
				return a[1].includes(a[0]) ? a[0] : '';
			case 'filter':
			case 'filter-out': {
				const pats = w(0);
				const keep = fn === 'filter';
				return w(1).filter((x) => pats.some((p) => stem(p, x) !== undefined) === keep).join(' ');
			}
			case 'sort':
				return [...new Set(w(0))].sort().join(' ');
			case 'word':
				return w(1)[Number(a[0].trim()) - 1] ?? '';
			case 'wordlist':
				return w(2).slice(Number(a[0].trim()) - 1, Number(a[1].trim())).join(' ');
			case 'words':
				return String(w(0).length);
			case 'firstword':
				return w(0)[0] ?? '';
			case 'lastword':
				return w(0).at(-1) ?? '';
			case 'dir':
				return w(0).map((x) => (x.includes('/') ? x.slice(0, x.lastIndexOf('/') + 1) : './')).join(' ');
			case 'notdir':
				return w(0).map((x) => x.slice(x.lastIndexOf('/') + 1)).join(' ');
			case 'suffix':
				return w(0).map((x) => /\.[^./]*$/.exec(x)?.[0] ?? '').filter((x) => x).join(' ');
			case 'basename':
				return w(0).map((x) => x.replace(/\.[^./]*$/, '')).join(' ');
			case 'addsuffix':
				return w(1).map((x) => x + a[0].trim()).join(' ');
			case 'addprefix':
				return w(1).map((x) => a[0].trim() + x).join(' ');
			case 'join': {
				const l = w(0);
				const r = w(1);
				return Array.from({ length: Math.max(l.length, r.length) }, (_, k) => (l[k] ?? '') + (r[k] ?? '')).join(' ');
			}
		}
		this.uncertain = true;
		return '';
	}
}

/** Runs a parsed makefile; the evaluator holds the variables it left. */
function evaluate(program: readonly MakeNode[], env: MakeEnv): Evaluator {
	const ev = new Evaluator(env);
	ev.run(program, true);
	return ev;
}

/** The final, expanded value of each of `names` after reading `program`. */
export function makeVariables(program: readonly MakeNode[], env: MakeEnv, names: readonly string[]): Map<string, string> {
	const ev = evaluate(program, env);
	return new Map(names.map((n) => [n, ev.value(n)]));
}

/** The variable's condition: its suffix (`y`, `m`, an undecided option); undefined for `foo-`. */
function suffixCondition(suffix: string): KbuildCondition | undefined {
	if (suffix === 'y' || suffix === 'objs') return 'y';
	if (suffix === 'm') return 'm';
	const m = /^\uE000(\w+)\uE001$/.exec(suffix);
	return m ? { config: m[1] } : undefined;
}

/** What `program` builds under `env`, entries in the order of the lines that add them. */
export function evaluateKbuild(program: readonly MakeNode[], env: MakeEnv): KbuildBuild {
	const ev = evaluate(program, env);
	const build: KbuildBuild = { objects: [], subdirs: [], composites: new Map() };
	for (const name of ev.vars.keys()) {
		const m = /^(.+)-(y|m|objs|\uE000\w+\uE001)$/.exec(name);
		const cond = m && suffixCondition(m[2]);
		if (!m || !cond) continue;
		const entries = words(ev.value(name))
			.filter((w) => !UNDECIDED_RE.test(w))
			.map((w) => ({ w, line: ev.origins.get(`${name}\0${w}`) ?? 0 }));
		const lhs = m[1];
		if (lhs === 'obj' || lhs === 'lib' || lhs === 'subdir') {
			for (const { w, line } of entries) {
				// Only obj- directories are descended into for modules (subdir- is for host programs).
				if (w.endsWith('/')) {
					if (lhs === 'obj') build.subdirs.push({ name: w.replace(/\/+$/, ''), cond, line });
				} else if (w.endsWith('.o') && lhs !== 'subdir') {
					build.objects.push({ name: w.slice(0, -2), cond: lhs === 'lib' ? 'y' : cond, line });
				}
			}
		} else {
			const members = entries.filter(({ w }) => w.endsWith('.o')).map(({ w, line }) => ({ name: w.slice(0, -2), cond, line }));
			if (members.length === 0) continue;
			build.composites.set(lhs, [...(build.composites.get(lhs) ?? []), ...members]);
		}
	}
	const byLine = (a: KbuildEntry, b: KbuildEntry) => a.line - b.line;
	build.objects.sort(byLine);
	build.subdirs.sort(byLine);
	for (const list of build.composites.values()) list.sort(byLine);
	return build;
}
