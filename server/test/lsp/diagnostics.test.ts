import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestClient } from '../helpers/lsp-client';
import { DRIVERS, KMM, MODERN } from '../helpers/paths';

const PDEV = join(DRIVERS, 'pdev-proprietary', 'pdev.c');

function lineOf(text: string, needle: string): { line: number; character: number } {
	const lines = text.split('\n');
	const line = lines.findIndex((l) => l.includes(needle));
	assert.ok(line >= 0, `fixture has ${needle}`);
	return { line, character: lines[line].indexOf(needle) };
}

test('gpl-only-symbol is published with code, source, link and related information', async () => {
	const client = await TestClient.start({ initializationOptions: { kernelPath: MODERN } });
	try {
		assert.equal(client.initializeResult?.serverInfo?.name, 'kmm');
		const uri = client.open(PDEV);
		const diagnostics = await client.diagnosticsFor(uri);
		const d = diagnostics.find((x) => x.message.includes("'devm_memremap_pages'"));
		assert.ok(d, JSON.stringify(diagnostics, null, 1));
		assert.equal(d.code, 'gpl-only-symbol');
		assert.equal(d.source, 'kmm');
		assert.equal(d.severity, 1);
		assert.match(d.codeDescription?.href ?? '', /docs\/checks\/gpl-only-symbol\.md$/);
		const text = readFileSync(PDEV, 'utf8');
		const at = lineOf(text, 'devm_memremap_pages(dev,');
		assert.deepEqual(d.range.start, at);
		assert.ok(d.relatedInformation?.some((r) => r.location.uri.endsWith('/mm/memremap.c')));
		const status = client.notifications.filter((n) => n.method === 'kmm/status').map((n) => n.params as { state: string; version?: string });
		assert.deepEqual(status.at(-1), { ...status.at(-1), state: 'ready', version: '6.1.0' });
		assert.ok(client.notifications.some((n) => n.method === '$/progress'), 'indexing reports $/progress');
	} finally {
		await client.stop();
	}
});

test('edits re-validate incrementally: relicensing clears the error, a new call brings one back', async () => {
	const client = await TestClient.start({ configuration: { kmm: { kernelPath: MODERN } } });
	try {
		const text = readFileSync(PDEV, 'utf8');
		const uri = client.open(PDEV, text);
		assert.ok((await client.diagnosticsFor(uri)).some((d) => d.code === 'gpl-only-symbol'));

		const licLine = lineOf(text, 'MODULE_LICENSE("Proprietary")');
		const lic = { line: licLine.line, character: licLine.character + 'MODULE_LICENSE('.length };
		let version = client.edit(
			uri,
			{ start: { line: lic.line, character: lic.character + 1 }, end: { line: lic.line, character: lic.character + 1 + 'Proprietary'.length } },
			'GPL',
		);
		assert.deepEqual(await client.diagnosticsFor(uri, version), []);

		// Back to a proprietary license, one keystroke at a time (the way people type).
		const start = { line: lic.line, character: lic.character + 1 };
		version = client.edit(uri, { start, end: { line: lic.line, character: start.character + 3 } }, '');
		for (const [i, ch] of [...'MIT'].entries()) {
			version = client.edit(uri, { start: { line: lic.line, character: start.character + i }, end: { line: lic.line, character: start.character + i } }, ch);
		}
		const back = await client.diagnosticsFor(uri, version);
		assert.ok(back.some((d) => d.message.includes('MODULE_LICENSE("MIT")')), JSON.stringify(back));

		// A new GPL-only call typed at the end of the file.
		const end = text.split('\n').length - 1;
		version = client.edit(uri, { start: { line: end, character: 0 }, end: { line: end, character: 0 } }, 'static void *late(void)\n{\n\treturn memremap_pages(NULL, 0);\n}\n');
		const late = await client.diagnosticsFor(uri, version);
		const d = late.find((x) => x.message.includes("'memremap_pages'"));
		assert.ok(d, JSON.stringify(late));
		assert.equal(d.range.start.line, end + 2);
		assert.equal(d.range.start.character, 8);
	} finally {
		await client.stop();
	}
});

test('kmm lsp --stdio runs the same server', async () => {
	const client = await TestClient.start({
		command: [process.execPath, KMM, 'lsp', '--stdio'],
		initializationOptions: { kernelPath: MODERN },
	});
	try {
		const uri = client.open(PDEV);
		assert.ok((await client.diagnosticsFor(uri)).some((d) => d.code === 'gpl-only-symbol'));
	} finally {
		await client.stop();
	}
});

