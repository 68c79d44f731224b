// Runs every *.test.ts under server/test and client/test with node's test runner (tsx loads
// TypeScript). Node 20's runner does not expand globs, so the files are listed here.
// Arguments narrow the run to files whose path contains one of them.
import { readdirSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = join(new URL('.', import.meta.url).pathname, '..');
const filters = process.argv.slice(2);

function walk(dir, out) {
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) walk(path, out);
		else if (entry.name.endsWith('.test.ts')) out.push(relative(root, path));
	}
	return out;
}

const files = ['server/test', 'client/test']
	.filter((dir) => existsSync(join(root, dir)))
	.flatMap((dir) => walk(join(root, dir), []))
	.filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
	.sort();
if (files.length === 0) {
	console.error('run-tests: no test files matched');
	process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
	cwd: root,
	stdio: 'inherit',
});
process.exit(result.status ?? 1);
