/**
 * Which module a source file belongs to, with the license, imports and definitions of all
 * its files. In-tree files are looked up in the kernel index; for any other file the nearest
 * directory upwards whose Kbuild/Makefile builds it is the module (an out-of-tree module).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type { ModuleContext } from './checks/types';
import { parseKbuild } from './kernel/kbuild';
import type { KernelIndex } from './kernel/index';
import type { FileMeta } from './kernel/lexscan';
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
			const units = unitsOfDir('', parseKbuild(text), relative(dir, kbuildFile), { kconfig: new Map() }, (obj) =>
				['.c', '.S'].map((ext) => obj + ext).find((p) => existsSync(join(dir, p))),
			);
			const fileRel = relative(dir, file).split(sep).join('/');
			const unit = units.find((u) => u.files.includes(fileRel));
			if (unit) return { root: dir, unit };
		}
		if (dirname(dir) === dir) break;
	}
	return undefined;
}

export interface FileSummary {
	meta: FileMeta;
	/** Functions and macros the file defines. */
	definitions: Iterable<string>;
	/** It has module_init/module_exit, a module_*_driver or MODULE_* macros. */
	declaresModule: boolean;
}

/** Builds the checks' view of a module; `summarize` gives each member file's facts. */
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
		anchorFile: files[0],
		kbuild: {
			file: join(root, unit.kbuildFile),
			range: { start: { line: unit.kbuildLine - 1, character: 0 }, end: { line: unit.kbuildLine - 1, character: 0 } },
		},
	};
	let anchored = false;
	for (const file of files) {
		const summary = summarize(file);
		if (!summary) continue;
		if (summary.declaresModule && !anchored) {
			ctx.anchorFile = file;
			anchored = true;
		}
		for (const l of summary.meta.licenses) ctx.licenses.push({ license: l.license, location: { file, range: l.range } });
		for (const i of summary.meta.imports) {
			ctx.imports.push({ namespace: i.namespace, quoted: i.quoted, location: { file, range: i.range } });
		}
		for (const d of summary.definitions) ctx.definitions.add(d);
	}
	return ctx;
}
