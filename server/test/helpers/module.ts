/** Writes a throwaway out-of-tree module (Kbuild + sources) into a temp dir for check tests. */
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
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
