/**
 * VS Code end to end (`npm run test:vscode`): the packaged VSIX installed into a real VS Code
 * (code-server 4.100.3, installed by scripts/install-code-server.sh outside the repository),
 * driven through Debian's Chromium with playwright-core.
 *
 * 1. UI: opens the fixture drivers in the workbench, waits for the squiggle, hovers it, opens
 *    the quick-fix menu, and takes a screenshot of each (docs/images/, or KMM_SCREENSHOTS).
 * 2. Extension host: reopens code-server with the installed extension as the extension under
 *    development and client/test/vscode/suite.ts (bundled here) as its tests; they use the
 *    real vscode API and write a verdict file, which this file polls and asserts.
 *
 * Not a *.test.ts: `npm test` does not run it. Skipped loudly when code-server or Chromium
 * is missing, unless KMM_REAL_EDITORS=required.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';

const REPO = join(__dirname, '..', '..');
const MODERN = join(REPO, 'test-fixtures', 'kernels', 'modern');
const DRIVERS = join(REPO, 'test-fixtures', 'drivers');
const VSIX = join(REPO, 'dist', 'kernel-mm.vsix');
const CODE_SERVER =
	process.env.KMM_CODE_SERVER ??
	join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'kmm', 'code-server-4.100.3', 'node_modules', '.bin', 'code-server');
const CHROMIUM = process.env.KMM_CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = process.env.KMM_SCREENSHOTS ?? join(REPO, 'docs', 'images');
const INSTALL_HINT = 'scripts/install-code-server.sh';
/** Where a failed UI step leaves its screenshot (outside the temp dir, which is removed). */
const FAILURE_SHOT = join(tmpdir(), 'kmm-vscode-failure.png');

function skipOrFail(t: { skip: (m: string) => void }, message: string): void {
	const full = `VS Code end-to-end test: ${message}; install with ${INSTALL_HINT}`;
	if (process.env.KMM_REAL_EDITORS === 'required') assert.fail(`${full} (KMM_REAL_EDITORS=required)`);
	process.stderr.write(`\n*** SKIPPED ${full} ***\n\n`);
	t.skip(full);
}

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
	});
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Layout {
	root: string;
	workspace: string;
	userData: string;
	extensions: string;
	env: NodeJS.ProcessEnv;
}

function layout(): Layout {
	const root = mkdtempSync(join(tmpdir(), 'kmm-vscode-'));
	const workspace = join(root, 'ws');
	for (const name of ['pdev-proprietary', 'ns-missing']) cpSync(join(DRIVERS, name), join(workspace, name), { recursive: true });
	mkdirSync(join(workspace, '.vscode'));
	writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'kmm.kernelPath': MODERN }, null, 1));
	const userData = join(root, 'user');
	mkdirSync(join(userData, 'User'), { recursive: true });
	writeFileSync(
		join(userData, 'User', 'settings.json'),
		JSON.stringify({
			'security.workspace.trust.enabled': false,
			'workbench.startupEditor': 'none',
			'workbench.tips.enabled': false,
			'telemetry.telemetryLevel': 'off',
			'extensions.autoCheckUpdates': false,
			'update.mode': 'none',
			'editor.hover.delay': 100,
			'window.zoomLevel': 0,
		}),
	);
	const extensions = join(root, 'ext');
	mkdirSync(extensions);
	const env: NodeJS.ProcessEnv = {
		PATH: process.env.PATH,
		HOME: join(root, 'home'),
		XDG_CONFIG_HOME: join(root, 'config'),
		XDG_DATA_HOME: join(root, 'data'),
		XDG_CACHE_HOME: join(root, 'cache'),
		KMM_VERDICT: join(root, 'verdict.json'),
	};
	return { root, workspace, userData, extensions, env };
}

