import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestClient } from '../helpers/lsp-client';
import { DRIVERS, MODERN, REPO } from '../helpers/paths';

/** Packs the extension as `npm run package` does, unpacks it elsewhere and runs what it carries. */
test('the VSIX carries bundles, grammars and syntaxes, and its server works on its own', async () => {
	const out = mkdtempSync(join(tmpdir(), 'kmm-vsix-'));
	const vsix = join(out, 'kernel-mm.vsix');
	execFileSync(
		process.execPath,
		[join(REPO, 'node_modules/@vscode/vsce/vsce'), 'package', '--no-dependencies', '--allow-missing-repository', '-o', vsix],
		{ cwd: REPO, stdio: 'pipe' },
	);
	const unpacked = join(out, 'x');
	execFileSync('python3', ['-m', 'zipfile', '-e', vsix, unpacked]);
	const ext = join(unpacked, 'extension');
	for (const f of [
		'package.json',
		'dist/client.js',
		'dist/server.js',
		'dist/kmm.js',
		'grammars/tree-sitter-c.wasm',
		'grammars/web-tree-sitter.wasm',
		'grammars/web-tree-sitter.cjs',
		'syntaxes/kernel-macros.injection.tmLanguage.json',
		'images/icon.png',
		'docs/walkthrough/kernel.md',
	]) {
		assert.ok(existsSync(join(ext, f)), `VSIX lacks ${f}`);
	}
	assert.ok(!existsSync(join(ext, 'server')) && !existsSync(join(ext, 'node_modules')), 'no sources or node_modules');
	const manifest = JSON.parse(readFileSync(join(ext, 'package.json'), 'utf8')) as {
		icon: string;
		contributes: { grammars: { path: string }[]; walkthroughs: { steps: { media: { markdown: string } }[] }[] };
	};
	// Everything the manifest points at is in the package.
	const referenced = [
		manifest.icon,
		...manifest.contributes.grammars.map((g) => g.path),
		...manifest.contributes.walkthroughs.flatMap((w) => w.steps.map((s) => s.media.markdown)),
	];
	for (const path of referenced) assert.ok(existsSync(join(ext, path)), path);

	const client = await TestClient.start({
		command: [process.execPath, join(ext, 'dist/server.js'), '--stdio'],
		initializationOptions: { kernelPath: MODERN },
		env: { KMM_GRAMMARS_DIR: '' },
	});
	try {
		const uri = client.open(join(DRIVERS, 'pdev-proprietary', 'pdev.c'));
		const diagnostics = await client.diagnosticsFor(uri);
		assert.ok(diagnostics.some((d) => d.code === 'gpl-only-symbol'), client.stderr);
	} finally {
		await client.stop();
	}
});
