import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CodeAction, TextEdit } from 'vscode-languageserver-protocol';
import { TestClient } from '../helpers/lsp-client';
import { DRIVERS, MODERN } from '../helpers/paths';
import { writeModule } from '../helpers/module';
import { applyEdits } from '../helpers/analyze';

const USER = '#include <linux/fakemem.h>\nint drv_go(void)\n{\n\treturn fakemem_alloc(4096) ? 0 : -1;\n}\nMODULE_LICENSE("GPL");\n';

test('the namespace quick fix, applied as the editor would, clears the diagnostic', async () => {
	const dir = writeModule({ Kbuild: 'obj-m := drv.o\n', 'drv.c': USER });
	const file = join(dir, 'drv.c');
	const client = await TestClient.start({ initializationOptions: { kernelPath: MODERN } });
	try {
		const uri = client.open(file);
		const diagnostics = await client.diagnosticsFor(uri);
		const d = diagnostics.find((x) => x.code === 'missing-namespace-import');
		assert.ok(d, JSON.stringify(diagnostics));
		const actions = (await client.connection.sendRequest('textDocument/codeAction', {
			textDocument: { uri },
			range: d.range,
			context: { diagnostics: [d] },
		})) as CodeAction[];
		assert.equal(actions.length, 1);
		const [action] = actions;
		assert.equal(action.title, 'Add MODULE_IMPORT_NS(FAKEMEM)');
		assert.equal(action.kind, 'quickfix');
		assert.equal(action.isPreferred, true);
		assert.deepEqual(action.diagnostics, [d]);
		const edits = action.edit?.changes?.[uri] as TextEdit[];
		const fixed = applyEdits(readFileSync(file, 'utf8'), edits);
		assert.ok(fixed.endsWith('MODULE_LICENSE("GPL");\nMODULE_IMPORT_NS(FAKEMEM);\n'));
		// The editor applies the edit as a document change.
		const version = client.edit(uri, edits[0].range, edits[0].newText);
		const after = await client.diagnosticsFor(uri, version);
		assert.deepEqual(after.filter((x) => x.code === 'missing-namespace-import'), []);
		// Nothing to fix where there is no finding, and only quickfix kinds are offered.
		assert.deepEqual(
			await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [] } }),
			[],
		);
		assert.deepEqual(
			await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [], only: ['refactor'] } }),
			[],
		);
		await assert.rejects(client.connection.sendRequest('textDocument/codeAction', {}), (e: { code?: number }) => e.code === -32602);
	} finally {
		await client.stop();
	}
});

test('kmm.diagnostics settings change severities and turn checks off, live', async () => {
	const dir = writeModule({ Kbuild: 'obj-m := drv.o\n', 'drv.c': USER.replace('"GPL"', '"Proprietary"') });
	const client = await TestClient.start({ configuration: { kmm: { kernelPath: MODERN, diagnostics: { 'gpl-only-symbol': 'warning' } } } });
	try {
		const uri = client.open(join(dir, 'drv.c'));
		const first = await client.diagnosticsFor(uri);
		assert.equal(first.find((d) => d.code === 'gpl-only-symbol')?.severity, 2);
		assert.equal(first.find((d) => d.code === 'missing-namespace-import')?.severity, 1);
		client.configuration = { kmm: { kernelPath: MODERN, diagnostics: { 'gpl-only-symbol': 'off', 'missing-namespace-import': 'bogus' } } };
		client.diagnostics.delete(uri);
		void client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
		const second = await client.diagnosticsFor(uri);
		assert.equal(second.some((d) => d.code === 'gpl-only-symbol'), false);
		assert.equal(second.find((d) => d.code === 'missing-namespace-import')?.severity, 1, 'an unknown level is ignored');
	} finally {
		await client.stop();
	}
});

test('the server honours .kmm.json (kmm.diagnostics winning), warns of unknown codes, and keeps migrations with removed-api and removed-member off', async () => {
	const dir = writeModule({
		Kbuild: 'obj-m := drv.o\n',
		'drv.c': USER.replace('"GPL"', '"Proprietary"'),
		'.kmm.json': JSON.stringify({ severity: { 'gpl-only-symbol': 'warning', 'missing-namespace-import': 'off', 'no-such-check': 'off' } }),
	});
	const hmm = mkdtempSync(join(tmpdir(), 'kmm-hmm-off-'));
	cpSync(join(DRIVERS, 'hmm-member'), hmm, { recursive: true });
	writeFileSync(join(hmm, '.kmm.json'), JSON.stringify({ severity: { 'removed-api': 'off', 'removed-member': 'off' } }));
	const client = await TestClient.start({ configuration: { kmm: { kernelPath: MODERN, diagnostics: { 'gpl-only-symbol': 'hint' } } } });
	try {
		const uri = client.open(join(dir, 'drv.c'));
		const diagnostics = await client.diagnosticsFor(uri);
		assert.deepEqual(diagnostics.map((d) => [d.code, d.severity]), [['gpl-only-symbol', 4]], 'the setting wins over the file, the file switches a check off');
		assert.ok(client.logs.some((l) => /\.kmm\.json: unknown check 'no-such-check'/.test(l)), client.logs.join('\n'));
		const quick = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } }, context: { diagnostics: [] } })) as CodeAction[];
		assert.ok(!quick.some((a) => /MODULE_IMPORT_NS/.test(a.title)), 'a check switched off offers no quick fix');

		const hmmUri = client.open(join(hmm, 'hmmmem.c'));
		assert.deepEqual(await client.diagnosticsFor(hmmUri), []);
		const all = (await client.connection.sendRequest('textDocument/codeAction', {
			textDocument: { uri: hmmUri },
			range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
			context: { diagnostics: [], only: ['refactor'] },
		})) as CodeAction[];
		assert.ok(all.some((a) => a.title.startsWith('Migrate the whole file')), JSON.stringify(all.map((a) => a.title)));
	} finally {
		await client.stop();
	}
});
