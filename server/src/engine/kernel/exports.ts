/**
 * From per-file lexical facts to the tree's export table: each export site becomes one
 * record per emitted symbol, with the namespace the macro gives or, failing that, the
 * file's DEFAULT_SYMBOL_NAMESPACE (a #define in the file, else kbuild flags).
 *
 * Exports made through macros are expanded here, because that needs the whole tree: the
 * kernel's own wrappers (`ACPI_EXPORT_SYMBOL`, pm.h's `EXPORT_*_DEV_PM_OPS`, a file's
 * token-pasting `STANDARD_PARAM_DEF`, ...) are learned from every file's #defines first. A
 * wrapper defined in a .c file is seen only there (and where that file is included); one
 * in a header, everywhere. Given a reader, headers are consulted too: X-macro headers
 * included while a wrapper is defined, and quoted headers that rename an exported name.
 */
import { posix } from 'node:path';
import type { KbuildDir } from './kbuild';
import { blankComments } from '../lex';
import {
	expandExports,
	isActive,
	parseArgs,
	type ExportFacts,
	type FileMeta,
	type IncludeSite,
	type MacroDef,
	type MacroLookup,
} from './lexscan';
import { EXPORT_MACROS } from '../knowledge/export-macros';

export interface ExportRecord {
	/** The name in the symbol table. */
	symbol: string;
	macro: string;
	gplOnly: boolean;
	namespace?: string;
	/** Relative to the tree root. */
	file: string;
	/** 0-based. */
	line: number;
	character: number;
}

/** Reads a file of the tree by relative path; undefined when it does not exist. */
export type SourceReader = (rel: string) => string | undefined;

interface Found {
	facts: ExportFacts;
	line: number;
	character: number;
}

export function collectExports(
	files: ReadonlyMap<string, FileMeta>,
	kbuildDirs: ReadonlyMap<string, KbuildDir>,
	readSource?: SourceReader,
): ExportRecord[] {
	const tree = new TreeMacros(files, readSource);
	const records: ExportRecord[] = [];
	for (const [rel, meta] of files) {
		const fallbackNs = meta.defaultNamespace ?? makefileNamespace(rel, kbuildDirs);
		const found = tree.exportsOf(rel, meta);
		for (const inc of meta.includes ?? []) for (const r of tree.exportsThrough(rel, meta, inc)) found.push(r);
		for (const { facts, line, character } of found) {
			const ns = facts.namespace ?? fallbackNs;
			for (const symbol of facts.symbols) {
				const record: ExportRecord = { symbol, macro: facts.macro, gplOnly: facts.gplOnly, file: rel, line, character };
				if (ns) record.namespace = ns;
				records.push(record);
			}
		}
	}
	return records;
}

const ARCH = 'x86';

/** What the compiler predefines or every file sees, as far as export names go. */
const BUILTINS = new Map<string, MacroDef>([['NULL', { name: 'NULL', body: '((void *)0)', line: -1 }]]);

/** The tree's wrappers and the headers read on the way; lookups scoped the way cpp would. */
class TreeMacros {
	/** Wrappers defined in headers, by name. */
	private readonly wrappers = new Map<string, { file: string; def: MacroDef }[]>();
	private readonly headers = new Map<string, string | undefined>();
	private readonly aliases = new Map<string, Map<string, MacroDef>>();

	constructor(
		private readonly files: ReadonlyMap<string, FileMeta>,
		private readonly readSource: SourceReader | undefined,
	) {
		for (const [file, meta] of files) {
			if (!file.endsWith('.h')) continue;
			for (const def of meta.macros ?? []) {
				if (!def.params) continue;
				const list = this.wrappers.get(def.name);
				if (list) list.push({ file, def });
				else this.wrappers.set(def.name, [{ file, def }]);
			}
		}
	}

	/** Macros visible on `line` of `rel`: an including file's first, then the file's own, then headers'. */
	lookup(rel: string, meta: FileMeta, line: number, outer?: MacroLookup): MacroLookup {
		const aliases = this.headerAliases(rel, meta);
		return (name) => {
			const local = outer?.(name) ?? localDef(meta, name, line);
			if (local) return local.undef ? undefined : local;
			return aliases?.get(name) ?? this.headerWrapper(name, rel) ?? BUILTINS.get(name);
		};
	}

	/** The exports a file makes itself; `outer` is the including file's view when it is #included. */
	exportsOf(rel: string, meta: FileMeta, outer?: MacroLookup): Found[] {
		const found: Found[] = [];
		for (const site of meta.exports) {
			const { line, character } = site.range.start;
			const macro = EXPORT_MACROS.get(site.macro);
			const lookup = this.lookup(rel, meta, line, outer);
			// Re-expand only what a macro may change: a renamed name or a tree-defined family.
			if (!lookup(site.name) && !(macro?.derived && lookup(site.macro)?.params)) {
				found.push({ facts: site, line, character });
				continue;
			}
			const args = site.namespace !== undefined && macro?.namespaceArg ? [site.name, site.namespace] : [site.name];
			const expanded = expandExports(site.macro, args, lookup);
			// A rename to no symbol at all (`#define name NULL`) is for a configuration without the export.
			if (expanded.length === 0) found.push({ facts: site, line, character });
			for (const facts of expanded) found.push({ facts, line, character });
		}
		for (const call of meta.calls ?? []) {
			const { line, character } = call.range.start;
			const lookup = this.lookup(rel, meta, line, outer);
			for (const facts of expandExports(call.name, call.args, lookup)) found.push({ facts, line, character });
		}
		return found;
	}

