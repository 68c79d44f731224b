/**
 * The lexical pass: what can be read off a C (or assembly) file without parsing it —
 * exports, MODULE_LICENSE, MODULE_IMPORT_NS and a DEFAULT_SYMBOL_NAMESPACE #define.
 * It must be fast (it runs over every file of a kernel tree) and must not be fooled by
 * comments, so comments are blanked first, keeping every offset and line in place.
 */
import { EXPORT_MACROS, forModulesNamespace } from '../knowledge/export-macros';
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
	license: string;
	range: Range;
}

export interface ImportSite {
	namespace: string;
	/** Whether it was written as a string literal (the 6.13+ spelling). */
	quoted: boolean;
	range: Range;
}

export interface FileMeta {
	exports: ExportSite[];
	licenses: LicenseSite[];
	imports: ImportSite[];
	/** From `#define DEFAULT_SYMBOL_NAMESPACE X` in the file itself. */
	defaultNamespace?: string;
}

/** Replaces comments with spaces (newlines kept) so offsets and lines stay valid. */
export function blankComments(text: string): string {
	if (!text.includes('/*') && !text.includes('//')) return text;
	const out: string[] = [];
	let last = 0;
	let i = 0;
	const n = text.length;
	while (i < n) {
		const c = text.charCodeAt(i);
		if (c === 0x22 /* " */ || c === 0x27 /* ' */) {
			// Skip a string or char literal; an unterminated one ends at the line's end.
			i++;
			while (i < n) {
				const d = text.charCodeAt(i);
				if (d === 0x5c /* \ */) i += 2;
				else if (d === c || d === 0x0a) {
					i++;
					break;
				} else i++;
			}
		} else if (c === 0x2f /* / */ && text.charCodeAt(i + 1) === 0x2a /* * */) {
			let end = text.indexOf('*/', i + 2);
			end = end < 0 ? n : end + 2;
			out.push(text.slice(last, i), text.slice(i, end).replace(/[^\n]/g, ' '));
			last = i = end;
		} else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2f) {
			let end = text.indexOf('\n', i);
			if (end < 0) end = n;
			out.push(text.slice(last, i), ' '.repeat(end - i));
			last = i = end;
		} else i++;
	}
	out.push(text.slice(last));
	return out.join('');
}

/** Maps offsets to 0-based line/column with one pass, for offsets visited in ascending order. */
class LineCounter {
	private line = 0;
	private lineStart = 0;
	private offset = 0;
	constructor(private readonly text: string) {}
	position(offset: number): { line: number; character: number } {
		if (offset < this.offset) {
			this.line = 0;
			this.lineStart = 0;
			this.offset = 0;
		}
		for (let i = this.text.indexOf('\n', this.offset); i >= 0 && i < offset; i = this.text.indexOf('\n', i + 1)) {
			this.line++;
			this.lineStart = i + 1;
		}
		this.offset = offset;
		return { line: this.line, character: offset - this.lineStart };
	}
	range(start: number, end: number): Range {
		return { start: this.position(start), end: this.position(end) };
	}
}

const EXPORT_RE = /^[ \t]*(EXPORT_[A-Z_]+)[ \t]*\(([^();]*)\)/gm;
const LICENSE_RE = /\bMODULE_LICENSE[ \t]*\([ \t]*"((?:[^"\\\n]|\\.)*)"[ \t]*\)/g;
const IMPORT_RE = /\bMODULE_IMPORT_NS[ \t]*\([ \t]*("?)([A-Za-z_][\w:.*-]*)\1[ \t]*\)/g;
const DEFAULT_NS_RE = /^[ \t]*#[ \t]*define[ \t]+DEFAULT_SYMBOL_NAMESPACE[ \t]+("?)([A-Za-z_]\w*)\1[ \t]*$/m;

function unquote(arg: string): string {
	const t = arg.trim();
	return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
}

export function scanFile(text: string): FileMeta {
	const meta: FileMeta = { exports: [], licenses: [], imports: [] };
	const hasExport = text.includes('EXPORT_');
	const hasModule = text.includes('MODULE_');
	const hasDefaultNs = text.includes('DEFAULT_SYMBOL_NAMESPACE');
	if (!hasExport && !hasModule && !hasDefaultNs) return meta;
	const code = blankComments(text);
	const lines = new LineCounter(code);

	if (hasExport) {
		for (const m of code.matchAll(EXPORT_RE)) {
			const macro = EXPORT_MACROS.get(m[1]);
			if (!macro) continue;
			const args = m[2].split(',').map((a) => a.trim());
			const name = args[0];
			if (!/^[A-Za-z_]\w*$/.test(name)) continue;
			const start = m.index + m[0].indexOf(m[1]);
			const site: ExportSite = {
				name,
				symbols: macro.emits ? macro.emits.map((t) => t.replace('%s', name)) : [name],
				macro: macro.name,
				gplOnly: macro.gplOnly,
				range: lines.range(start, m.index + m[0].length),
			};
			if (macro.namespaceArg && args[1]) site.namespace = unquote(args[1]);
			else if (macro.forModules && args[1]) site.namespace = forModulesNamespace(unquote(args.slice(1).join(',')));
			else if (macro.impliedNamespace) site.namespace = macro.impliedNamespace;
			meta.exports.push(site);
		}
	}
	if (hasModule) {
		for (const m of code.matchAll(LICENSE_RE)) {
			meta.licenses.push({ license: m[1], range: lines.range(m.index, m.index + m[0].length) });
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
		const m = DEFAULT_NS_RE.exec(code);
		if (m) meta.defaultNamespace = m[2];
	}
	return meta;
}