/** code-server in its own process group; resolves when it answers /healthz. */
async function startCodeServer(l: Layout): Promise<{ port: number; child: ChildProcess; stop: () => Promise<void>; log: () => string }> {
	const port = await freePort();
	let log = '';
	const child = spawn(
		CODE_SERVER,
		[
			'--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
			'--disable-workspace-trust', '--disable-getting-started-override',
			'--user-data-dir', l.userData, '--extensions-dir', l.extensions, l.workspace,
		],
		{ env: l.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
	);
	child.stdout!.on('data', (b: Buffer) => (log += b.toString()));
	child.stderr!.on('data', (b: Buffer) => (log += b.toString()));
	const stop = async () => {
		try {
			process.kill(-child.pid!, 'SIGTERM');
		} catch {
			return;
		}
		for (let i = 0; i < 40 && child.exitCode === null && child.signalCode === null; i++) await sleep(50);
		try {
			process.kill(-child.pid!, 'SIGKILL');
		} catch {
			/* gone */
		}
	};
	const deadline = Date.now() + 20_000;
	for (;;) {
		try {
			const r = await fetch(`http://127.0.0.1:${port}/healthz`);
			if (r.ok) break;
		} catch {
			/* not yet */
		}
		if (child.exitCode !== null || Date.now() > deadline) {
			await stop();
			throw new Error(`code-server did not come up:\n${log}`);
		}
		await sleep(100);
	}
	return { port, child, stop, log: () => log };
}

async function launchBrowser(): Promise<Browser> {
	const { chromium } = await import('playwright-core');
	return chromium.launch({
		executablePath: CHROMIUM,
		args: [
			'--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
			'--disable-sync', '--no-first-run', '--disable-dev-shm-usage',
		],
	});
}

async function openExplorerFile(page: Page, folder: string, file: string): Promise<void> {
	const row = (name: string) => page.locator(`.explorer-folders-view .monaco-list-row[aria-label="${name}"], .explorer-folders-view .monaco-list-row:has(.label-name:text-is("${name}"))`).first();
	if (!(await row(file).isVisible().catch(() => false))) await row(folder).click();
	await row(file).click();
	await page.locator(`.tabs-container .tab.active:has-text("${file}")`).waitFor({ timeout: 10_000 });
}

/** Ctrl+G LINE:COLUMN: the cursor there, scrolled into view (squiggles render only when visible). */
async function gotoLine(page: Page, where: string): Promise<void> {
	await page.keyboard.press('Control+g');
	await page.locator('.quick-input-widget input').waitFor({ timeout: 5_000 });
	await page.keyboard.type(where);
	await page.keyboard.press('Enter');
	await sleep(300);
}

test('VS Code (code-server): the VSIX shows diagnostics, hovers and quick fixes', { timeout: 150_000 }, async (t) => {
	if (!existsSync(CODE_SERVER)) return skipOrFail(t, `code-server is not installed at ${CODE_SERVER}`);
	if (!existsSync(CHROMIUM)) return skipOrFail(t, `Chromium is not installed at ${CHROMIUM}`);
	try {
		await import('playwright-core');
	} catch {
		return skipOrFail(t, 'playwright-core is not installed (a devDependency: npm install)');
	}
	assert.ok(existsSync(VSIX), `${VSIX} is missing: run npm run package first`);

	const l = layout();
	const started = Date.now();
	try {
		// The packaged extension, installed as a user would.
		const install = spawnSync(CODE_SERVER, ['--install-extension', VSIX, '--extensions-dir', l.extensions, '--user-data-dir', l.userData], {
			env: l.env,
			encoding: 'utf8',
			timeout: 60_000,
		});
		assert.equal(install.status, 0, `install-extension failed:\n${install.stdout}\n${install.stderr}`);
		const installed = readdirSync(l.extensions).find((d) => d.startsWith('kmm-tools.kernel-mm-'));
		assert.ok(installed, `the VSIX did not install: ${readdirSync(l.extensions).join(', ')}`);
		const extensionDir = join(l.extensions, installed);
		t.diagnostic(`installed ${installed} in ${Date.now() - started} ms`);

		const browser = await launchBrowser();
		try {
			await t.test('UI: squiggle, hover and quick-fix menu (screenshots)', async () => {
				const server = await startCodeServer(l);
				const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
				try {
					const t1 = Date.now();
					await page.goto(`http://127.0.0.1:${server.port}/?folder=${encodeURIComponent(l.workspace)}`);
					await page.locator('.monaco-workbench').waitFor({ timeout: 30_000 });
					await openExplorerFile(page, 'pdev-proprietary', 'pdev.c');
					await gotoLine(page, '30:1');
					const squiggle = page.locator('.monaco-editor .squiggly-error').first();
					await squiggle.waitFor({ timeout: 30_000 });
					t.diagnostic(`workbench + squiggle after ${Date.now() - t1} ms`);
					mkdirSync(SHOTS, { recursive: true });
					await page.mouse.move(5, 700);
					await sleep(300);
					await page.screenshot({ path: join(SHOTS, 'squiggle.png') });

					// The squiggle layer takes no pointer events: move the mouse onto the word under it.
					const boxes = await page
						.locator('.monaco-editor .squiggly-error')
						.evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ x: r.x, y: r.y, w: r.width, h: r.height })));
					const box = boxes.filter((b) => b.w > 5 && b.h > 0).sort((a, b) => a.y - b.y)[0];
					assert.ok(box, `no visible squiggle: ${JSON.stringify(boxes)}`);
					await page.mouse.move(box.x + box.w / 2 - 20, box.y + box.h / 2, { steps: 2 });
					await page.mouse.move(box.x + box.w / 2, box.y + box.h / 2, { steps: 5 });
					const hover = page.locator('.monaco-hover:not(.hidden)').first();
					await hover.waitFor({ timeout: 10_000 });
					await sleep(400);
					const hoverText = await hover.innerText();
					await page.screenshot({ path: join(SHOTS, 'hover.png') });
					assert.match(hoverText, /GPL/, `hover widget: ${hoverText}`);

					await page.mouse.move(5, 700);
					await page.keyboard.press('Escape');
					await openExplorerFile(page, 'ns-missing', 'nsuser.c');
					// Cursor onto the fakemem_alloc squiggle (line 19), then Ctrl+. opens the quick-fix menu.
					await gotoLine(page, '19:20');
					await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 30_000 });
					await page.keyboard.press('Control+.');
					const menu = page.locator('.action-widget .monaco-list-row').first();
					await menu.waitFor({ timeout: 10_000 });
					await sleep(300);
					const menuText = await page.locator('.action-widget').innerText();
					await page.screenshot({ path: join(SHOTS, 'quickfix.png') });
					assert.match(menuText, /MODULE_IMPORT_NS\(FAKEMEM\)/, `quick-fix menu: ${menuText}`);

					// The module macros at the end of the file, as the injection grammar colours them,
					// with the ZONE_DEVICE view of the fixture kernel open in the Explorer.
					await page.keyboard.press('Escape');
					await gotoLine(page, '40:1');
					await page.locator('.pane-header', { hasText: 'ZONE_DEVICE' }).click();
					const view = page.locator('.pane-body .monaco-list-row', { hasText: 'MEMORY_DEVICE' }).first();
					await view.waitFor({ timeout: 30_000 });
					await sleep(400);
					const viewText = await page.locator('.pane', { hasText: 'ZONE_DEVICE' }).last().innerText();
					await page.mouse.move(5, 700);
					await page.screenshot({ path: join(SHOTS, 'zone-device.png') });
					assert.match(viewText, /MEMORY_DEVICE_/, `ZONE_DEVICE view: ${viewText}`);
				} catch (e) {
					await page.screenshot({ path: FAILURE_SHOT }).catch(() => undefined);
					throw new Error(`${String(e)}\n(screenshot: ${FAILURE_SHOT})\ncode-server log:\n${server.log().slice(-3000)}`);
				} finally {
					await page.close();
					await server.stop();
				}
			});

			await t.test('extension host: the real vscode API against the installed VSIX', async (st) => {
				const suite = join(l.root, 'suite', 'index.js');
				await build({
					entryPoints: [join(__dirname, 'vscode', 'suite.ts')],
					bundle: true,
					platform: 'node',
					format: 'cjs',
					target: 'node20',
					external: ['vscode'],
					outfile: suite,
					logLevel: 'silent',
				});
				const server = await startCodeServer(l);
				const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
				try {
					const remote = (p: string) => `vscode-remote://127.0.0.1:${server.port}${p}`;
					const payload = [
						['extensionDevelopmentPath', remote(extensionDir)],
						['extensionTestsPath', remote(suite)],
					];
					const t1 = Date.now();
					await page.goto(
						`http://127.0.0.1:${server.port}/?folder=${encodeURIComponent(l.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`,
					);
					const verdictFile = l.env.KMM_VERDICT!;
					let verdict: { done: boolean; ok: boolean; ms: number; vscode: string; checks: { name: string; ok: boolean; ms: number; error?: string; detail?: unknown }[] } | undefined;
					const deadline = Date.now() + 90_000;
					while (Date.now() < deadline) {
						if (existsSync(verdictFile)) {
							try {
								verdict = JSON.parse(readFileSync(verdictFile, 'utf8'));
							} catch {
								/* being written */
							}
							if (verdict?.done) break;
						}
						await sleep(200);
					}
					assert.ok(verdict?.done, `no verdict within 90 s: ${JSON.stringify(verdict)}\ncode-server log:\n${server.log().slice(-3000)}`);
					st.diagnostic(`VS Code ${verdict.vscode}: suite done ${Date.now() - t1} ms after opening the page (${verdict.ms} ms in the host)`);
					for (const c of verdict.checks) {
						await st.test(c.name, (ct) => {
							ct.diagnostic(`${c.ms} ms ${JSON.stringify(c.detail ?? {})}`);
							assert.ok(c.ok, c.error);
						});
					}
					assert.ok(verdict.checks.length >= 5, `only ${verdict.checks.length} checks ran`);
				} finally {
					await page.close();
					await server.stop();
				}
			});
		} finally {
			await browser.close();
		}
	} finally {
		rmSync(l.root, { recursive: true, force: true });
	}
});
