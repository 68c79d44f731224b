/**
 * The lexical pass: what can be read off a C (or assembly) file without parsing it —
 * exports, MODULE_LICENSE, MODULE_IMPORT_NS and a DEFAULT_SYMBOL_NAMESPACE #define — plus
 * what exports made through macros need: the file's export-shaping #defines, invocations
 * that may expand to exports, and #includes that may carry them (exports.ts expands them
 * with what the whole tree defines). It must be fast (it runs over every file of a kernel
 * tree) and must not be fooled by comments, so comments are blanked first, keeping every
 * offset and line in place.
 */
import { EXPORT_MACROS, forModulesNamespace, isGplLicenseArg, type ExportMacro } from '../knowledge/export-macros';
import { blankComments, LineMap, skipLiteral } from '../lex';
import type { Range } from '../types';

export interface ExportSite {
	/** The name as written in the macro; see `symbols` for what is really exported. */
	name: string;
	/** The names that land in the symbol table (tracepoints export several per macro). */
	symbols: string[];
	macro: string;
	gplOnly: boolean;
	/** Namespace given to the macro itself; the file's default namespace is applied later. */
	namespace?: string;
	/** The whole macro invocation. */
	range: Range;
}

export interface LicenseSite {
	/** The license string; empty while `macro` is unresolved. */
	license: string;
	range: Range;
	/**
	 * The macro the license is spelled through (`MODULE_LICENSE(DRV_LICENSE)`), when the file
	 * itself does not define it; the module's headers may (module-context.ts resolves it).
	 */
	macro?: string;
}

export interface ImportSite {
	namespace: string;
	/** Whether it was written as a string literal (the 6.13+ spelling). */
	quoted: boolean;
	range: Range;
}

/** A #define that can shape exports. */
export interface MacroDef {
	name: string;
	/** Parameter names (a variadic one ends in `...`); undefined for an object-like macro. */
	params?: string[];
	/** The replacement text, continuation lines joined. */
	body: string;
	/** 0-based line of the #define, and of the #define/#undef of the same name that ends it. */
	line: number;
	endLine?: number;
	/** An #undef: from `line` on the name is not defined (a header's definition no longer applies). */
	undef?: boolean;
}

/** An invocation that may expand to exports, its arguments as written. */
export interface MacroCall {
	name: string;
	args: string[];
	range: Range;
}

export interface IncludeSite {
	path: string;
	/** `#include "path"` (looked up next to the file first) rather than `<path>`. */
	quoted: boolean;
	range: Range;
}

export interface FileMeta {
	exports: ExportSite[];
	licenses: LicenseSite[];
	imports: ImportSite[];
	/** From `#define DEFAULT_SYMBOL_NAMESPACE X` in the file itself, made before any #include. */
	defaultNamespace?: string;
	/**
	 * Definitions that can shape exports: wrappers (function-like, their body uses an export
	 * macro), macros named in export arguments, and all of them in a file that includes a .c file.
	 */
	macros?: MacroDef[];
	/**
	 * Line-start invocations of unknown `*EXPORT*` macros, of this file's own wrappers, and of
	 * export macros whose argument is not a plain name (`EXPORT_SYMBOL(VARIANT(x))`).
	 */
	calls?: MacroCall[];
	/** Quoted #includes of a file that exports, and any made while one of its wrappers is defined. */
	includes?: IncludeSite[];
}

/** Whether a scan found anything worth keeping. */
export function hasFacts(meta: FileMeta): boolean {
	return (
		meta.exports.length > 0 ||
		meta.licenses.length > 0 ||
		meta.imports.length > 0 ||
		meta.defaultNamespace !== undefined ||
		meta.macros !== undefined ||
		meta.calls !== undefined ||
		meta.includes !== undefined
	);
}

const LICENSE_RE = /\bMODULE_LICENSE[ \t]*\([ \t]*(?:"((?:[^"\\\n]|\\.)*)"|([A-Za-z_]\w*))[ \t]*\)/g;

/** The string a `#define NAME "…"` of `code` gives NAME, if it has one. */
export function stringDefine(code: string, name: string): string | undefined {
	const m = new RegExp(`^[ \\t]*#[ \\t]*define[ \\t]+${name}[ \\t]+"((?:[^"\\\\\\n]|\\\\.)*)"[ \\t]*$`, 'm').exec(code);
	return m?.[1];
}

