/** `kmm index`, `kmm exports`, `kmm modules`: the kernel index, printed for scripts and people. */
import { formatVersion } from '../engine/kernel/version';
import { loadKernel, type KernelOptions } from './kernel';
import { EXIT_CLEAN } from './usage';

export const INDEX_HELP = `usage: kmm index [--kernel DIR] [--config FILE] [--json]

Indexes a kernel tree (exports, modules, licenses, version) and prints a summary.
  --json   {"root","version","files","bytes","exports":{MACRO:n,...},"modules":n,"ms":n}`;

export const EXPORTS_HELP = `usage: kmm exports [--kernel DIR]

One line per exported symbol: SYMBOL<TAB>MACRO<TAB>NAMESPACE or -<TAB>FILE:LINE`;

export const MODULES_HELP = `usage: kmm modules [--kernel DIR] [--config FILE]

One line per module (code that may be built as a .ko):
MODULE<TAB>LICENSE or -<TAB>FILE,FILE,...`;

export function runIndex(options: KernelOptions & { json: boolean }, write: (s: string) => void): number {
	const index = loadKernel(options);
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
			ms: index.stats.ms,
			skipped: index.skipped.length,
		};
		write(JSON.stringify(summary) + '\n');
	} else {
		write(`${index.root}: Linux ${version ?? '(unknown version)'}\n`);
		write(`  ${index.stats.files} source files, ${index.stats.bytes} bytes, indexed in ${index.stats.ms} ms\n`);
		for (const [macro, n] of Object.entries(byMacro).sort()) write(`  ${macro}: ${n}\n`);
		write(`  ${modules} modules\n`);
		for (const s of index.skipped) write(`  skipped ${s.path}: ${s.reason}\n`);
	}
	return EXIT_CLEAN;
}

export function runExports(options: KernelOptions, write: (s: string) => void): number {
	const index = loadKernel(options);
	const lines: string[] = [];
	for (const records of index.exports.values()) {
		for (const r of records) lines.push(`${r.symbol}\t${r.macro}\t${r.namespace ?? '-'}\t${r.file}:${r.line + 1}`);
	}
	write(lines.sort().join('\n') + (lines.length ? '\n' : ''));
	return EXIT_CLEAN;
}

export function runModules(options: KernelOptions, write: (s: string) => void): number {
	const index = loadKernel(options);
	const lines: string[] = [];
	for (const unit of index.units.values()) {
		if (unit.kind === 'builtin') continue;
		const licenses = [...new Set(index.licensesOf(unit).map((l) => l.license))];
		lines.push(`${unit.name}\t${licenses.join(';') || '-'}\t${unit.files.join(',')}`);
	}
	write(lines.sort().join('\n') + (lines.length ? '\n' : ''));
	return EXIT_CLEAN;
}

