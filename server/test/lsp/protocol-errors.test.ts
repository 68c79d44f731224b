/**
 * Requests a client should not send get the protocol's errors, and the session survives them:
 * null or empty params (-32602 InvalidParams) and a second initialize (-32600 InvalidRequest).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { PARAM_REQUESTS, RawServer } from '../helpers/raw-lsp';
import { TestClient } from '../helpers/lsp-client';
import { DRIVERS, MODERN } from '../helpers/paths';

const PDEV = join(DRIVERS, 'pdev-proprietary', 'pdev.c');

test('null and empty params answer InvalidParams (-32602) for every request that needs them', async () => {
	const server = RawServer.start();
	try {
		await server.initialize({ kernelPath: MODERN });
		for (const method of PARAM_REQUESTS) {
			for (const params of [null, {}]) {
				const answer = await server.request(method, params);
				assert.equal(answer.error?.code, -32602, `${method} with ${JSON.stringify(params)}: ${JSON.stringify(answer)}`);
			}
		}
		// Methods that take no params still accept null for them.
		const idle = await server.request('kmm/idle', null);
		assert.deepEqual(idle.result, { kernelRoot: MODERN });
		assert.equal((await server.request('shutdown', null)).error, undefined);
	} finally {
		server.kill();
	}
});

test('a second initialize is refused (-32600) and the session goes on: hovers, diagnostics, no watchdog on its processId', async () => {
	const client = await TestClient.start({ initializationOptions: { kernelPath: MODERN } });
	try {
		const uri = client.open(PDEV);
		assert.ok((await client.diagnosticsFor(uri)).some((d) => d.code === 'gpl-only-symbol'));
		await assert.rejects(
			// A process id that does not exist: the library's watchdog would end the server within 3 s.
			client.connection.sendRequest('initialize', { processId: 2 ** 22 + 12345, rootUri: null, capabilities: {}, initializationOptions: { kernelPath: DRIVERS } }),
			(e: { code?: number }) => e.code === -32600,
		);
		const lines = readFileSync(PDEV, 'utf8').split('\n');
		const line = lines.findIndex((l) => l.includes('devm_memremap_pages('));
		const hover = (await client.connection.sendRequest('textDocument/hover', {
			textDocument: { uri },
			position: { line, character: lines[line].indexOf('devm_memremap_pages(') + 1 },
		})) as Hover | null;
		assert.match((hover?.contents as MarkupContent | undefined)?.value ?? '', /EXPORT_SYMBOL_GPL/);
		const other = client.open(join(DRIVERS, 'lic-missing', 'lnone.c'));
		assert.deepEqual((await client.diagnosticsFor(other)).map((d) => d.code), ['missing-module-license'], 'a new module still gets diagnostics');
		await new Promise((resolve) => setTimeout(resolve, 3500));
		assert.equal(client.process.exitCode, null, 'still running after the watchdog period');
		const idle = (await client.connection.sendRequest('kmm/idle')) as { kernelRoot: string | null };
		assert.equal(idle.kernelRoot, MODERN);
	} finally {
		await client.stop();
	}
});