const IMPORT_RE = /\bMODULE_IMPORT_NS[ \t]*\([ \t]*("?)([A-Za-z_][\w:.*-]*)\1[ \t]*\)/g;
const DEFAULT_NS_RE = /^[ \t]*#[ \t]*define[ \t]+DEFAULT_SYMBOL_NAMESPACE[ \t]+("?)([A-Za-z_]\w*)\1[ \t]*$/m;
const FIRST_INCLUDE_RE = /^[ \t]*#[ \t]*include\b/m;
/** A preprocessor directive with its continuation lines. */
const DIRECTIVE_RE = /^[ \t]*#(?:[^\n\\]|\\[^])*/gm;
const DEFINE_RE = /^[ \t]*#[ \t]*(define|undef)[ \t]+([A-Za-z_]\w*)(\([^)]*\))?/;
const INCLUDE_RE = /^[ \t]*#[ \t]*include[ \t]*(?:"([^"\n]+)"|<([^>\n]+)>)/;
/** Line-start invocations of macros named *EXPORT*: the export macros and wrappers around them. */
const EXPORTISH_CALL_RE = /^[ \t]*(\w*EXPORT\w*)[ \t]*\(/gm;
const IDENT_RE = /[A-Za-z_]\w*/g;

function unquote(arg: string): string {
	const t = arg.trim();
	return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
}

/** Longest argument list worth parsing: an unbalanced `(` must not make a scan quadratic. */
const MAX_ARGS_LENGTH = 16 * 1024;

/**
 * The arguments of the invocation whose `(` is at `open`, split at top-level commas and
 * trimmed, and the offset after its `)`; undefined when the parentheses do not balance.
 */
export function parseArgs(text: string, open: number): { args: string[]; end: number } | undefined {
	const args: string[] = [];
	const limit = Math.min(text.length, open + MAX_ARGS_LENGTH);
	let depth = 0;
	let argStart = open + 1;
	for (let i = open; i < limit; ) {
		const c = text.charCodeAt(i);
		if (c === 0x22 /* " */ || c === 0x27 /* ' */) {
			i = skipLiteral(text, i);
			continue;
		}
		if (c === 0x28 /* ( */) depth++;
		else if (c === 0x29 /* ) */) {
			if (--depth === 0) {
				const last = text.slice(argStart, i).trim();
				if (args.length > 0 || last !== '') args.push(last);
				return { args, end: i + 1 };
			}
		} else if (c === 0x2c /* , */ && depth === 1) {
			args.push(text.slice(argStart, i).trim());
			argStart = i + 1;
		}
		i++;
	}
	return undefined;
}

/** What an export macro invocation exports, given its (expanded) arguments. */
export type ExportFacts = Omit<ExportSite, 'range'>;

export function exportFacts(macro: ExportMacro, args: readonly string[]): ExportFacts | undefined {
	const name = args[0];
	// Tracepoint names may start with a digit (they are pasted after a prefix).
	if (!name || !/^\w+$/.test(name)) return undefined;
	const facts: ExportFacts = {
		name,
		symbols: macro.emits ? macro.emits.map((t) => t.replace('%s', name)) : [name],
		macro: macro.name,
		gplOnly: macro.licenseArg !== undefined ? isGplLicenseArg(args[macro.licenseArg] ?? '') : macro.gplOnly,
	};
	const nsArg = macro.namespaceArg !== undefined ? args[macro.namespaceArg] : undefined;
	if (nsArg !== undefined) facts.namespace = unquote(nsArg);
	else if (macro.forModules && args[1]) facts.namespace = forModulesNamespace(unquote(args.slice(1).join(',')));
	else if (macro.impliedNamespace) facts.namespace = macro.impliedNamespace;
	return facts;
}

/** Finds the macro definition visible under a name (at some point of some file). */
export type MacroLookup = (name: string) => MacroDef | undefined;

/** The body of function-like `def` with `args` in place: `#p` stringifies, `a ## b` pastes. */
export function substitute(def: MacroDef, args: readonly string[]): string {
	const values = new Map<string, string>();
	(def.params ?? []).forEach((p, i) => {
		if (p.endsWith('...')) values.set(p === '...' ? '__VA_ARGS__' : p.slice(0, -3), args.slice(i).join(', '));
		else values.set(p, args[i] ?? '');
	});
	const out: string[] = [];
	const tokens = def.body.match(/##|#[ \t]*[A-Za-z_]\w*|[A-Za-z_]\w*|"(?:[^"\\]|\\.)*"|\s+|[^]/g) ?? [];
	let paste = false;
	for (const token of tokens) {
		if (token === '##') {
			while (out.length > 0 && /^\s+$/.test(out[out.length - 1])) out.pop();
			paste = true;
			continue;
		}
		if (paste && /^\s+$/.test(token)) continue;
		paste = false;
		if (token.startsWith('#')) {
			const param = token.slice(1).trim();
			const value = values.get(param);
			out.push(value === undefined ? token : JSON.stringify(value));
		} else out.push(values.get(token) ?? token);
	}
	return out.join('');
}

const MAX_EXPANSION_DEPTH = 16;
/**
 * Macro expansions one question may make: wrappers that invoke each other several times
 * (`#define E1(x) E0(x) E0(x) …`) grow exponentially with depth; real ones need a handful.
 */
const MAX_EXPANSIONS = 4096;

/** What one question has left to expand, shared by its recursive calls. */
interface Budget {
	left: number;
}

/** `text` with every macro that `lookup` knows expanded, the way an export's argument is. */
export function expandText(
	text: string,
	lookup: MacroLookup,
	active: ReadonlySet<string> = new Set(),
	budget: Budget = { left: MAX_EXPANSIONS },
): string {
	if (active.size > MAX_EXPANSION_DEPTH) return text;
	let out = '';
	let last = 0;
	for (const m of text.matchAll(IDENT_RE)) {
		const start = m.index;
		if (start < last) continue;
		const def = active.has(m[0]) ? undefined : lookup(m[0]);
		if (!def || --budget.left < 0) continue;
		const inner = new Set(active).add(m[0]);
		let end = start + m[0].length;
		let replacement: string;
		if (def.params) {
			const open = /^\s*\(/.exec(text.slice(end));
			const call = open ? parseArgs(text, end + open[0].length - 1) : undefined;
			if (!call) continue;
			replacement = substitute(def, call.args.map((a) => expandText(a, lookup, active, budget)));
			end = call.end;
		} else replacement = def.body;
		out += text.slice(last, start) + expandText(replacement, lookup, inner, budget);
		last = end;
	}
	return (out + text.slice(last)).trim();
}

/**
 * The exports that invoking macro `name` with `args` makes: an export macro directly, or
 * whatever a wrapper's body invokes once expanded, through any depth of wrappers.
 */
export function expandExports(
	name: string,
	args: readonly string[],
	lookup: MacroLookup,
	active: ReadonlySet<string> = new Set(),
	budget: Budget = { left: MAX_EXPANSIONS },
): ExportFacts[] {
	const macro = EXPORT_MACROS.get(name);
	const def = active.has(name) ? undefined : lookup(name);
	if (macro && !(macro.derived && def?.params)) {
		const facts = exportFacts(
			macro,
			args.map((a) => expandText(a, lookup, new Set(), budget)),
		);
		return facts ? [facts] : [];
	}
	if (!def?.params || active.size > MAX_EXPANSION_DEPTH || --budget.left < 0) return [];
	const body = substitute(def, args);
	const inner = new Set(active).add(name);
	// By text: a wrapper that invokes another twice makes its exports once.
	const found = new Map<string, ExportFacts>();
	for (const m of body.matchAll(/([A-Za-z_]\w*)\s*\(/g)) {
		if (m.index < 0) continue;
		const callee = m[1];
		if (!EXPORT_MACROS.has(callee) && !lookup(callee)?.params) continue;
		const call = parseArgs(body, m.index + m[0].length - 1);
		if (call) for (const f of expandExports(callee, call.args, lookup, inner, budget)) found.set(JSON.stringify(f), f);
	}
	return [...found.values()];
}

/**
 * Exports and export-shaping macros of a file that may export (`hasExport`) or that
 * #includes a .c file (`sourceInclude`: its #defines shape the included file's exports).
 */
function scanMacros(code: string, lines: LineMap, meta: FileMeta, hasExport: boolean, sourceInclude: boolean): void {
	const directives = [...code.matchAll(DIRECTIVE_RE)];
	const defs: MacroDef[] = [];
	const includes: IncludeSite[] = [];
	const ends = new Map<string, number[]>();
	for (const d of directives) {
		const text = d[0].includes('\\') ? d[0].replace(/\\\r?\n/g, ' ') : d[0];
		const def = DEFINE_RE.exec(text);
		if (def) {
			const line = lines.position(d.index ?? 0).line;
			const list = ends.get(def[2]);
			if (list) list.push(line);
			else ends.set(def[2], [line]);
			const macro: MacroDef = { name: def[2], body: text.slice(def[0].length).trim(), line };
			if (def[1] === 'undef') macro.undef = true;
			if (def[3]) macro.params = def[3].slice(1, -1).split(',').map((p) => p.trim()).filter((p) => p !== '');
			defs.push(macro);
			continue;
		}
		const inc = INCLUDE_RE.exec(d[0]);
		if (inc) {
			includes.push({
				path: inc[1] ?? inc[2],
				quoted: inc[1] !== undefined,
				range: lines.range(d.index ?? 0, (d.index ?? 0) + inc[0].length),
			});
		}
	}
	for (const def of defs) {
		const end = ends.get(def.name)?.find((l) => l > def.line);
		if (end !== undefined) def.endLine = end;
	}
	const isWrapper = (d: MacroDef) => d.params !== undefined && d.body.includes('EXPORT') && !isTerminal(d.name);
	const wrappers = new Set(defs.filter(isWrapper).map((d) => d.name));

	const calls: MacroCall[] = [];
	if (hasExport || wrappers.size > 0) {
		const inDirective = directiveTester(directives);
		const found = [...code.matchAll(EXPORTISH_CALL_RE)];
		if (wrappers.size > 0) {
			const names = [...wrappers].filter((w) => !w.includes('EXPORT')).join('|');
			if (names) for (const m of code.matchAll(new RegExp(`^[ \\t]*(${names})[ \\t]*\\(`, 'gm'))) found.push(m);
			found.sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
		}
		for (const m of found) {
			if (inDirective(m.index ?? 0)) continue;
			const start = (m.index ?? 0) + m[0].indexOf(m[1]);
			const call = parseArgs(code, (m.index ?? 0) + m[0].length - 1);
			if (!call) continue;
			const range = lines.range(start, call.end);
			const macro = EXPORT_MACROS.get(m[1]);
			const facts = macro && exportFacts(macro, call.args);
			if (facts) meta.exports.push({ ...facts, range });
			else if (call.args.length > 0) calls.push({ name: m[1], args: call.args, range });
		}
	}

	// Keep the definitions that can matter: wrappers, macros named in export arguments (an
	// exported name may itself be a macro), and all of them where a .c file is included.
	const used = new Set(meta.exports.map((site) => site.name));
	for (const call of calls) for (const arg of call.args) for (const m of arg.matchAll(IDENT_RE)) used.add(m[0]);
	const kept = sourceInclude ? defs : defs.filter((d) => wrappers.has(d.name) || used.has(d.name));
	// X-macro headers expand this file's wrappers; quoted headers may rename exported names.
	const wrapperDefs = kept.filter((d) => wrappers.has(d.name));
	const keptIncludes = includes.filter(
		(inc) =>
			(inc.quoted && (meta.exports.length > 0 || calls.length > 0 || inc.path.endsWith('.c'))) ||
			wrapperDefs.some((d) => isActive(d, inc.range.start.line)),
	);
	if (kept.length > 0) meta.macros = kept;
	if (calls.length > 0) meta.calls = calls;
	if (keptIncludes.length > 0) meta.includes = keptIncludes;
}

/** An export macro that scanning takes as it is, never through the tree's own #define of it. */
function isTerminal(name: string): boolean {
	const macro = EXPORT_MACROS.get(name);
	return macro !== undefined && !macro.derived;
}

/** Whether `def` is in force on 0-based `line` of its own file. */
export function isActive(def: MacroDef, line: number): boolean {
	return def.line < line && (def.endLine === undefined || def.endLine > line);
}

/** Tests offsets visited in ascending order against sorted directive spans. */
function directiveTester(spans: RegExpMatchArray[]): (offset: number) => boolean {
	let i = 0;
	return (offset) => {
		while (i < spans.length && (spans[i].index ?? 0) + spans[i][0].length <= offset) i++;
		return i < spans.length && (spans[i].index ?? 0) <= offset;
	};
}

/**
 * What a file may hold that the lexical pass reads, decided from its raw bytes or its text:
 * the same answer either way, since it looks at ASCII only. A file with none of these gives
 * empty facts without being decoded or blanked.
 */
export interface LexNeeds {
	/** An `*EXPORT*` invocation or a #define whose body mentions EXPORT (a possible wrapper). */
	exports: boolean;
	module: boolean;
	defaultNamespace: boolean;
	/** `.c"` appears: maybe an `#include "x.c"` (the text decides). */
	sourceInclude: boolean;
}

function isWordCode(c: number): boolean {
	return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/**
 * Whether some `EXPORT` in the source can matter to the export scan, which reads line-start
 * `*EXPORT*(` invocations and #defines whose body mentions EXPORT. Harmless: an identifier
 * that no `(` (nor a comment) follows, on a line that is no directive (no `#` before it, no
 * continuation) or as the name of an object-like `#define` — a register field such as
 * `POS0_EXPORT_FORMAT__SHIFT`. Anything else counts, so the scan decides whenever in doubt.
 */
function mayExport(src: string | Buffer): boolean {
	const text = typeof src === 'string' ? src : undefined;
	const bytes = typeof src === 'string' ? undefined : src;
	const at = (i: number): number => (text !== undefined ? text.charCodeAt(i) : (bytes as Buffer)[i]);
	const n = src.length;
	for (let k = src.indexOf('EXPORT'); k >= 0; k = src.indexOf('EXPORT', k + 6)) {
		let start = k;
		while (start > 0 && isWordCode(at(start - 1))) start--;
		let end = k + 6;
		while (end < n && isWordCode(at(end))) end++;
		let j = end;
		for (let c = at(j); j < n && (c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12); c = at(++j));
		const next = j < n ? at(j) : -1;
		// An invocation, a function-like macro's name, or a comment before what follows.
		if (next === 0x28 /* ( */ || next === 0x2f /* / */) return true;
		let lineStart = start;
		while (lineStart > 0 && at(lineStart - 1) !== 10) lineStart--;
		// A continuation line: maybe a #define's body.
		let back = lineStart - 2;
		if (back >= 0 && at(back) === 13) back--;
		if (back >= 0 && at(back) === 0x5c /* \ */) return true;
		// No `#` before it on its line: not in a directive, whatever comments surround it.
		let hash = lineStart;
		while (hash < start && at(hash) !== 0x23 /* # */) hash++;
		if (hash === start) continue;
		// `#define NAME` with EXPORT inside NAME (object-like: no `(` follows, checked above).
		let p = lineStart;
		while (p < hash && (at(p) === 32 || at(p) === 9)) p++;
		if (p !== hash) return true;
		p++;
		while (at(p) === 32 || at(p) === 9) p++;
		if (!(at(p) === 100 && at(p + 1) === 101 && at(p + 2) === 102 && at(p + 3) === 105 && at(p + 4) === 110 && at(p + 5) === 101)) return true; // define
		p += 6;
		if (at(p) !== 32 && at(p) !== 9) return true;
		while (at(p) === 32 || at(p) === 9) p++;
		if (p !== start) return true;
	}
	return false;
}

/** The lexical pass's needs of a file, from its raw bytes or its text (see LexNeeds). */
export function lexNeeds(src: string | Buffer): LexNeeds {
	return {
		exports: src.indexOf('EXPORT_') >= 0 && mayExport(src),
		module: src.indexOf('MODULE_LICENSE') >= 0 || src.indexOf('MODULE_IMPORT_NS') >= 0,
		defaultNamespace: src.indexOf('DEFAULT_SYMBOL_NAMESPACE') >= 0,
		sourceInclude: src.indexOf('.c"') >= 0,
	};
}

/** Whether the lexical pass has anything to read in a file with these needs. */
export function needsScan(needs: LexNeeds): boolean {
	return needs.exports || needs.module || needs.defaultNamespace || needs.sourceInclude;
}

/** A file's lexical facts; `needs` when the caller already decided them from the raw bytes. */
export function scanFile(text: string, needs: LexNeeds = lexNeeds(text)): FileMeta {
	const meta: FileMeta = { exports: [], licenses: [], imports: [] };
	const hasExport = needs.exports;
	const hasModule = needs.module;
	const hasDefaultNs = needs.defaultNamespace;
	const sourceInclude = needs.sourceInclude && /^[ \t]*#[ \t]*include[ \t]*"[^"\n]*\.c"/m.test(text);
	if (!hasExport && !hasModule && !hasDefaultNs && !sourceInclude) return meta;
	const code = blankComments(text);
	const lines = new LineMap(code);

	if (hasExport || sourceInclude) scanMacros(code, lines, meta, hasExport, sourceInclude);
	if (hasModule) {
		for (const m of code.matchAll(LICENSE_RE)) {
			const range = lines.range(m.index, m.index + m[0].length);
			if (m[1] !== undefined) {
				meta.licenses.push({ license: m[1], range });
				continue;
			}
			const license = stringDefine(code, m[2]);
			meta.licenses.push(license !== undefined ? { license, range } : { license: '', range, macro: m[2] });
		}
		for (const m of code.matchAll(IMPORT_RE)) {
			meta.imports.push({
				namespace: m[2],
				quoted: m[1] === '"',
				range: lines.range(m.index, m.index + m[0].length),
			});
		}
	}
	if (hasDefaultNs) {
		// export.h reads the define when it is included: one made after any #include is too late.
		const m = DEFAULT_NS_RE.exec(code);
		const firstInclude = FIRST_INCLUDE_RE.exec(code);
		if (m && (!firstInclude || firstInclude.index > m.index)) meta.defaultNamespace = m[2];
	}
	return meta;
}
