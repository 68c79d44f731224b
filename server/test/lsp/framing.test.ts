/**
 * A broken LSP byte stream ends the server at once with the reason on stderr (so the client
 * restarts it), never a process that lives on answering nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RawServer } from '../helpers/raw-lsp';
import { MODERN } from '../helpers/paths';

const CASES: [string, string][] = [
	['a Content-Length that is not a number', 'Content-Length: abc\r\n\r\n{}'],
	['a header block without Content-Length', 'Content-Type: application/vscode-jsonrpc\r\n\r\n{}'],
	['garbage between messages', 'GARBAGE \x00\xff\r\n\r\n'],
	['a body that is not JSON', 'Content-Length: 9\r\n\r\n{"jsonrpc'],
];

for (const [name, bytes] of CASES) {
	test(`framing error, ${name}: the server exits at once with a logged reason`, async () => {
		const server = RawServer.start();
		try {
			await server.initialize({ kernelPath: MODERN });
			assert.deepEqual((await server.request('kmm/idle')).result, { kernelRoot: MODERN });
			server.write(bytes);
			// What a client sends next, which a desynchronised reader would swallow.
			server.notify('textDocument/didOpen', { textDocument: { uri: 'file:///tmp/a.c', languageId: 'c', version: 1, text: 'int x;\n' } });
			const code = await server.exited(5000);
			assert.equal(code, 1, `exit code (undefined: still running); stderr:\n${server.stderr}`);
			assert.match(server.stderr, /kmm: the LSP input stream is broken \(.+\); exiting so that the client restarts the server/);
		} finally {
			server.kill();
		}
	});
}

test('framing error, a Content-Length larger than the body: the server exits after 10 s without data', async () => {
	const server = RawServer.start();
	try {
		await server.initialize({ kernelPath: MODERN });
		// It swallows the message after it, then waits for bytes that never come.
		server.write('Content-Length: 100000\r\n\r\n{}');
		server.notify('initialized', {});
		assert.equal(await server.exited(15_000), 1, `exit code (undefined: still running); stderr:\n${server.stderr}`);
		assert.match(server.stderr, /kmm: the LSP input stream is broken \(a message is still incomplete after 10 s without data\)/);
	} finally {
		server.kill();
	}
});

test('stdin closing after shutdown exits 0, without shutdown 1', async () => {
	for (const [shutdown, expected] of [[true, 0], [false, 1]] as const) {
		const server = RawServer.start();
		try {
			await server.initialize({ kernelPath: MODERN });
			if (shutdown) await server.request('shutdown');
			server.process.stdin!.end();
			assert.equal(await server.exited(5000), expected);
		} finally {
			server.kill();
		}
	}
});
