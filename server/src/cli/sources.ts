/** The C files a command works on, found as a kernel developer expects, with what was skipped and why. */
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { UsageError } from './usage';

export interface SkippedFile {
	file: string;
	reason: string;
}

export function isWithin(file: string, dir: string): boolean {
	const rel = relative(dir, file);
	return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep));
}

/**
 * `path` itself when it is a file, else the files under it whose names match `names`. A
 * symlink in a module directory is followed when it leads to a file inside the directory
 * given (a module may link a shared source in); one leading out, a dangling one and a file
 * that is no regular file (a FIFO named `x.c`) are reported skipped, never silently dropped.
 */
export function collectSources(path: string, names: RegExp, out: string[], skipped: SkippedFile[]): void {
	let st;
	try {
		st = statSync(path);
	} catch (err) {
		throw new UsageError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
	}
	if (st.isFile()) {
		out.push(path);
		return;
	}
	if (!st.isDirectory()) throw new UsageError(`${path} is neither a file nor a directory`);
	walk(path, realpathSync(path), names, out, skipped);
}

/** Directory symlinks are never followed (no loops): only files are. */
function walk(dir: string, top: string, names: RegExp, out: string[], skipped: SkippedFile[]): void {
	let entries;
	try {
		entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
	} catch (err) {
		skipped.push({ file: dir, reason: (err as NodeJS.ErrnoException).code ?? String(err) });
		return;
	}
	for (const entry of entries) {
		if (entry.name.startsWith('.')) continue;
		const child = join(dir, entry.name);
		if (entry.isDirectory()) walk(child, top, names, out, skipped);
		else if (!names.test(entry.name)) continue;
		else if (entry.isFile()) out.push(child);
		else if (entry.isSymbolicLink()) {
			const target = linkTarget(child);
			if (typeof target !== 'string') skipped.push({ file: child, reason: target.reason });
			else if (isWithin(target, top)) out.push(child);
			else skipped.push({ file: child, reason: 'a symlink out of the directory checked (not followed)' });
		} else skipped.push({ file: child, reason: 'not a regular file' });
	}
}

/** Where a symlink leads when that is a regular file; else why it is skipped. */
function linkTarget(link: string): string | { reason: string } {
	try {
		const target = realpathSync(link);
		return statSync(target).isFile() ? target : { reason: 'a symlink to something that is not a regular file' };
	} catch (err) {
		const code = (err as NodeJS.ErrnoException).code;
		return { reason: code === 'ENOENT' ? 'a dangling symlink' : `a symlink that cannot be followed (${code ?? String(err)})` };
	}
}
