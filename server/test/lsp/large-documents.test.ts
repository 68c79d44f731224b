/**
 * Documents beyond kmm's bounds (8 MiB, lines of 64 Ki characters) are not parsed: each gets
 * one document-too-large diagnostic, and the documents after them are checked as usual.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Hover } from 'vscode-languageserver-protocol';
import { TestClient } from '../helpers/lsp-client';
import { expectedFindings } from '../helpers/expected';
import { DRIVERS, MODERN } from '../helpers/paths';

const PDEV_DIR = join(DRIVERS, 'pdev-proprietary');

test('a 10 MB one-line file and a 50 MB file get document-too-large; a driver opened after them gets its findings', async () => {
	const client = await TestClient.start({ initializationOptions: { kernelPath: MODERN } });
	try {
		const line = 'int a; '.repeat(Math.ceil((10 << 20) / 7));
		const oneLine = client.open(join(PDEV_DIR, 'one-line.c'), line);
		const huge = client.open(join(PDEV_DIR, 'huge.c'), 'int a;\n'.repeat((50 << 20) / 7));
		const pdev = client.open(join(PDEV_DIR, 'pdev.c'));
		const found = (await client.diagnosticsFor(pdev)).map((d) => `pdev.c:${d.range.start.line + 1} ${d.code}`).sort();
		const expected = expectedFindings(PDEV_DIR).map((e) => `${e.file}:${e.line} ${e.code}`).sort();
		assert.deepEqual(found, expected);

		for (const [uri, what] of [[oneLine, /10\.0 MiB, more than the 8\.0 MiB/], [huge, /50\.0 MiB, more than the 8\.0 MiB/]] as const) {
			const diagnostics = await client.diagnosticsFor(uri);
			assert.deepEqual(diagnostics.map((d) => [d.code, d.severity]), [['document-too-large', 2]], JSON.stringify(diagnostics));
			assert.match(diagnostics[0].message, what);
			assert.match(diagnostics[0].codeDescription?.href ?? '', /docs\/checks\/document-too-large\.md$/);
			const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 1 } })) as Hover | null;
			assert.equal(hover, null);
		}

		// Cut below the bounds, the one-line file is checked like any other.
		const version = client.edit(oneLine, { start: { line: 0, character: 7 }, end: { line: 0, character: line.length } }, '\n');
		assert.deepEqual(await client.diagnosticsFor(oneLine, version), []);
	} finally {
		await client.stop();
	}
});

test('a line longer than 64 Ki characters is reported, not parsed', async () => {
	const client = await TestClient.start({ initializationOptions: { kernelPath: MODERN } });
	try {
		const uri = client.open(join(PDEV_DIR, 'blob.c'), `static const char blob[] = "${'x'.repeat(70_000)}";\n`);
		const diagnostics = await client.diagnosticsFor(uri);
		assert.deepEqual(diagnostics.map((d) => d.code), ['document-too-large']);
		assert.match(diagnostics[0].message, /a line has 70,030 characters, more than the 65,536/);
	} finally {
		await client.stop();
	}
});
