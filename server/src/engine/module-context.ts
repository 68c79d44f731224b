/**
 * Which module a source file belongs to, with the license, imports and definitions of all
 * its files. In-tree files are looked up in the kernel index; for any other file the nearest
 * directory upwards whose Kbuild/Makefile builds it is the module (an out-of-tree module).
 */
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { ModuleContext } from './checks/types';
import { parseKbuild } from './kernel/kbuild';
import type { KernelIndex } from './kernel/index';
import type { FileMeta } from './kernel/lexscan';
import type { IncludeUse, MacroDef } from './syntax/facts';
import { unitsOfDir, type BuildUnit } from './kernel/modules';

/** How far above a file an out-of-tree module's Kbuild may be (src/sub/file.c is common). */
const MAX_MODULE_DEPTH = 4;

export interface ModuleUnit {
	/** The directory unit names are relative to. */
	root: string;
	unit: BuildUnit;
}

export function findModuleUnit(file: string, kernel: KernelIndex | undefined): ModuleUnit | undefined {
	const rel = kernel?.relativePath(file);
	if (kernel && rel !== undefined) {
		const unit = kernel.unitOfFile.get(rel);
		return unit && { root: kernel.root, unit };
	}
	let dir = dirname(file);
	for (let depth = 0; depth < MAX_MODULE_DEPTH; depth++, dir = dirname(dir)) {
		const kbuildFile = ['Kbuild', 'Makefile'].map((n) => join(dir, n)).find((p) => existsSync(p));
		if (kbuildFile) {
			let text: string;
			try {
				text = readFileSync(kbuildFile, 'utf8');
			} catch {
				text = '';
			}
			// The kernel's .config decides `obj-$(CONFIG_X)` here too: an unset option builds nothing.
			const config = { kconfig: new Map(), dotConfig: kernel?.dotConfig };
			const units = unitsOfDir(
				'',
				parseKbuild(text),
				relative(dir, kbuildFile),
				config,
				(obj) => ['.c', '.S'].map((ext) => obj + ext).find((p) => existsSync(join(dir, p))),
				(path) => readMakefile(dir, path),
			);
			const fileRel = relative(dir, file).split(sep).join('/');
			const unit = units.find((u) => u.files.includes(fileRel));
			if (unit) return { root: dir, unit };
		}
		if (dirname(dir) === dir) break;
	}
	return undefined;
}

/** Largest makefile fragment read for an out-of-tree module's `include`. */
const MAX_MAKEFILE_BYTES = 1 << 20;

/** A makefile an out-of-tree Kbuild includes: a regular file under the module directory, else nothing. */
function readMakefile(dir: string, path: string): string | undefined {
	const file = resolve(dir, path);
	if (!isWithin(file, dir)) return undefined;
	try {
		const st = lstatSync(file);
		return st.isFile() && st.size <= MAX_MAKEFILE_BYTES ? readFileSync(file, 'utf8') : undefined;
	} catch {
		return undefined;
	}
}

export interface FileSummary {
	meta: FileMeta;
	/** Functions and macros the file defines. */
	definitions: Iterable<string>;
	macros: Iterable<MacroDef>;
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
		anchorFile: files[0],
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

function isWithin(file: string, dir: string): boolean {
	const rel = relative(dir, file);
	return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep);
}
