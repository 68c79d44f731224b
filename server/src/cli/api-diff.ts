/** `kmm api-diff A B`: the engine's apiDiff, printed. */
import { resolve } from 'node:path';
import { apiDiff, type ApiDiff, type ExportChange, type ExportChangeKind, type ModuleFiles } from '../engine/api-diff';
import { Engine } from '../engine/engine';
import type { ExportRecord } from '../engine/kernel/index';
import { readBounded } from '../engine/read';
import { versionOf } from '../engine/kernel/open';
import { labeledKernels, type KernelOptions } from './kernel';
import { collectSources, type SkippedFile } from './sources';
import { displayPath, EXIT_CLEAN, EXIT_FINDINGS } from './usage';

export const API_DIFF_HELP = `usage: kmm api-diff A B [--module DIR] [--json] [--cache-dir DIR]

What changed for modules from kernel A to kernel B: exports added, removed, turned GPL-only
or back, moved into, out of or between namespaces, and the ZONE_DEVICE structs and enums
(struct dev_pagemap, struct dev_pagemap_ops, enum memory_type, ...) as each kernel's
headers declare them. A and B are source trees or headers trees (/usr/src/linux-headers-<ver>),
each optionally LABEL=DIR; a headers tree's exports are exactly its Module.symvers.

  --module DIR     only the exports the module in DIR uses (as each kernel compiles it:
                   version guards decided per kernel), each with the module's use sites
  --json           machine-readable output
  --cache-dir DIR  where the index caches live (default $XDG_CACHE_HOME/kmm or ~/.cache/kmm)

Exit status: 0 no differences, 1 some, 2 bad usage or an unusable kernel.`;

export interface ApiDiffOptions extends Pick<KernelOptions, 'cacheDir'> {
	module?: string;
	json: boolean;
}

const TITLES: Record<ExportChangeKind, string> = {
	added: 'added',
	removed: 'removed',
	'gpl-only': 'turned GPL-only',
	'no-longer-gpl-only': 'no longer GPL-only',
	namespace: 'namespace changed',
};
const KINDS = Object.keys(TITLES) as ExportChangeKind[];

export async function runApiDiff(specs: [string, string], options: ApiDiffOptions, write: (s: string) => void, writeErr = (s: string) => void process.stderr.write(s)): Promise<number> {
	const moduleDir = options.module === undefined ? undefined : resolve(options.module);
	const [from, to] = await labeledKernels(specs, { cacheDir: options.cacheDir }, moduleDir ? [moduleDir] : []);
	let module: ModuleFiles | undefined;
	if (moduleDir) {
		const paths: string[] = [];
		const skipped: SkippedFile[] = [];
		collectSources(moduleDir, /\.[ch]$/, paths, skipped);
		const files: ModuleFiles['files'] = [];
		for (const file of paths) {
			const read = readBounded(file, 'source');
			if ('data' in read) files.push({ file, text: read.data.toString('utf8') });
			else skipped.push({ file, reason: read.skipped });
		}
		for (const s of skipped) writeErr(`kmm: skipped ${displayPath(s.file)}: ${s.reason}\n`);
		module = { files, engines: [await Engine.create(from.index), await Engine.create(to.index)] };
	}
	const diff = await apiDiff(from, to, module);
	write(options.json ? JSON.stringify(toJson(diff), null, 2) + '\n' : toText(diff));
	return diff.exports.length > 0 || diff.records.length > 0 ? EXIT_FINDINGS : EXIT_CLEAN;
}

const counts = (diff: ApiDiff) => Object.fromEntries(KINDS.map((k) => [k, diff.exports.filter((c) => c.kind === k).length]));

function exportJson(r: ExportRecord | undefined) {
	return r && { macro: r.macro, gplOnly: r.gplOnly, namespace: r.namespace ?? null, file: r.file, line: r.line + 1 };
}

function toJson(diff: ApiDiff) {
	const side = (k: ApiDiff['from']) => ({ label: k.label, root: k.index.root, kind: k.index.kind, version: versionOf(k.index) });
	return {
		from: side(diff.from),
		to: side(diff.to),
		counts: counts(diff),
		exports: diff.exports.map((c) => ({
			kind: c.kind,
			symbol: c.symbol,
			before: exportJson(c.before) ?? null,
			after: exportJson(c.after) ?? null,
			...(c.uses
				? {
						uses: c.uses.map((u) => ({
							file: displayPath(u.location.file),
							line: u.location.range.start.line + 1,
							column: u.location.range.start.character + 1,
							...(u.via ? { via: u.via } : {}),
							kernels: u.kernels,
						})),
					}
				: {}),
		})),
		unchanged: diff.unchanged,
		records: diff.records.map((r) => ({
			...r,
			before: r.before ? { file: r.before.file, line: r.before.line + 1 } : null,
			after: r.after ? { file: r.after.file, line: r.after.line + 1 } : null,
		})),
	};
}

/** `EXPORT_SYMBOL_NS_GPL ns`-style: the macro and, when there is one, the namespace. */
function how(r: ExportRecord | undefined): string {
	return r ? `${r.macro}${r.namespace ? ` ${r.namespace}` : ''}` : '-';
}

function changeLine(c: ExportChange): string {
	switch (c.kind) {
		case 'added':
			return `  + ${c.symbol}\t${how(c.after)}`;
		case 'removed':
			return `  - ${c.symbol}\t${how(c.before)}`;
		case 'namespace':
			return `  ${c.symbol}\t${c.before?.namespace ?? '(none)'} -> ${c.after?.namespace ?? '(none)'}`;
		default:
			return `  ${c.symbol}\t${c.before?.macro} -> ${c.after?.macro}`;
	}
}

function toText(diff: ApiDiff): string {
	const out: string[] = [];
	const side = (k: ApiDiff['from']) => `${k.label} (${k.index.root})`;
	const n = counts(diff);
	out.push(`kmm api-diff ${side(diff.from)} -> ${side(diff.to)}`);
	out.push(`exports: ${KINDS.map((k) => `${n[k]} ${TITLES[k]}`).join(', ')}`);
	for (const kind of KINDS) {
		const list = diff.exports.filter((c) => c.kind === kind);
		if (list.length === 0) continue;
		out.push('', `${TITLES[kind]} (${list.length}):`);
		for (const c of list) {
			out.push(changeLine(c));
			for (const u of c.uses ?? []) {
				const at = `${displayPath(u.location.file)}:${u.location.range.start.line + 1}:${u.location.range.start.character + 1}`;
				out.push(`      used at ${at}${u.via ? ` (through ${u.via.join(' -> ')})` : ''} [${u.kernels.join(', ')}]`);
			}
		}
	}
	for (const r of diff.records) {
		const where = (s: { file: string; line: number } | undefined, label: string) => (s ? `${s.file}:${s.line + 1}` : `not in ${label}`);
		out.push('', `${r.kind} ${r.tag} (${where(r.before, diff.from.label)} -> ${where(r.after, diff.to.label)}):`);
		for (const m of r.members) {
			if (m.kind === 'added') out.push(`  + ${m.after}`);
			else if (m.kind === 'removed') out.push(`  - ${m.before}`);
			else out.push(`  ~ ${m.before}  ->  ${m.after}`);
		}
	}
	if (diff.unchanged.length > 0) out.push('', `unchanged: ${diff.unchanged.join(', ')}`);
	return out.join('\n') + '\n';
}
