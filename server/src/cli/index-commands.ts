/** `kmm index`, `kmm exports`, `kmm modules`: the kernel index, printed for scripts and people. */
import { SYMVERS_FILE } from '../engine/kernel/symvers';
import { formatVersion } from '../engine/version';
import { loadKernelCached, type KernelOptions } from './kernel';
import { EXIT_CLEAN } from './usage';

export const INDEX_HELP = `usage: kmm index [--kernel DIR] [--build DIR] [--config FILE] [--cache-dir DIR] [--json]

Indexes a kernel tree (exports, modules, licenses, version, functions and call graph) and
prints a summary. The index is cached in DIR (default $XDG_CACHE_HOME/kmm or ~/.cache/kmm);
a later run re-reads only the files that changed.
  --kernel DIR  a source tree, or a headers tree (exports from its Module.symvers; no call graph)
  --build DIR   the build of a source tree (O= directory or headers tree): its
                Module.symvers and .config win over the scan
  --json   {"root","kind","version","files","bytes","exports":{MACRO:n,...},"modules":n,
            "functions":n,"callEdges":n,"ms":n,"exportsMs":n,"fromCache":bool,"skipped":n,
            "note"?}`;

export const EXPORTS_HELP = `usage: kmm exports [--kernel DIR] [--build DIR] [--cache-dir DIR]

One line per exported symbol: SYMBOL<TAB>MACRO<TAB>NAMESPACE or -<TAB>FILE:LINE
(Module.symvers:LINE for exports a build's Module.symvers gives without a source site)`;

export const MODULES_HELP = `usage: kmm modules [--kernel DIR] [--build DIR] [--config FILE] [--cache-dir DIR]

One line per module (code that may be built as a .ko):
MODULE<TAB>LICENSE or -<TAB>FILE,FILE,...
A headers tree has no Kbuild files: its lines are the modules its Module.symvers names (those
that export symbols), as MODULE<TAB>-<TAB>Module.symvers<TAB>EXPORTS`;

export async function runIndex(options: KernelOptions & { json: boolean }, write: (s: string) => void): Promise<number> {
	const index = await loadKernelCached(options);
	const byMacro: Record<string, number> = {};
	for (const records of index.exports.values()) for (const r of records) byMacro[r.macro] = (byMacro[r.macro] ?? 0) + 1;
	const modules = [...index.units.values()].filter((u) => u.kind !== 'builtin').length;
	const version = index.version ? formatVersion(index.version) : null;
	if (options.json) {
		const summary = {
			root: index.root,
			kind: index.kind,
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
			...(index.callGraphNote ? { note: index.callGraphNote } : {}),
		};
		write(JSON.stringify(summary) + '\n');
	} else {
		write(`${index.root}: Linux ${version ?? '(unknown version)'}${index.kind === 'headers' ? ' (headers tree)' : ''}\n`);
		if (index.callGraphNote) write(`  ${index.callGraphNote}\n`);
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
	if (index.kind === 'headers') for (const [path, exports] of index.symversModules) lines.push(`${path}\t-\t${SYMVERS_FILE}\t${exports}`);
	write(lines.sort().join('\n') + (lines.length ? '\n' : ''));
	return EXIT_CLEAN;
}

