/** `kmm migrate [PATH...]`: the hmm_devmem migrations as a patch, or applied with --write. */
import { statSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { structuredPatch } from 'diff';
import { Engine } from '../engine/engine';
import type { Fix, ModuleContext } from '../engine/checks/types';
import { documentTooLarge, tooLarge } from '../engine/checks/document-too-large';
import { LineMap } from '../engine/lex';
import { migrateFile, migrateModule, type MigrationRemark, type MigrationResult } from '../engine/migrations/index';
import { readBounded } from '../engine/read';
import { loadKernelCached, type KernelOptions } from './kernel';
import { collectSources, type SkippedFile } from './sources';
import { displayPath, EXIT_CLEAN, EXIT_FINDINGS, UsageError } from './usage';

export const MIGRATE_HELP = `usage: kmm migrate [PATH...] [--kernel DIR] [--build DIR] [--config FILE] [--cache-dir DIR] [--write]

Rewrites code written against the old HMM device-memory API (hmm_devmem_add(),
hmm_devmem_ops, hmm_devmem_remove(), the drvdata helpers; hmm_devmem_pages_create() in an
old mm/hmm.c) for the kernel's driver-owned struct dev_pagemap and devm_memremap_pages(),
and older shapes of struct dev_pagemap into the kernel's (res -> range + nr_range, data ->
container_of(), altmap_valid -> PGMAP_ALTMAP_VALID, renamed memory types).
PATH is a module directory (every file of each module in it) or C files (just those files);
default: the current directory.

Prints a unified diff whose paths are relative to the module's root (the directory of its
Kbuild, or the kernel tree for in-tree code), so it applies there with \`git apply\` or
\`patch -p1\`. Lists on stderr what it could not migrate ("left") and where a person must
decide ("review", also marked TODO(kmm) in the code). Then it checks the migrated text with
the removed-api and removed-member checks and lists what they still find ("still", lines of
the migrated text): "migrated" means they find nothing.

  --kernel DIR     kernel tree whose API to migrate to (found as for kmm check)
  --build DIR      the build of a source tree (O= directory or headers tree)
  --config FILE    a .config that decides which options are modules
  --cache-dir DIR  where the index cache lives (default $XDG_CACHE_HOME/kmm or ~/.cache/kmm)
  --write          apply the changes to the files instead of printing the diff

Exit status: 0 everything migrated (the checks find nothing left), 1 something was left,
2 bad usage or unreadable input.`;

export interface MigrateOptions extends KernelOptions {
	write: boolean;
}

interface Job {
	/** Where the diff's paths are relative to. */
	root: string;
	/** The C files it migrates (a module's members, or the file given). */
	files: string[];
	result: MigrationResult;
}

/** The checks whose findings mean the old API is still there. */
const OLD_API_CODES = new Set(['removed-api', 'removed-member']);

/** A source the migration edits: it must be read whole, or the command stops. */
function readSource(file: string): string {
	const read = readBounded(file, 'source');
	if ('data' in read) return read.data.toString('utf8');
	throw new UsageError(`cannot read ${file}: ${read.skipped}`);
}

function rel(root: string, file: string): string {
	return relative(root, file).split(sep).join('/');
}

/** A git-style unified diff of one file (a/ and b/ prefixes, 3 lines of context). */
export function fileDiff(path: string, before: string, after: string): string {
	const patch = structuredPatch(`a/${path}`, `b/${path}`, before, after, '', '', { context: 3 });
	if (patch.hunks.length === 0) return '';
	let out = `diff --git a/${path} b/${path}\n--- a/${path}\n+++ b/${path}\n`;
	for (const h of patch.hunks) {
		out += `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@\n`;
		for (const line of h.lines) out += `${line}\n`;
	}
	return out;
}

/** Applies a fix's edits (LSP positions) to each file's text. */
export function applyFix(fix: Fix, read: (file: string) => string): Map<string, string> {
	const out = new Map<string, string>();
	const byFile = new Map<string, Fix['edits']>();
	for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
	for (const [file, edits] of byFile) {
		const text = read(file);
		const lines = new LineMap(text);
		// Edits come sorted and never overlap; at one offset the earlier one goes first.
		let result = '';
		let at = 0;
		for (const e of edits) {
			const s = lines.offset(e.range.start);
			result += text.slice(at, s) + e.newText;
			at = Math.max(at, lines.offset(e.range.end));
		}
		out.set(file, result + text.slice(at));
	}
	return out;
}

function remarkLine(kind: string, r: MigrationRemark): string {
	return `${displayPath(r.file)}:${r.range.start.line + 1}:${r.range.start.character + 1}: ${kind}: ${r.reason}\n`;
}

/**
 * The engine's own verdict on the migrated text: every removed-api and removed-member finding
 * left in the job's files (positions in the migrated text), with the module's changed files
 * seen as migrated.
 */
function stillOld(engine: Engine, files: readonly string[], changed: ReadonlyMap<string, string>): (MigrationRemark & { code: string })[] {
	for (const [file, text] of changed) engine.setOverlay(file, text);
	try {
		return files.flatMap((file) => {
			const text = changed.get(file) ?? readSource(file);
			return (engine.inspect(file, text)?.findings ?? [])
				// A file too large to parse was neither migrated nor checked: it is not done either.
				.filter((f) => OLD_API_CODES.has(f.code) || f.code === documentTooLarge.code)
				.map((f) => ({ file, range: f.range, reason: `${f.message} [${f.code}]`, code: f.code }));
		});
	} finally {
		for (const file of changed.keys()) engine.setOverlay(file, undefined);
	}
}

export async function runMigrate(
	paths: string[],
	options: MigrateOptions,
	write: (s: string) => void,
	writeErr: (s: string) => void = (s) => void process.stderr.write(s),
): Promise<number> {
	const targets = (paths.length > 0 ? paths : ['.']).map((p) => resolve(p));
	const files: { file: string; explicit: boolean }[] = [];
	const skipped: SkippedFile[] = [];
	for (const target of targets) {
		const found: string[] = [];
		collectSources(target, /\.c$/, found, skipped);
		const explicit = statSync(target).isFile();
		for (const f of found) files.push({ file: f, explicit });
	}
	for (const s of skipped) writeErr(`kmm: skipped ${displayPath(s.file)}: ${s.reason}\n`);
	const kernel = await loadKernelCached(options, targets);
	const engine = await Engine.create(kernel);
	const rootOf = (file: string, module?: ModuleContext) =>
		kernel.relativePath(file) !== undefined ? kernel.root : module ? dirname(module.kbuild.file) : dirname(file);

	const jobs: Job[] = [];
	const doneModules = new Set<string>();
	for (const { file, explicit } of files) {
		const module = engine.moduleOf(file);
		if (!explicit && module) {
			const key = `${module.kbuild.file}\0${module.name}`;
			if (doneModules.has(key)) continue;
			doneModules.add(key);
			jobs.push({ root: rootOf(file, module), files: module.files, result: migrateModule({ engine, module }) });
			continue;
		}
		const text = readSource(file);
		if (tooLarge(text)) {
			jobs.push({ root: rootOf(file, module), files: [file], result: { fixes: [], todos: [], left: [] } });
			continue;
		}
		const tree = engine.parse(text);
		try {
			jobs.push({ root: rootOf(file, module), files: [file], result: migrateFile({ engine, module, tree, text, file }) });
		} finally {
			tree.delete();
		}
	}

	let left = 0;
	let stillCount = 0;
	let unchecked = 0;
	let written = 0;
	for (const job of jobs) {
		const changed = new Map<string, string>();
		for (const fix of job.result.fixes) {
			for (const [file, text] of applyFix(fix, (f) => changed.get(f) ?? readSource(f))) changed.set(file, text);
		}
		for (const [file, after] of [...changed].sort(([a], [b]) => a.localeCompare(b))) {
			const before = readSource(file);
			if (before === after) continue;
			if (options.write) {
				writeFileSync(file, after);
				written++;
			} else write(fileDiff(rel(job.root, file), before, after));
		}
		for (const r of job.result.todos) writeErr(remarkLine('review', r));
		for (const r of job.result.left) writeErr(remarkLine('left', r));
		const still = stillOld(engine, job.files, changed);
		for (const r of still) writeErr(remarkLine('still', r));
		left += job.result.left.length;
		const unparsed = still.filter((r) => r.code === documentTooLarge.code).length;
		unchecked += unparsed;
		stillCount += still.length - unparsed;
	}
	const count = `${written} file${written === 1 ? '' : 's'}`;
	const done = left === 0 && stillCount === 0 && unchecked === 0;
	if (options.write) writeErr(done ? `kmm: migrated ${count}\n` : `kmm: wrote ${count}, not migrated yet\n`);
	if (left > 0) writeErr(`kmm: ${left} place${left === 1 ? '' : 's'} left to migrate by hand\n`);
	if (unchecked > 0) writeErr(`kmm: ${unchecked} file${unchecked === 1 ? '' : 's'} too large to migrate or check\n`);
	if (stillCount > 0) writeErr(`kmm: the checks still find ${stillCount} use${stillCount === 1 ? '' : 's'} of removed API in the migrated text\n`);
	return done ? EXIT_CLEAN : EXIT_FINDINGS;
}

/** `kmm migrate …` from main.ts's dispatch: options, --help, and the run. */
export async function migrateCommand(args: string[], write: (s: string) => void): Promise<number> {
	let parsed;
	try {
		parsed = parseArgs({
			args,
			options: {
				help: { type: 'boolean', short: 'h' },
				kernel: { type: 'string' },
				build: { type: 'string' },
				config: { type: 'string' },
				'cache-dir': { type: 'string' },
				write: { type: 'boolean', default: false },
			},
			allowPositionals: true,
		});
	} catch (err) {
		throw new UsageError((err as Error).message);
	}
	if (parsed.values.help) {
		write(MIGRATE_HELP + '\n');
		return EXIT_CLEAN;
	}
	const { kernel, build, config } = parsed.values;
	return runMigrate(parsed.positionals, { kernel, build, config, cacheDir: parsed.values['cache-dir'], write: parsed.values.write ?? false }, write);
}
