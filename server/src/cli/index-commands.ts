/** `kmm index`, `kmm exports`, `kmm modules`: the kernel index, printed for scripts and people. */
import { formatVersion } from '../engine/kernel/version';
import { loadKernelCached, type KernelOptions } from './kernel';
import { EXIT_CLEAN } from './usage';

export const INDEX_HELP = `usage: kmm index [--kernel DIR] [--config FILE] [--cache-dir DIR] [--json]

Indexes a kernel tree (exports, modules, licenses, version, functions and call graph) and
prints a summary. The index is cached in DIR (default $XDG_CACHE_HOME/kmm or ~/.cache/kmm);
a later run re-reads only the files that changed.
  --json   {"root","version","files","bytes","exports":{MACRO:n,...},"modules":n,
            "functions":n,"callEdges":n,"ms":n,"exportsMs":n,"fromCache":bool,"skipped":n}`;

export const EXPORTS_HELP = `usage: kmm exports [--kernel DIR] [--cache-dir DIR]

One line per exported symbol: SYMBOL<TAB>MACRO<TAB>NAMESPACE or -<TAB>FILE:LINE`;

export const MODULES_HELP = `usage: kmm modules [--kernel DIR] [--config FILE] [--cache-dir DIR]

One line per module (code that may be built as a .ko):
MODULE<TAB>LICENSE or -<TAB>FILE,FILE,...`;

export async function runIndex(options: KernelOptions & { json: boolean }, write: (s: string) => void): Promise<number> {
	const index = await loadKernelCached(options);
	const byMacro: Record<string, number> = {};
	for (const records of index.exports.values()) for (const r of records) byMacro[r.macro] = (byMacro[r.macro] ?? 0) + 1;
	const modules = [...index.units.values()].filter((u) => u.kind !== 'builtin').length;
	const version = index.version ? formatVersion(index.version) : null;
	if (options.json) {
		const summary = {
			root: index.root,
			version,
			files: index.stats.files,
			bytes: index.stats.bytes,
			exports: byMacro,
			modules,
			functions: index.graph.counts.functions,
			callEdges: index.graph.counts.calls,
			ms: index.stats.ms,
			exportsMs: index.stats.exportsMs,
			fromCache: index.stats.fromCache,
			skipped: index.skipped.length,
		};
		write(JSON.stringify(summary) + '\n');
	} else {
		write(`${index.root}: Linux ${version ?? '(unknown version)'}\n`);
		const how = index.stats.fromCache ? `from cache (${index.stats.reread} files re-read)` : 'from scratch';
		write(`  ${index.stats.files} source files, ${index.stats.bytes} bytes, indexed ${how} in ${index.stats.ms} ms\n`);
		for (const [macro, n] of Object.entries(byMacro).sort()) write(`  ${macro}: ${n}\n`);
		write(`  ${modules} modules\n`);
		write(`  ${index.graph.counts.functions} functions, ${index.graph.counts.calls} calls, ${index.graph.counts.references} references\n`);
		if (index.stats.cacheNote) write(`  cache: ${index.stats.cacheNote}\n`);
		for (const s of index.skipped) write(`  skipped ${s.path}: ${s.reason}\n`);
	}
	return EXIT_CLEAN;
}

export async function runExports(options: KernelOptions, write: (s: string) => void): Promise<number> {
	const index = await loadKernelCached(options);
	const lines: string[] = [];
	for (const records of index.exports.values()) {
		for (const r of records) lines.push(`${r.symbol}\t${r.macro}\t${r.namespace ?? '-'}\t${r.file}:${r.line + 1}`);
	}
	write(lines.sort().join('\n') + (lines.length ? '\n' : ''));
	return EXIT_CLEAN;
}

export async function runModules(options: KernelOptions, write: (s: string) => void): Promise<number> {
	const index = await loadKernelCached(options);
	const lines: string[] = [];
	for (const unit of index.units.values()) {
		if (unit.kind === 'builtin') continue;
		const licenses = [...new Set(index.licensesOf(unit).map((l) => l.license))];
		lines.push(`${unit.name}\t${licenses.join(';') || '-'}\t${unit.files.join(',')}`);
	}
	write(lines.sort().join('\n') + (lines.length ? '\n' : ''));
	return EXIT_CLEAN;
}

