/** Behaviour real clients rely on (found driving Neovim 0.7, eglot 1.9 and VS Code). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { ClientCapabilities, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { TestClient } from '../helpers/lsp-client';
import { DRIVERS, MODERN } from '../helpers/paths';
import { markdownToPlainText } from '../../src/lsp/convert';

const PDEV = join(DRIVERS, 'pdev-proprietary', 'pdev.c');

/** What eglot 1.9 without markdown-mode announces. */
const EGLOT: ClientCapabilities = {
	workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: false } },
	textDocument: { hover: { contentFormat: ['plaintext'] }, publishDiagnostics: {} },
};

test('a plain-text client gets plain-text hovers and no dynamic registration it cannot take', async () => {
	const client = await TestClient.start({ capabilities: EGLOT, configuration: { kmm: { kernelPath: MODERN } } });
	try {
		const uri = client.open(PDEV);
		await client.diagnosticsFor(uri);
		const lines = (await import('node:fs')).readFileSync(PDEV, 'utf8').split('\n');
		const line = lines.findIndex((l) => l.includes('addr = devm_memremap_pages('));
		const hover = (await client.connection.sendRequest('textDocument/hover', {
			textDocument: { uri },
			position: { line, character: lines[line].indexOf('devm_memremap_pages') + 2 },
		})) as Hover;
		const contents = hover.contents as MarkupContent;
		assert.equal(contents.kind, 'plaintext');
		assert.match(contents.value, /EXPORT_SYMBOL_GPL/);
		assert.doesNotMatch(contents.value, /\*\*|```|`/);
		assert.deepEqual(client.registrations, [], 'nothing registered dynamically');
	} finally {
		await client.stop();
	}
});

test('a client that can take it gets didChangeConfiguration registered', async () => {
	const client = await TestClient.start({ configuration: { kmm: { kernelPath: MODERN } } });
	try {
		await client.connection.sendRequest('kmm/idle');
		assert.equal(client.registrations.length, 1);
		assert.match(JSON.stringify(client.registrations), /workspace\/didChangeConfiguration/);
	} finally {
		await client.stop();
	}
});

test('no empty diagnostics are published while the kernel is still being indexed', async () => {
	const client = await TestClient.start({ initializationOptions: { kernelPath: MODERN } });
	try {
		// Opened at once, before initialization's indexing has finished.
		const uri = client.open(PDEV);
		await client.diagnosticsFor(uri);
		const mine = client.published.filter((p) => p.uri === uri);
		assert.ok(mine.length >= 1);
		assert.ok(mine[0].diagnostics.length > 0, 'the first publish already has the findings');
		// A settings notice that changes nothing re-publishes nothing.
		const before = client.published.length;
		void client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
		// kmm/idle answers after the reload it queued and every analysis it scheduled; the
		// stream is ordered, so any publish they made has arrived before the answer.
		await client.connection.sendRequest('kmm/idle');
		assert.equal(client.published.length, before);
		// The control: a change that matters does re-publish, and is seen the same way.
		client.edit(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, ' ');
		await client.connection.sendRequest('kmm/idle');
		assert.equal(client.published.length, before + 1);
	} finally {
		await client.stop();
	}
});

test('markdownToPlainText keeps code and drops marks', () => {
	assert.equal(
		markdownToPlainText('**`a`** — b\n\n```c\nint x;\n```\nsee [docs](http://x)'),
		'a — b\n\n    int x;\nsee docs (http://x)',
	);
});

test('next to clangd or the C/C++ extension (otherCTools) the server leaves go-to-definition to them', async () => {
	for (const otherCTools of [false, true]) {
		const client = await TestClient.start({ initializationOptions: { kernelPath: MODERN, otherCTools } });
		try {
			assert.equal(Boolean(client.initializeResult?.capabilities.definitionProvider), !otherCTools);
			assert.equal(client.initializeResult?.capabilities.hoverProvider, true, 'hovers say what clangd cannot');
		} finally {
			await client.stop();
		}
	}
});
