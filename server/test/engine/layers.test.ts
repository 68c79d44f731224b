/**
 * The house's invariants, read from the imports of server/src (ARCHITECTURE.md): no import
 * circle, and arrows only downwards: front ends (lsp/, cli/) → engine (checks, hover, graph,
 * migrations, headers, the engine's own files) → syntax → kernel index and knowledge →
 * the ground floor (types.ts, version.ts). The engine knows no LSP, terminal or vscode.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { REPO } from '../helpers/paths';

const SRC = join(REPO, 'server', 'src');

function sources(dir: string, out: string[] = []): string[] {
	for (const e of readdirSync(dir, { withFileTypes: true })) {
		const path = join(dir, e.name);
		if (e.isDirectory()) sources(path, out);
		else if (e.name.endsWith('.ts')) out.push(path);
	}
	return out;
}

/** Relative path under server/src → the relative paths it imports from server/src, and the packages. */
function importGraph(): { local: Map<string, string[]>; packages: Map<string, string[]> } {
	const local = new Map<string, string[]>();
	const packages = new Map<string, string[]>();
	for (const file of sources(SRC)) {
		const rel = relative(SRC, file);
		const text = readFileSync(file, 'utf8');
		const specs = [...text.matchAll(/^(?:import|export)\b[^;]*?\bfrom '([^']+)'/gms)].map((m) => m[1]);
		local.set(
			rel,
			specs
				.filter((s) => s.startsWith('.') && !s.endsWith('.json'))
				.map((s) => {
					const target = normalize(join(dirname(file), s));
					return relative(SRC, existsSync(`${target}.ts`) ? `${target}.ts` : join(target, 'index.ts'));
				}),
		);
		packages.set(rel, specs.filter((s) => !s.startsWith('.')));
	}
	return { local, packages };
}

/** Higher layers may import lower ones, never the other way. */
function layer(rel: string): number {
	const [top, sub] = rel.split('/');
	if (top === 'lsp' || top === 'cli') return 5;
	if (top !== 'engine') throw new Error(`unexpected file ${rel}`);
	if (['engine/types.ts', 'engine/version.ts', 'engine/lex.ts', 'engine/read.ts'].includes(rel)) return 0;
	if (sub === 'kernel' || sub === 'knowledge') return 1;
	if (sub === 'syntax') return 2;
	return 3;
}

test('server/src has no import circle', () => {
	const { local } = importGraph();
	const state = new Map<string, 'open' | 'done'>();
	const circles: string[] = [];
	const visit = (file: string, path: string[]) => {
		state.set(file, 'open');
		for (const next of local.get(file) ?? []) {
			if (state.get(next) === 'open') circles.push([...path.slice(path.indexOf(next)), next].join(' → '));
			else if (!state.has(next)) visit(next, [...path, next]);
		}
		state.set(file, 'done');
	};
	for (const file of local.keys()) if (!state.has(file)) visit(file, [file]);
	assert.deepEqual(circles, []);
});

test('imports point down the layers, and the engine imports no front end', () => {
	const { local, packages } = importGraph();
	assert.ok(local.size > 50, 'the scan found the sources');
	const up: string[] = [];
	for (const [file, targets] of local) for (const t of targets) if (layer(t) > layer(file)) up.push(`${file} → ${t}`);
	assert.deepEqual(up, []);
	const frontEnd = [...packages]
		.filter(([file]) => file.startsWith('engine/'))
		.flatMap(([file, pkgs]) => pkgs.filter((p) => /^vscode(-|$)/.test(p)).map((p) => `${file} → ${p}`));
	assert.deepEqual(frontEnd, []);
});