test('a workspace folder that is a kernel tree is indexed without any setting', async () => {
	const client = await TestClient.start({ rootPath: MODERN });
	try {
		const idle = (await client.connection.sendRequest('kmm/idle')) as { kernelRoot: string | null };
		assert.equal(idle.kernelRoot, MODERN);
	} finally {
		await client.stop();
	}
});

test('no kernel anywhere: one warning, a noKernel status, empty diagnostics, no crash', async () => {
	const empty = mkdtempSync(join(tmpdir(), 'kmm-empty-'));
	const client = await TestClient.start({ rootPath: empty, env: { KDIR: join(empty, 'nope') } });
	try {
		const uri = client.open(join(empty, 'x.c'), 'int main(void) { return 0; }\n');
		assert.deepEqual(await client.diagnosticsFor(uri), []);
		const status = client.notifications.filter((n) => n.method === 'kmm/status').map((n) => n.params as { state: string; message: string });
		assert.equal(status.at(-1)?.state, 'noKernel');
		assert.match(status.at(-1)?.message ?? '', /no kernel tree found/);
		const warnings = client.notifications.filter((n) => n.method.startsWith('window/showMessage'));
		assert.equal(warnings.length, 1, 'exactly one notification');
		// Reconfiguring to another missing kernel does not nag again.
		void client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
		await client.connection.sendRequest('kmm/idle');
		assert.equal(client.notifications.filter((n) => n.method.startsWith('window/showMessage')).length, 1);
	} finally {
		await client.stop();
	}
});

test('a client that shows kmm/status itself gets no showMessage', async () => {
	const empty = mkdtempSync(join(tmpdir(), 'kmm-empty-'));
	const client = await TestClient.start({ rootPath: empty, env: { KDIR: join(empty, 'nope') }, initializationOptions: { statusNotifications: true } });
	try {
		await client.connection.sendRequest('kmm/idle');
		assert.equal(client.notifications.filter((n) => n.method === 'kmm/status').at(-1)?.params && true, true);
		assert.equal(client.notifications.filter((n) => n.method.startsWith('window/showMessage')).length, 0);
	} finally {
		await client.stop();
	}
});

test('bad LSP input gets errors or is ignored, never a crash', async () => {
	const client = await TestClient.start({ initializationOptions: { kernelPath: MODERN } });
	try {
		await assert.rejects(client.connection.sendRequest('kmm/noSuchMethod', {}), (err: { code?: number }) => err.code === -32601);
		await assert.rejects(client.connection.sendRequest('textDocument/hover', { bogus: true }), (err: { code?: number }) => typeof err.code === 'number');
		const uri = client.open(PDEV);
		await client.diagnosticsFor(uri);
		void client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
		void client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
		void client.connection.sendNotification('textDocument/didChange', {
			textDocument: { uri: 'file:///never/opened.c', version: 2 },
			contentChanges: [{ text: 'x' }],
		});
		void client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: 'untitled:Untitled-1', languageId: 'c', version: 1, text: '\0\0\xff garbage (((' } });
		const idle = (await client.connection.sendRequest('kmm/idle')) as { kernelRoot: string | null };
		assert.equal(idle.kernelRoot, MODERN, 'still alive and answering');
		assert.equal(client.process.exitCode, null);
	} finally {
		await client.stop();
	}
});

test('kmm lsp --node-ipc (the VS Code client transport) serves the same diagnostics', async () => {
	const { fork } = await import('node:child_process');
	const { createProtocolConnection, IPCMessageReader, IPCMessageWriter } = await import('vscode-languageserver-protocol/node');
	const child = fork(KMM, ['lsp', '--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
	const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
	const published = new Promise<{ uri: string; diagnostics: { code?: string | number }[] }>((resolve) =>
		connection.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: { code?: string | number }[] }) => {
			if (p.diagnostics.length > 0) resolve(p);
		}),
	);
	connection.listen();
	try {
		await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: { kernelPath: MODERN } });
		await connection.sendNotification('initialized', {});
		await connection.sendNotification('textDocument/didOpen', {
			textDocument: { uri: `file://${PDEV}`, languageId: 'c', version: 1, text: readFileSync(PDEV, 'utf8') },
		});
		const p = await published;
		assert.ok(p.diagnostics.some((d) => d.code === 'gpl-only-symbol'));
	} finally {
		connection.dispose();
		child.kill();
	}
});
