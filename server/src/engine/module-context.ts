/**
 * Which module a source file belongs to, with the license, imports and definitions of all
 * its files. In-tree files are looked up in the kernel index; for any other file the nearest
 * directory upwards whose Kbuild/Makefile builds it is the module (an out-of-tree module),
 * and the package is the whole M= build that directory is part of: the top directory whose
 * kbuild descends into it (`obj-m += a/ b/`), with every module of that build.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import type { ModuleContext } from './checks/types';
import { collectExports, type ExportRecord } from './kernel/exports';
import { makeVariables, parseKbuild, parseMakefile, type KbuildDir } from './kernel/kbuild';
import type { KernelIndex } from './kernel/index';
import type { FileMeta } from './kernel/lexscan';
import { parseSymvers, symversRecord } from './kernel/symvers';
import { identityKey, readText } from './read';
import type { IncludeUse, MacroDef } from './syntax/facts';
import type { RecordShape } from './syntax/records';
import { evaluateDir, unitKind, unitsOfBuild, type BuildUnit, type ConfigView } from './kernel/modules';

/** How far above a file an out-of-tree module's Kbuild may be (src/sub/file.c is common). */
const MAX_MODULE_DEPTH = 4;
/** How many directory levels above a module's kbuild a package's top may be. */
const MAX_PACKAGE_DEPTH = 3;
/** How many kbuild files one package may have. */
const MAX_PACKAGE_DIRS = 64;

/** One out-of-tree M= build: what modpost sees at once, and the symbols it is given besides. */
export interface ModulePackage {
	/** Every unit the build makes. */
	units: BuildUnit[];
	/** Each kbuild file read, by directory relative to the root ('' is the top). */
	kbuildDirs: Map<string, KbuildDir>;
	/** Absolute paths of the Module.symvers files its KBUILD_EXTRA_SYMBOLS names. */
	extraSymbols: string[];
}

export interface ModuleUnit {
	/** The directory unit names are relative to (the package's top out of tree). */
	root: string;
	unit: BuildUnit;
	/** Out of tree: the build the unit is part of. */
	package?: ModulePackage;
}

/** Every unit a file is linked into (a source shared by two modules has two), first unit first. */
export function findModuleUnits(file: string, kernel: KernelIndex | undefined): ModuleUnit[] {
	const rel = kernel?.relativePath(file);
	if (kernel && rel !== undefined) return (kernel.unitsOfFile.get(rel) ?? []).map((unit) => ({ root: kernel.root, unit }));
	// The kernel's .config decides `obj-$(CONFIG_X)` here too: an unset option builds nothing.
	const config: ConfigView = { kconfig: new Map(), dotConfig: kernel?.dotConfig };
	let dir = dirname(file);
	for (let depth = 0; depth < MAX_MODULE_DEPTH; depth++, dir = dirname(dir)) {
		if (kbuildIn(dir)) {
			const root = packageTop(dir, config);
			const pkg = readPackage(root, config);
			const fileRel = relative(root, file).split(sep).join('/');
			const units = pkg.units.filter((u) => u.files.includes(fileRel));
			if (units.length > 0) return units.map((unit) => ({ root, unit, package: pkg }));
		}
		if (dirname(dir) === dir) break;
	}
	return [];
}

/** The directory's kbuild file (Kbuild wins over Makefile, as in kbuild) and its text. */
function kbuildIn(dir: string): { name: string; text: string } | undefined {
	const name = ['Kbuild', 'Makefile'].find((n) => existsSync(join(dir, n)));
	if (name === undefined) return undefined;
	return { name, text: readText(join(dir, name), 'build') ?? '' };
}

/** Where the M= build that `dir` belongs to starts: the highest parent whose kbuild descends into it. */
function packageTop(dir: string, config: ConfigView): string {
	let top = dir;
	for (let i = 0; i < MAX_PACKAGE_DEPTH; i++) {
		const parent = dirname(top);
		const kb = parent === top ? undefined : kbuildIn(parent);
		if (!kb) break;
		const sub = relative(parent, top).split(sep).join('/');
		const build = evaluateDir('', parseKbuild(kb.text), config, (path) => readMakefile(parent, path));
		if (!build.subdirs.some((s) => posix.normalize(s.name) === sub && unitKind(s.cond, config) !== undefined)) break;
		top = parent;
	}
	return top;
}

