/**
 * Neovim end to end: a real headless Neovim (0.7+, built-in LSP client) starts
 * dist/server.js, shows its diagnostics, hovers, and applies the namespace quick fix
 * through its code-action menu (nvim/drive.lua does what a user does; scenario.ts asserts).
 * Skipped loudly without nvim; KMM_REAL_EDITORS=required makes that a failure.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MODERN, SERVER } from '../helpers/paths';
import { copyDrivers, requireEditor, runEditor, which } from './helpers';
import { assertScenario, DIAG_DRIVER, DIAG_FILE, FIX_DRIVER, FIX_FILE, HOVER, hoverText } from './scenario';

const DRIVER = join(__dirname, 'nvim', 'drive.lua');

test('Neovim: diagnostics, hover and the namespace quick fix from the real client', { timeout: 40_000 }, async (t) => {
	const nvim = which('nvim');
	if (!requireEditor(t, 'Neovim end-to-end test', nvim !== undefined, 'nvim is not installed')) return;
	const { dir, cleanup } = copyDrivers(DIAG_DRIVER, FIX_DRIVER);
	try {
		const home = join(dir, 'home');
		mkdirSync(home);
		const out = join(dir, 'nvim.json');
		const run = await runEditor(nvim!, ['--headless', '-u', 'NONE', '-i', 'NONE', '-c', `luafile ${DRIVER}`, join(dir, DIAG_DRIVER, DIAG_FILE)], {
			cwd: dir,
			out,
			timeoutMs: 20_000,
			env: {
				PATH: process.env.PATH,
				HOME: home,
				XDG_CONFIG_HOME: join(home, 'config'),
				XDG_DATA_HOME: join(home, 'data'),
				XDG_CACHE_HOME: join(home, 'cache'),
				XDG_STATE_HOME: join(home, 'state'),
				SERVER,
				OUT: out,
				KMM_NODE: process.execPath,
				KMM_KERNEL: MODERN,
				KMM_HOVER: `${HOVER.symbol}@${HOVER.line}`,
				KMM_FIX: join(dir, FIX_DRIVER, FIX_FILE),
			},
		});
		await assertScenario(t, run, dir, (record) => {
			// K shows the hover in a floating window: the user reads the same text there.
			const float = (record as { hover_float?: string[] }).hover_float;
			assert.ok(float, 'no hover float opened');
			assert.match(float.join('\n'), /EXPORT_SYMBOL_GPL/, `float: ${float.join('\n')}`);
			assert.ok(hoverText(record.hover?.contents).length > 0);
		});
	} finally {
		cleanup();
	}
});
