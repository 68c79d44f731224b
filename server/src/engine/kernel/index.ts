/**
 * The KernelIndex: what the checks, hovers and migrations know about one kernel tree.
 * Built from a walk of the tree, the lexical pass over its sources, and its kbuild and
 * Kconfig files; no build and no compile_commands.json are needed.
 */
import { readFileSync, existsSync, statSync } from 'node:fs';
import { join, relative, isAbsolute, sep } from 'node:path';
import { scanFile, type FileMeta, type ImportSite, type LicenseSite } from './lexscan';
import { parseKbuild, type KbuildDir } from './kbuild';
import { parseKconfig, parseDotConfig, type KconfigType } from './kconfig';
import { parseKernelVersion, type KernelVersion } from './version';
import { unitsOfDir, type BuildUnit, type ConfigView } from './modules';
import { walkTree } from './walk';
import { collectExports, type ExportRecord } from './exports';

export type { ExportRecord };

export interface IndexOptions {
	/** A .config to resolve CONFIG_ options exactly; default: the tree's own .config if present. */
	configFile?: string;
}

/** Files larger than this are not source anyone edits (generated tables, firmware blobs). */
export const MAX_SOURCE_BYTES = 4 * 1024 * 1024;

export interface Skipped {
	path: string;
	reason: string;
}

export class KernelIndex {
	readonly exports = new Map<string, ExportRecord[]>();
	readonly units = new Map<string, BuildUnit>();
	readonly unitOfFile = new Map<string, BuildUnit>();
	/** Per-file lexical facts, only for files that have any. */
	readonly fileMeta = new Map<string, FileMeta>();
	readonly skipped: Skipped[] = [];
	stats = { files: 0, bytes: 0, ms: 0 };

	constructor(
		readonly root: string,
		readonly version: KernelVersion | undefined,
	) {}

	/** Path relative to the root, or undefined when the file lies outside the tree. */
	relativePath(file: string): string | undefined {
		const rel = relative(this.root, file);
		if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
		return rel.split(sep).join('/');
	}

	absolutePath(rel: string): string {
		return join(this.root, rel);
	}

	/**
	 * The export that a module links against. Arch variants may export a name from several
	 * files; prefer generic code, then x86 (the arch of the trees we check against).
	 */
	exportOf(symbol: string): ExportRecord | undefined {
		const all = this.exports.get(symbol);
		if (!all) return undefined;
		const score = (e: ExportRecord) => (!e.file.startsWith('arch/') ? 0 : e.file.startsWith('arch/x86/') ? 1 : 2);
		return [...all].sort((a, b) => score(a) - score(b))[0];
	}

	licensesOf(unit: BuildUnit): (LicenseSite & { file: string })[] {
		return unit.files.flatMap((file) => (this.fileMeta.get(file)?.licenses ?? []).map((l) => ({ ...l, file })));
	}

	importsOf(unit: BuildUnit): (ImportSite & { file: string })[] {
		return unit.files.flatMap((file) => (this.fileMeta.get(file)?.imports ?? []).map((i) => ({ ...i, file })));
	}
}

/** A directory is a kernel tree when its Makefile has VERSION/PATCHLEVEL and include/linux exists. */
export function isKernelTree(dir: string): boolean {
	try {
		if (!existsSync(join(dir, 'include', 'linux')) || !statSync(join(dir, 'include', 'linux')).isDirectory()) {
			return false;
		}
		return parseKernelVersion(readFileSync(join(dir, 'Makefile'), 'utf8')) !== undefined;
	} catch {
		return false;
	}
}

export class NotAKernelTreeError extends Error {}

function readText(path: string, skipped: Skipped[], rel: string): string | undefined {
	try {
		const st = statSync(path);
		if (st.size > MAX_SOURCE_BYTES) {
			skipped.push({ path: rel, reason: `larger than ${MAX_SOURCE_BYTES} bytes` });
			return undefined;
		}
		const buf = readFileSync(path);
		if (buf.includes(0)) {
			skipped.push({ path: rel, reason: 'binary (contains NUL bytes)' });
			return undefined;
		}
		return buf.toString('utf8');
	} catch (err) {
		skipped.push({ path: rel, reason: (err as NodeJS.ErrnoException).code ?? String(err) });
		return undefined;
	}
}

export function buildKernelIndex(root: string, options: IndexOptions = {}): KernelIndex {
	const started = Date.now();
	if (!isKernelTree(root)) {
		throw new NotAKernelTreeError(
			`${root} is not a kernel tree (expected a Makefile with VERSION/PATCHLEVEL and include/linux/)`,
		);
	}
	const version = parseKernelVersion(readFileSync(join(root, 'Makefile'), 'utf8'));
	const index = new KernelIndex(root, version);
	const tree = walkTree(root);
	index.skipped.push(...tree.skipped);

	const kconfig = new Map<string, KconfigType>();
	for (const rel of tree.kconfig) {
		const text = readText(join(root, rel), index.skipped, rel);
		if (text !== undefined) parseKconfig(text, kconfig);
	}
	const config: ConfigView = { kconfig };
	const dotConfigPath = options.configFile ?? join(root, '.config');
	if (options.configFile || existsSync(dotConfigPath)) {
		config.dotConfig = parseDotConfig(readFileSync(dotConfigPath, 'utf8'));
	}

	const sources = new Set(tree.sources);
	const sourceOf = (obj: string) => (sources.has(`${obj}.c`) ? `${obj}.c` : sources.has(`${obj}.S`) ? `${obj}.S` : undefined);
	const kbuildDirs = new Map<string, KbuildDir>();
	for (const [dir, file] of tree.kbuild) {
		const text = readText(join(root, file), index.skipped, file);
		if (text === undefined) continue;
		const kb = parseKbuild(text);
		kbuildDirs.set(dir, kb);
		for (const unit of unitsOfDir(dir, kb, file, config, sourceOf)) {
			index.units.set(unit.name, unit);
			for (const f of unit.files) if (!index.unitOfFile.has(f)) index.unitOfFile.set(f, unit);
		}
	}

	const scanned = new Map<string, FileMeta>();
	for (const rel of tree.sources) {
		const text = readText(join(root, rel), index.skipped, rel);
		if (text === undefined) continue;
		index.stats.files++;
		index.stats.bytes += text.length;
		const meta = scanFile(text);
		if (meta.exports.length === 0 && meta.licenses.length === 0 && meta.imports.length === 0) continue;
		scanned.set(rel, meta);
	}
	for (const [rel, meta] of scanned) index.fileMeta.set(rel, meta);
	for (const record of collectExports(scanned, kbuildDirs)) {
		const list = index.exports.get(record.symbol);
		if (list) list.push(record);
		else index.exports.set(record.symbol, [record]);
	}
	index.stats.ms = Date.now() - started;
	return index;
}
