/**
 * From per-file lexical facts to the tree's export table: each export site becomes one
 * record per emitted symbol, with the namespace the macro gives or, failing that, the
 * file's DEFAULT_SYMBOL_NAMESPACE (a #define in the file, else kbuild flags).
 */
import type { KbuildDir } from './kbuild';
import type { FileMeta } from './lexscan';

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

export function collectExports(files: ReadonlyMap<string, FileMeta>, kbuildDirs: ReadonlyMap<string, KbuildDir>): ExportRecord[] {
	const records: ExportRecord[] = [];
	for (const [rel, meta] of files) {
		const fallbackNs = meta.defaultNamespace ?? makefileNamespace(rel, kbuildDirs);
		for (const site of meta.exports) {
			const ns = site.namespace ?? fallbackNs;
			for (const symbol of site.symbols) {
				const record: ExportRecord = {
					symbol,
					macro: site.macro,
					gplOnly: site.gplOnly,
					file: rel,
					line: site.range.start.line,
					character: site.range.start.character,
				};
				if (ns) record.namespace = ns;
				records.push(record);
			}
		}
	}
	return records;
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
