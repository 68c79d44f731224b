/**
 * Extension-host tests: run inside a real VS Code (code-server) by vscode.e2e.ts, with the
 * installed VSIX as the extension under development and the real `vscode` API. Bundled by
 * the driver with esbuild (vscode external); VS Code calls run(). The verdict goes to the
 * file named in KMM_VERDICT (or `.kmm-verdict.json` beside the workspace folder), which
 * the driver polls. Each check records its own result, so one failure does not hide the rest.
 */
import * as vscode from 'vscode';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

interface Check {
	name: string;
	ok: boolean;
	ms: number;
	error?: string;
	detail?: unknown;
}

const checks: Check[] = [];
const t0 = Date.now();

function verdictPath(): string {
	const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '/tmp';
	return process.env.KMM_VERDICT || join(dirname(folder), '.kmm-verdict.json');
}

function save(done: boolean): void {
	writeFileSync(
		verdictPath(),
		JSON.stringify({ done, ok: checks.every((c) => c.ok), ms: Date.now() - t0, vscode: vscode.version, checks }, null, 1),
	);
}

async function check(name: string, body: (detail: Record<string, unknown>) => Promise<void>): Promise<void> {
	const started = Date.now();
	const detail: Record<string, unknown> = {};
	try {
		await body(detail);
		checks.push({ name, ok: true, ms: Date.now() - started, detail });
	} catch (e) {
		checks.push({ name, ok: false, ms: Date.now() - started, error: e instanceof Error ? (e.stack ?? e.message) : String(e), detail });
	}
	save(false);
}

function assert(condition: unknown, message: string): asserts condition {
	if (!condition) throw new Error(message);
}

async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = probe();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

const kmm = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'kmm');
const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));
const summary = (ds: vscode.Diagnostic[]) => ds.map((d) => `${d.range.start.line + 1}:${codeOf(d)}`).sort();

function hoverText(hovers: vscode.Hover[]): string {
	return hovers
		.flatMap((h) => h.contents)
		.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
		.join('\n');
}