/** The units of the build at `root`, its kbuild files and subdirectories read the way kbuild descends. */
function readPackage(root: string, config: ConfigView): ModulePackage {
	const pkg: ModulePackage = { units: [], kbuildDirs: new Map(), extraSymbols: [] };
	const read = (path: string) => readMakefile(root, path);
	const sourceOf = (obj: string) => ['.c', '.S'].map((ext) => obj + ext).find((p) => existsSync(join(root, p)));
	const queue = [''];
	while (queue.length > 0 && pkg.kbuildDirs.size < MAX_PACKAGE_DIRS) {
		const dir = queue.shift() ?? '';
		const kb = pkg.kbuildDirs.has(dir) ? undefined : kbuildIn(join(root, dir));
		if (!kb) continue;
		const kbuild = parseKbuild(kb.text);
		pkg.kbuildDirs.set(dir, kbuild);
		const build = evaluateDir(dir, kbuild, config, read);
		for (const unit of unitsOfBuild(dir, build, posix.join(dir, kb.name), config, sourceOf)) pkg.units.push(unit);
		for (const s of build.subdirs) {
			const sub = posix.normalize(posix.join(dir, s.name));
			if (unitKind(s.cond, config) !== undefined && !sub.startsWith('..') && !posix.isAbsolute(sub)) queue.push(sub);
		}
	}
	pkg.extraSymbols = extraSymbols(root, config);
	return pkg;
}

/** `KBUILD_EXTRA_SYMBOLS=…` on a recipe's command line (`$(MAKE) -C $(KDIR) M=$(PWD) KBUILD_EXTRA_SYMBOLS=…`). */
const CMDLINE_SYMBOLS_RE = /^\t.*\bKBUILD_EXTRA_SYMBOLS=("[^"]*"|'[^']*'|\S+)/gm;

/**
 * The Module.symvers files KBUILD_EXTRA_SYMBOLS names: modpost takes it from the top's Kbuild
 * (else Makefile), which Makefile.modpost includes, and the Makefile's own make passes it on
 * (exported, or on its command line). `$(src)`, `$(M)`, `$(PWD)` are the top, so paths are
 * taken relative to it.
 */
function extraSymbols(root: string, config: ConfigView): string[] {
	const here = ['src', 'obj', 'M', 'KBUILD_EXTMOD', 'PWD', 'CURDIR'].map((v): [string, string] => [v, '.']);
	const paths = new Set<string>();
	for (const name of ['Kbuild', 'Makefile']) {
		const text = readText(join(root, name), 'build');
		if (text === undefined) continue;
		// A command-line value is expanded like the makefile's own, after all of it was read.
		const cmdline = [...text.matchAll(CMDLINE_SYMBOLS_RE)].map((m) => `\nKBUILD_EXTRA_SYMBOLS += ${m[1].replace(/^["']|["']$/g, '')}`);
		const env = { dir: '', dotConfig: config.dotConfig, read: (path: string) => readMakefile(root, path), vars: new Map(here) };
		const program = parseMakefile(text + cmdline.join(''));
		const value = makeVariables(program, env, ['KBUILD_EXTRA_SYMBOLS']).get('KBUILD_EXTRA_SYMBOLS') ?? '';
		for (const word of value.split(/\s+/)) if (word) paths.add(resolve(root, word));
	}
	return [...paths];
}

/** A makefile an out-of-tree kbuild file includes: a regular file under the package's top, else nothing. */
function readMakefile(dir: string, path: string): string | undefined {
	const file = resolve(dir, path);
	// Not through a symlink, which could lead out of the package.
	return isWithin(file, dir) ? readText(file, 'build', 'utf8', false) : undefined;
}

export interface FileSummary {
	meta: FileMeta;
	/** Functions and macros the file defines. */
	definitions: Iterable<string>;
	macros: Iterable<MacroDef>;
	/** The structs and unions the file defines, by tag. */
	records: Iterable<[string, RecordShape]>;
	includes: readonly IncludeUse[];
	/** It has module_init/module_exit, a module_*_driver or MODULE_* macros. */
	declaresModule: boolean;
}

/** How many `#include "…"` levels of a module file are followed for its own definitions. */
const MAX_INCLUDE_DEPTH = 4;

/**
 * Builds the checks' view of a module; `summarize` gives each member file's facts. The
 * module's own headers (and `.c` files it includes, as sound drivers do) are read too: a
 * quoted include found next to the including file, in the module's directory or its parent,
 * or in the module's include/ directory (also for `<…>` includes). Their
 * definitions and macros are the module's; a license or import in an included `.c` file is
 * the module's too (cpp pastes it into the member).
 */
