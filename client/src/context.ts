// Whether the user is working on kernel code at all: the extension stays dormant (no server,
// no status bar) in C projects that are not, so it costs them nothing.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { detectKernel } from '../../server/src/engine/kernel/headers';

/** How far above a C file an out-of-tree module's Kbuild/Makefile may be (src/sub/x.c). */
const MODULE_DEPTH = 3;

function buildsModules(dir: string): boolean {
	if (existsSync(join(dir, 'Kbuild'))) return true;
	const makefile = join(dir, 'Makefile');
	try {
		return existsSync(makefile) && /^\s*obj-[^\s:+=]*\s*[:+]?=/m.test(readFileSync(makefile, 'utf8'));
	} catch {
		return false;
	}
}

/** What the server accepts as a kernel (a source tree or a headers tree): one test for both. */
function isKernelTree(dir: string): boolean {
	return detectKernel(dir).ok;
}

/** A C document inside a kernel tree or a directory whose Kbuild/Makefile builds modules. */
export function isKernelDocument(doc: vscode.TextDocument): boolean {
	if (doc.languageId !== 'c' || doc.uri.scheme !== 'file') return false;
	let dir = dirname(doc.uri.fsPath);
	for (let depth = 0; depth <= MODULE_DEPTH; depth++, dir = dirname(dir)) {
		if (buildsModules(dir) || isKernelTree(dir)) return true;
		if (dirname(dir) === dir) break;
	}
	return false;
}

/** Kernel work is afoot: a kernel tree is configured, open as a folder, or a module file is open. */
export function isKernelWork(): boolean {
	if (vscode.workspace.getConfiguration('kmm').get<string>('kernelPath', '')) return true;
	const folders = vscode.workspace.workspaceFolders ?? [];
	if (folders.some((f) => f.uri.scheme === 'file' && (isKernelTree(f.uri.fsPath) || buildsModules(f.uri.fsPath)))) return true;
	return vscode.workspace.textDocuments.some(isKernelDocument);
}