async function runChecks(): Promise<void> {
	const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
	assert(folder, 'no workspace folder');
	const pdev = vscode.Uri.joinPath(folder, 'pdev-proprietary', 'pdev.c');
	const nsuser = vscode.Uri.joinPath(folder, 'ns-missing', 'nsuser.c');

	await check('the extension is installed and activates', async (detail) => {
		const ext = vscode.extensions.getExtension('kmm-tools.kernel-mm');
		assert(ext, `kmm-tools.kernel-mm is not installed: ${vscode.extensions.all.map((e) => e.id).join(', ')}`);
		detail.path = ext.extensionPath;
		detail.version = ext.packageJSON.version;
		await ext.activate();
		assert(ext.isActive, 'not active');
	});

	await check('diagnostics: gpl-only-symbol at pdev.c:38 and :44, source kmm, errors', async (detail) => {
		await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(pdev));
		const ds = await until('kmm diagnostics on pdev.c', () => kmm(pdev).length >= 2 && kmm(pdev));
		detail.diagnostics = summary(ds);
		assert(JSON.stringify(summary(ds)) === JSON.stringify(['38:gpl-only-symbol', '44:gpl-only-symbol']), `got ${summary(ds).join(', ')}`);
		assert(ds.every((d) => d.severity === vscode.DiagnosticSeverity.Error), 'not all errors');
		const first = ds.find((d) => d.range.start.line === 37)!;
		const doc = await vscode.workspace.openTextDocument(pdev);
		assert(doc.getText(first.range) === 'devm_memremap_pages', `range covers '${doc.getText(first.range)}'`);
		assert(typeof first.code === 'object' && String(first.code.target).endsWith('gpl-only-symbol.md'), 'code links to its docs page');
	});

	await check('hover on devm_memremap_pages says EXPORT_SYMBOL_GPL', async (detail) => {
		const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>(
			'vscode.executeHoverProvider',
			pdev,
			new vscode.Position(37, 12),
		)) ?? [];
		const text = hoverText(hovers);
		detail.hover = text.slice(0, 400);
		assert(/EXPORT_SYMBOL_GPL/.test(text), `hover: ${text}`);
	});

	await check('the namespace quick fix, applied with workspace.applyEdit, clears its diagnostics', async (detail) => {
		const doc = await vscode.workspace.openTextDocument(nsuser);
		await vscode.window.showTextDocument(doc);
		const before = await until('missing-namespace-import on nsuser.c', () => {
			const ds = kmm(nsuser);
			return ds.some((d) => codeOf(d) === 'missing-namespace-import') && ds;
		});
		detail.before = summary(before);
		const target = before.find((d) => codeOf(d) === 'missing-namespace-import')!;
		const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>(
			'vscode.executeCodeActionProvider',
			nsuser,
			target.range,
			vscode.CodeActionKind.QuickFix.value,
		)) ?? [];
		detail.actions = actions.map((a) => a.title);
		const fix = actions.find((a) => a.title === 'Add MODULE_IMPORT_NS(FAKEMEM)');
		assert(fix?.edit, `no fix among ${actions.map((a) => a.title).join(', ')}`);
		assert(fix.isPreferred === true, 'the fix is preferred');
		assert(await vscode.workspace.applyEdit(fix.edit), 'applyEdit refused');
		assert(await doc.save(), 'save failed');
		const onDisk = readFileSync(nsuser.fsPath, 'utf8');
		assert(onDisk.includes('MODULE_LICENSE("Proprietary");\nMODULE_IMPORT_NS(FAKEMEM);\n'), `on disk: ${onDisk.slice(-200)}`);
		const after = await until('the namespace diagnostics to go', () => {
			const ds = kmm(nsuser);
			return !ds.some((d) => codeOf(d) === 'missing-namespace-import') && ds.length > 0 && ds;
		});
		detail.after = summary(after);
		assert(JSON.stringify(summary(after)) === JSON.stringify(['19:gpl-only-symbol']), `after: ${summary(after).join(', ')}`);
	});

	await check('call hierarchy: incoming calls of devm_memremap_pages reach the kernel tree', async (detail) => {
		const items = (await vscode.commands.executeCommand<vscode.CallHierarchyItem[]>(
			'vscode.prepareCallHierarchy',
			pdev,
			new vscode.Position(37, 12),
		)) ?? [];
		assert(items[0]?.name === 'devm_memremap_pages', `prepared: ${items.map((i) => i.name).join(', ')}`);
		const incoming = (await vscode.commands.executeCommand<vscode.CallHierarchyIncomingCall[]>('vscode.provideIncomingCalls', items[0])) ?? [];
		detail.incoming = incoming.map((c) => `${c.from.name} ${vscode.workspace.asRelativePath(c.from.uri)}`);
		assert(
			incoming.some((c) => c.from.uri.fsPath.endsWith('/drivers/dax/device.c')),
			`incoming: ${incoming.map((c) => c.from.uri.fsPath).join(', ')}`,
		);
	});

	await check('kmm.diagnostics settings re-validate open files live', async (detail) => {
		const config = vscode.workspace.getConfiguration('kmm');
		await config.update('diagnostics', { 'gpl-only-symbol': 'warning' }, vscode.ConfigurationTarget.Workspace);
		try {
			const ds = await until('gpl-only-symbol as warnings', () => {
				const got = kmm(pdev);
				return got.length === 2 && got.every((d) => d.severity === vscode.DiagnosticSeverity.Warning) && got;
			});
			detail.after = ds.map((d) => `${d.range.start.line + 1}:${vscode.DiagnosticSeverity[d.severity]}`);
		} finally {
			await config.update('diagnostics', undefined, vscode.ConfigurationTarget.Workspace);
		}
	});
}

/** Entry used by VS Code's test runner: run, write the verdict, never throw (the driver reads the file). */
export async function run(): Promise<void> {
	try {
		await runChecks();
	} catch (e) {
		checks.push({ name: 'suite', ok: false, ms: Date.now() - t0, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
	}
	save(true);
}
