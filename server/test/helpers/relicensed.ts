/**
 * In-tree modules of the real 6.1 tree, copied out of it and relicensed, for
 * server/test/real/relicensed.test.ts: a spec names a single source file (built as
 * `obj-m := <name>.o`) or a directory whose Makefile becomes a Kbuild that builds exactly the
 * listed modules; the copy takes the sources and the headers they include by quotes, and every
 * MODULE_LICENSE says "Proprietary", so modpost checks each GPL-only symbol the module uses.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, normalize, relative } from 'node:path';
import type { Kind } from './modpost';

export interface ModuleSpec {
	/** The copy's directory name; unique. */
	name: string;
	/** Tree-relative: a `.c` file (a single-file module) or a directory with a Makefile. */
	src: string;
	/** For a directory: the modules its Makefile builds that the copy builds. */
	modules?: string[];
}

/** Each module's (`copy/module`) symbols per modpost kind, sorted; kinds with none left out. */
export type FindingTable = Record<string, Partial<Record<Kind, string[]>>>;

/** `#include "x"` targets of a C text (comments are not stripped: a commented include is rare). */
function quotedIncludes(text: string): string[] {
	return [...text.matchAll(/^\s*#\s*include\s+"([^"]+)"/gm)].map((m) => m[1]);
}

/**
 * Copies `files` (relative to `srcDir`) and, transitively, what they include by quotes into
 * `dest`. A quoted include that leaves `srcDir` or does not exist there is an error: the copy
 * would not build out of tree.
 */
function copyWithIncludes(srcDir: string, files: string[], dest: string): void {
	const seen = new Set<string>();
	const todo = [...files];
	while (todo.length > 0) {
		const rel = todo.pop()!;
		if (seen.has(rel)) continue;
		seen.add(rel);
		const from = join(srcDir, rel);
		if (rel.startsWith('..') || !existsSync(from)) throw new Error(`${join(srcDir, rel)}: not in ${srcDir}`);
		mkdirSync(dirname(join(dest, rel)), { recursive: true });
		copyFileSync(from, join(dest, rel));
		for (const inc of quotedIncludes(readFileSync(from, 'utf8'))) todo.push(normalize(join(dirname(rel), inc)));
	}
}

/** Makefile lines with continuations joined. */
function logicalLines(text: string): string[] {
	return text.replace(/\\\n/g, ' ').split('\n');
}

/**
 * The Kbuild of a directory copy: the Makefile with every `obj-*` line dropped but
 * `obj-m += <module>.o` for the listed modules (composite definitions, flags and
 * conditionals stay, so members follow the headers' .config as in the tree).
 */
export function kbuildFor(makefile: string, modules: string[]): string {
	const found = new Set<string>();
	const out: string[] = [];
	for (const line of logicalLines(makefile)) {
		const m = /^\s*obj-(?:\$\(CONFIG_\w+\)|y|m)\s*(?:\+=|:=|=)\s*(.*)$/.exec(line);
		if (!m) {
			out.push(line);
			continue;
		}
		for (const obj of m[1].replace(/#.*/, '').split(/\s+/)) {
			const mod = obj.endsWith('.o') ? obj.slice(0, -2) : '';
			if (modules.includes(mod)) {
				found.add(mod);
				out.push(`obj-m += ${obj}`);
			}
		}
	}
	const missing = modules.filter((m) => !found.has(m));
	if (missing.length) throw new Error(`no obj- line builds ${missing.join(', ')}`);
	return out.join('\n');
}

/** Replaces every MODULE_LICENSE's argument with "Proprietary"; returns how many. */
export function relicense(text: string): { text: string; count: number } {
	let count = 0;
	const out = text.replace(/\bMODULE_LICENSE\s*\([^()]*\)/g, () => {
		count++;
		return 'MODULE_LICENSE("Proprietary")';
	});
	return { text: out, count };
}

/**
 * Copies the spec's module sources from `tree` into `dest`, writes its Kbuild and relicenses
 * it. Returns how many MODULE_LICENSE lines were changed.
 */
export function prepareModule(tree: string, spec: ModuleSpec, dest: string): number {
	mkdirSync(dest, { recursive: true });
	const src = join(tree, spec.src);
	if (spec.src.endsWith('.c')) {
		copyWithIncludes(dirname(src), [basename(src)], dest);
		writeFileSync(join(dest, 'Kbuild'), `obj-m := ${basename(src, '.c')}.o\n`);
	} else {
		const files = readdirSync(src).filter((f) => /\.[ch]$/.test(f) && statSync(join(src, f)).isFile());
		copyWithIncludes(src, files, dest);
		const makefile = ['Kbuild', 'Makefile'].map((f) => join(src, f)).find((f) => existsSync(f));
		if (!makefile) throw new Error(`${src}: no Makefile`);
		writeFileSync(join(dest, 'Kbuild'), kbuildFor(readFileSync(makefile, 'utf8'), spec.modules ?? []));
	}
	let count = 0;
	for (const f of walkFiles(dest)) {
		if (!/\.[ch]$/.test(f)) continue;
		const r = relicense(readFileSync(join(dest, f), 'utf8'));
		if (r.count > 0) writeFileSync(join(dest, f), r.text);
		count += r.count;
	}
	return count;
}

function walkFiles(dir: string, base = dir): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
		e.isDirectory() ? walkFiles(join(dir, e.name), base) : [relative(base, join(dir, e.name))],
	);
}

/**
 * What a finished build linked into each module: `<module>.mod` (Kbuild 6.1) lists its
 * objects. Maps each member's `.c` (relative to the directory) to its module.
 */
export function builtMembers(buildDir: string): Map<string, string> {
	const byFile = new Map<string, string>();
	for (const f of readdirSync(buildDir)) {
		if (!f.endsWith('.mod')) continue;
		const module = f.slice(0, -4);
		for (const obj of readFileSync(join(buildDir, f), 'utf8').split(/\s+/)) {
			if (obj.endsWith('.o')) byFile.set(`${relative(buildDir, obj.startsWith('/') ? obj : join(buildDir, obj)).slice(0, -2)}.c`, module);
		}
	}
	return byFile;
}
