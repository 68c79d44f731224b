// Bundles the client, the language server and the CLI with esbuild, and copies the
// tree-sitter wasm files and web-tree-sitter's glue into grammars/ where the engine loads
// them at run time (a fresh copy of the glue per wasm instance: see syntax/parser.ts).
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, chmodSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const root = join(dirname(new URL(import.meta.url).pathname), '..');
const watch = process.argv.includes('--watch');

mkdirSync(join(root, 'grammars'), { recursive: true });
// Resolved through each package's exports map (web-tree-sitter exports no package.json).
for (const [spec, file] of [
	['tree-sitter-c/tree-sitter-c.wasm', 'tree-sitter-c.wasm'],
	['web-tree-sitter/web-tree-sitter.wasm', 'web-tree-sitter.wasm'],
	['web-tree-sitter', 'web-tree-sitter.cjs'],
]) {
	copyFileSync(require.resolve(spec), join(root, 'grammars', file));
}

const common = {
	bundle: true,
	// web-tree-sitter's ESM build reads import.meta.url, which a CJS bundle lacks.
	define: { 'import.meta.url': 'kmmImportMetaUrl' },
	banner: { js: "const kmmImportMetaUrl = require('url').pathToFileURL(__filename).href;" },
	platform: 'node',
	target: 'node20',
	format: 'cjs',
	sourcemap: true,
	logLevel: 'warning',
	absWorkingDir: root,
};

const builds = [
	{ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
	{ ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js' },
	// The kernel index's worker thread; the server and the CLI start it from dist/.
	{ ...common, entryPoints: ['server/src/engine/kernel/worker.ts'], outfile: 'dist/index-worker.js' },
	{
		...common,
		entryPoints: ['server/src/cli/main.ts'],
		outfile: 'dist/kmm.js',
		banner: { js: `#!/usr/bin/env node\n${common.banner.js}` },
	},
];

// The lines the `$esbuild-watch` problem matcher waits for, so F5 knows when a build is done.
const watchReporter = {
	name: 'watch-reporter',
	setup(build) {
		build.onStart(() => console.log('[watch] build started'));
		build.onEnd((result) => {
			for (const { text, location } of result.errors) {
				console.error(`✘ [ERROR] ${text}`);
				if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
			}
			console.log('[watch] build finished');
		});
	},
};

if (watch) {
	for (const options of builds) {
		const ctx = await esbuild.context({ ...options, plugins: [watchReporter] });
		await ctx.watch();
	}
} else {
	await Promise.all(builds.map((options) => esbuild.build(options)));
	chmodSync(join(root, 'dist/kmm.js'), 0o755);
}