	/** Exports that an #include brings into `rel`: an included .c file, or an X-macro header. */
	exportsThrough(rel: string, meta: FileMeta, inc: IncludeSite): Found[] {
		const { line, character } = inc.range.start;
		const at = (facts: ExportFacts): Found => ({ facts, line, character });
		// The includer's #undef leaves the included file's own definitions in force.
		const outer: MacroLookup = (name) => {
			const def = localDef(meta, name, line);
			return def?.undef ? undefined : def;
		};
		if (inc.path.endsWith('.c')) {
			const target = this.resolve(rel, inc, (p) => this.files.has(p));
			const targetMeta = target === undefined ? undefined : this.files.get(target);
			if (target === undefined || !targetMeta) return [];
			// The included file is compiled on its own too: only names the includer changes are new.
			const own = new Set(this.exportsOf(target, targetMeta).flatMap((f) => f.facts.symbols));
			return this.exportsOf(target, targetMeta, outer)
				.filter((f) => f.facts.symbols.some((s) => !own.has(s)))
				.map((f) => at(f.facts));
		}
		const wrappers = (meta.macros ?? []).filter((d) => d.params && isActive(d, line) && d.body.includes('EXPORT'));
		if (wrappers.length === 0 || !this.readSource) return [];
		const target = this.resolve(rel, inc, (p) => this.header(p) !== undefined);
		const text = target === undefined ? undefined : this.header(target);
		if (text === undefined) return [];
		const lookup = this.lookup(rel, meta, line);
		const names = wrappers.map((d) => d.name).join('|');
		const found: Found[] = [];
		for (const m of text.matchAll(new RegExp(`^[ \\t]*(${names})[ \\t]*\\(`, 'gm'))) {
			const call = parseArgs(text, m.index + m[0].length - 1);
			if (call) for (const facts of expandExports(m[1], call.args, lookup)) found.push(at(facts));
		}
		return found;
	}

	/** A header's wrapper for `name`, the nearest to `rel` first, then generic, then x86. */
	private headerWrapper(name: string, rel: string): MacroDef | undefined {
		const all = this.wrappers.get(name);
		if (!all) return undefined;
		const dir = posix.dirname(rel);
		const score = (file: string) => {
			const d = posix.dirname(file);
			if (dir === d || dir.startsWith(`${d}/`)) return 0;
			if (!file.startsWith('arch/')) return 1;
			return file.startsWith(`arch/${ARCH}/`) ? 2 : 3;
		};
		let best = all[0];
		for (const w of all) if (score(w.file) < score(best.file)) best = w;
		return best.def;
	}

	/**
	 * Object-like `#define NAME OTHER` renames in the quoted headers of an exporting file,
	 * for its exported names (a driver that prefixes its API through a header).
	 */
	private headerAliases(rel: string, meta: FileMeta): Map<string, MacroDef> | undefined {
		if (!this.readSource || meta.exports.length === 0) return undefined;
		let aliases = this.aliases.get(rel);
		if (aliases) return aliases;
		aliases = new Map();
		const names = new Set(meta.exports.map((e) => e.name));
		for (const inc of meta.includes ?? []) {
			if (!inc.quoted || !inc.path.endsWith('.h')) continue;
			const target = this.resolve(rel, inc, (p) => this.header(p) !== undefined);
			const text = target === undefined ? undefined : this.header(target);
			if (!text) continue;
			for (const m of text.matchAll(/^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)[ \t]+([A-Za-z_]\w*)[ \t]*$/gm)) {
				if (names.has(m[1]) && !aliases.has(m[1])) aliases.set(m[1], { name: m[1], body: m[2], line: 0 });
			}
		}
		this.aliases.set(rel, aliases);
		return aliases;
	}

	/** A header's text with comments blanked, read once. */
	private header(rel: string): string | undefined {
		if (!this.headers.has(rel)) {
			const text = this.readSource?.(rel);
			this.headers.set(rel, text === undefined ? undefined : blankComments(text));
		}
		return this.headers.get(rel);
	}

	/** Where an #include leads: next to the file for a quoted one, then the include paths. */
	private resolve(rel: string, inc: IncludeSite, exists: (rel: string) => boolean): string | undefined {
		const arch = /^arch\/([^/]+)\//.exec(rel)?.[1] ?? ARCH;
		const dirs = ['include', `arch/${arch}/include`, 'include/uapi', `arch/${arch}/include/uapi`];
		if (inc.quoted) dirs.unshift(posix.dirname(rel));
		for (const dir of dirs) {
			const candidate = posix.normalize(posix.join(dir, inc.path));
			if (!candidate.startsWith('..') && exists(candidate)) return candidate;
		}
		return undefined;
	}
}

/** The file's own definition (or #undef) of `name` in force on `line`. */
function localDef(meta: FileMeta, name: string, line: number): MacroDef | undefined {
	let found: MacroDef | undefined;
	for (const def of meta.macros ?? []) if (def.name === name && isActive(def, line)) found = def;
	return found;
}

/** DEFAULT_SYMBOL_NAMESPACE given by kbuild flags for a source file, nearest first. */
function makefileNamespace(rel: string, dirs: ReadonlyMap<string, KbuildDir>): string | undefined {
	const slash = rel.lastIndexOf('/');
	const dir = slash < 0 ? '' : rel.slice(0, slash);
	const object = rel.slice(slash + 1).replace(/\.[cS]$/, '');
	const own = dirs.get(dir);
	const fromOwn = own?.objectNamespaces.get(object) ?? own?.defaultNamespace ?? own?.subdirDefaultNamespace;
	if (fromOwn) return fromOwn;
	for (let d = dir; d; ) {
		const cut = d.lastIndexOf('/');
		d = cut < 0 ? '' : d.slice(0, cut);
		const ns = dirs.get(d)?.subdirDefaultNamespace;
		if (ns) return ns;
		if (!d) break;
	}
	return undefined;
}
