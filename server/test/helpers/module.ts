/** Writes a throwaway out-of-tree module (Kbuild + sources) into a temp dir for check tests. */
import { cpSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export function writeModule(files: Record<string, string>): string {
	const dir = mkdtempSync(join(tmpdir(), 'kmm-mod-'));
	for (const [name, text] of Object.entries(files)) {
		mkdirSync(dirname(join(dir, name)), { recursive: true });
		writeFileSync(join(dir, name), text);
	}
	return dir;
}

/** A copy of a fixture kernel tree claiming another version (only the top Makefile changes). */
export function kernelAs(source: string, major: number, minor: number, patch = 0): string {
	const dir = mkdtempSync(join(tmpdir(), `kmm-kernel-${major}.${minor}-`));
	cpSync(source, dir, { recursive: true });
	const makefile = join(dir, 'Makefile');
	writeFileSync(
		makefile,
		readFileSync(makefile, 'utf8')
			.replace(/^VERSION = .*$/m, `VERSION = ${major}`)
			.replace(/^PATCHLEVEL = .*$/m, `PATCHLEVEL = ${minor}`)
			.replace(/^SUBLEVEL = .*$/m, `SUBLEVEL = ${patch}`),
	);
	return dir;
}
