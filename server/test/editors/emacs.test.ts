/**
 * Emacs end to end: a real Emacs (batch) with eglot starts dist/server.js, shows its
 * diagnostics through flymake, hovers, and applies the namespace quick fix through
 * M-x eglot-code-actions (emacs/drive.el does what a user does; scenario.ts asserts).
 * Skipped loudly without emacs or eglot; KMM_REAL_EDITORS=required makes that a failure.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MODERN, SERVER } from '../helpers/paths';
import { copyDrivers, requireEditor, runEditor, which } from './helpers';
import { assertScenario, DIAG_DRIVER, DIAG_FILE, FIX_DRIVER, FIX_FILE, HOVER, type ScenarioRecord } from './scenario';

const DRIVER = join(__dirname, 'emacs', 'drive.el');

/** eglot is not built into Emacs 28: it comes from elpa-eglot (or the user's packages). */
function hasEglot(emacs: string): boolean {
	const r = spawnSync(emacs, ['--batch', '-q', '--eval', "(progn (require 'package) (package-initialize) (kill-emacs (if (locate-library \"eglot\") 0 1)))"], {
		encoding: 'utf8',
		timeout: 10_000,
		env: { PATH: process.env.PATH, HOME: '/nonexistent' },
	});
	return r.status === 0;
}

interface EmacsRecord extends ScenarioRecord {
	warnings?: string[];
	hover_rendered?: string;
	hover_content_format?: string[];
}

test('Emacs eglot: diagnostics, hover and the namespace quick fix from the real client', { timeout: 40_000 }, async (t) => {
	const emacs = which('emacs');
	const present = emacs !== undefined && hasEglot(emacs);
	const missing = emacs ? 'eglot is not installed (elpa-eglot)' : 'emacs is not installed';
	if (!requireEditor(t, 'Emacs eglot end-to-end test', present, missing)) return;
	const { dir, cleanup } = copyDrivers(DIAG_DRIVER, FIX_DRIVER);
	try {
		const home = join(dir, 'home');
		mkdirSync(home);
		const out = join(dir, 'emacs.json');
		const run = await runEditor(emacs!, ['--batch', '-q', '-l', DRIVER], {
			cwd: dir,
			out,
			timeoutMs: 20_000,
			env: {
				PATH: process.env.PATH,
				HOME: home,
				SERVER,
				OUT: out,
				KMM_NODE: process.execPath,
				KMM_KERNEL: MODERN,
				KMM_ROOT: dir,
				KMM_DIAG: join(dir, DIAG_DRIVER, DIAG_FILE),
				KMM_HOVER: `${HOVER.symbol}@${HOVER.line}`,
				KMM_FIX: join(dir, FIX_DRIVER, FIX_FILE),
			},
		});
		const record = run.record as EmacsRecord | undefined;
		await assertScenario(t, run, dir, (r) => {
			// What eldoc shows: eglot's rendering of the hover contents.
			const rendered = (r as EmacsRecord).hover_rendered;
			assert.ok(rendered, 'eglot rendered no hover');
			assert.match(rendered, /EXPORT_SYMBOL_GPL/);
		});
		// eglot 1.9 without markdown-mode asks for plain text; Markdown would show raw.
		await t.test('a client that asks for plaintext hovers gets plaintext', () => {
			assert.ok(record?.capabilities?.hoverProvider, 'the server advertises hover');
			assert.deepEqual(record.hover_content_format, ['plaintext'], 'this eglot asks for plaintext only');
			assert.equal((record.hover?.contents as { kind?: string } | undefined)?.kind, 'plaintext');
			assert.doesNotMatch(record.hover_rendered ?? '', /\*\*|```/);
		});
		// A dynamic registration eglot did not announce would pop up a *Warnings* buffer.
		await t.test('eglot shows the user no warnings', () => {
			assert.deepEqual(record?.warnings ?? [], []);
		});
	} finally {
		cleanup();
	}
});