export function moduleContext(found: ModuleUnit, summarize: (file: string) => FileSummary | undefined): ModuleContext {
	const { root, unit } = found;
	const files = unit.files.map((f) => join(root, f));
	const ctx: ModuleContext = {
		name: unit.name,
		kind: unit.kind,
		files,
		licenses: [],
		imports: [],
		definitions: new Set(),
		macros: new Map(),
		records: new Map(),
		anchorFile: files[0],
		packageExports: found.package ? packageExports(root, unit, found.package, summarize) : new Map(),
		kbuild: {
			file: join(root, unit.kbuildFile),
			range: { start: { line: unit.kbuildLine - 1, character: 0 }, end: { line: unit.kbuildLine - 1, character: 0 } },
		},
	};
	const moduleDir = dirname(join(root, unit.kbuildFile));
	const visited = new Set<string>(files);
	let anchored = false;
	const take = (file: string, summary: FileSummary, member: boolean) => {
		if (member && summary.declaresModule && !anchored) {
			ctx.anchorFile = file;
			anchored = true;
		}
		// cpp pastes an included file into the member: its MODULE_LICENSE and MODULE_IMPORT_NS
		// (ltc2497.h imports the namespace for both drivers that include it) are the module's.
		for (const l of summary.meta.licenses) {
			const location = { file, range: l.range };
			ctx.licenses.push(l.macro ? { license: '', macro: l.macro, location } : { license: l.license, location });
		}
		for (const i of summary.meta.imports) {
			ctx.imports.push({ namespace: i.namespace, quoted: i.quoted, location: { file, range: i.range } });
		}
		for (const d of summary.definitions) ctx.definitions.add(d);
		for (const m of summary.macros) ctx.macros.set(m.name, m);
		for (const [tag, shape] of summary.records) if (!ctx.records.has(tag)) ctx.records.set(tag, shape);
	};
	const follow = (file: string, summary: FileSummary, depth: number) => {
		if (depth >= MAX_INCLUDE_DEPTH) return;
		for (const inc of summary.includes) {
			// Next to the file, then the module's directory and its parent (`-I $(src)/..`, the
			// usual ccflags of drivers that share a parent's sources).
			// The first that exists is what cpp takes (even if already read through another file);
			// `<drv_types.h>` with `-I$(src)/include` is the module's own header too.
			const dirs = inc.quoted ? [dirname(file), moduleDir, dirname(moduleDir), join(moduleDir, 'include')] : [join(moduleDir, 'include')];
			const target = dirs.map((dir) => resolve(dir, inc.path)).find((p) => existsSync(p));
			if (!target || visited.has(target) || !isWithin(target, root)) continue;
			visited.add(target);
			const included = summarize(target);
			if (!included) continue;
			take(target, included, false);
			follow(target, included, depth + 1);
		}
	};
	for (const file of files) {
		const summary = summarize(file);
		if (!summary) continue;
		take(file, summary, true);
		follow(file, summary, 0);
	}
	// `MODULE_LICENSE(DRV_LICENSE)` with `#define DRV_LICENSE "GPL"` in the module's header.
	for (const l of ctx.licenses) {
		const value = l.macro === undefined ? undefined : ctx.macros.get(l.macro)?.value;
		if (value !== undefined) {
			l.license = value;
			delete l.macro;
		}
	}
	return ctx;
}

/**
 * What the rest of the module's package exports, as modpost sees it: the other modules of the
 * same build (their files' export sites read by the index's recognizer, namespaces from their
 * kbuild flags), then the KBUILD_EXTRA_SYMBOLS files. Records point at absolute paths.
 */
function packageExports(
	root: string,
	unit: BuildUnit,
	pkg: ModulePackage,
	summarize: (file: string) => FileSummary | undefined,
): Map<string, ExportRecord> {
	const own = new Set(unit.files);
	const metas = new Map<string, FileMeta>();
	for (const other of pkg.units) {
		// obj-y of an M= build is linked into nothing a module can use.
		if (other === unit || other.kind === 'builtin') continue;
		for (const f of other.files) {
			const meta = own.has(f) ? undefined : summarize(join(root, f))?.meta;
			if (meta) metas.set(f, meta);
		}
	}
	const out = new Map<string, ExportRecord>();
	for (const r of collectExports(metas, pkg.kbuildDirs)) if (!out.has(r.symbol)) out.set(r.symbol, { ...r, file: join(root, r.file) });
	for (const path of pkg.extraSymbols) {
		for (const r of symversRecords(path)) if (!out.has(r.symbol)) out.set(r.symbol, r);
	}
	return out;
}

/** Module.symvers files read, by path, while their identity stays. */
const symversCache = new Map<string, { key: string; records: ExportRecord[] }>();

/** A Module.symvers as export records pointing at its lines; nothing when it is not there (modpost skips it too). */
function symversRecords(path: string): ExportRecord[] {
	let key: string;
	try {
		key = identityKey(statSync(path));
	} catch {
		return [];
	}
	const cached = symversCache.get(path);
	if (cached?.key === key) return cached.records;
	const text = readText(path, 'symvers');
	const records = text === undefined ? [] : parseSymvers(text).entries.map((e) => ({ ...symversRecord(e), file: path }));
	symversCache.set(path, { key, records });
	return records;
}

function isWithin(file: string, dir: string): boolean {
	const rel = relative(dir, file);
	return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep);
}
