import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CodeAction, TextEdit } from 'vscode-languageserver-protocol';
import { TestClient } from '../helpers/lsp-client';
import { DRIVERS, MODERN } from '../helpers/paths';

test('removed-api quick fixes and the whole-file migration, applied in an editor session, clear the diagnostics', async () => {
	const dir = mkdtempSync(join(tmpdir(), 'kmm-migrate-lsp-'));
	cpSync(join(DRIVERS, 'hmm-member'), dir, { recursive: true });
	const client = await TestClient.start({ initializationOptions: { kernelPath: MODERN } });
	try {
		const uri = client.open(join(dir, 'hmmmem.c'));
		const before = (await client.diagnosticsFor(uri)).filter((d) => d.code === 'removed-api');
		assert.equal(before.length, 5, JSON.stringify(before));

		// The per-call quick fix on a drvdata helper: preferred, tied to its diagnostic.
		const drvdata = before.find((d) => d.message.startsWith('hmm_devmem_page_get_drvdata'));
		assert.ok(drvdata);
		const actions = (await client.connection.sendRequest('textDocument/codeAction', {
			textDocument: { uri },
			range: drvdata.range,
			context: { diagnostics: [drvdata] },
		})) as CodeAction[];
		const quick = actions.find((a) => a.kind === 'quickfix' && a.isPreferred);
		assert.ok(quick, JSON.stringify(actions.map((a) => [a.kind, a.title])));
		assert.deepEqual(quick.diagnostics?.map((d) => d.message), [drvdata.message]);
		let version = client.applyEdits(uri, quick.edit?.changes?.[uri] as TextEdit[]);
		let after = await client.diagnosticsFor(uri, version);
		assert.equal(after.filter((d) => d.code === 'removed-api').length, 4);
		assert.ok(!after.some((d) => d.message.startsWith('hmm_devmem_page_get_drvdata')));

		// Then everything else at once.
		const all = (await client.connection.sendRequest('textDocument/codeAction', {
			textDocument: { uri },
			range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
			context: { diagnostics: [], only: ['refactor'] },
		})) as CodeAction[];
		const whole = all.find((a) => a.title.startsWith('Migrate the whole file'));
		assert.ok(whole, JSON.stringify(all.map((a) => a.title)));
		assert.equal(whole.kind, 'refactor.rewrite');
		assert.deepEqual(Object.keys(whole.edit?.changes ?? {}), [uri], 'a one-file module: edits in this document only');
		version = client.applyEdits(uri, whole.edit?.changes?.[uri] as TextEdit[]);
		after = await client.diagnosticsFor(uri, version);
		assert.deepEqual(after.map((d) => `${d.code} ${d.message}`), []);
	} finally {
		await client.stop();
	}
});
