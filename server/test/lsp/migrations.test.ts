import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClientCapabilities, CodeAction, CodeActionOptions, TextEdit } from 'vscode-languageserver-protocol';
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

/** TestClient's default capabilities, plus code actions resolved later (as VS Code, Neovim and Eglot do). */
const RESOLVING: ClientCapabilities = {
	workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
	window: { workDoneProgress: true },
	textDocument: { publishDiagnostics: { relatedInformation: true }, codeAction: { dataSupport: true, resolveSupport: { properties: ['edit'] } } },
};

test('a client that resolves code actions gets migrations without edits; resolving each gives the edit a client without resolve gets', async () => {
	const file = join(DRIVERS, 'hmm-multi', 'mem.c');
	const [lazy, eager] = await Promise.all([
		TestClient.start({ initializationOptions: { kernelPath: MODERN }, capabilities: RESOLVING }),
		TestClient.start({ initializationOptions: { kernelPath: MODERN } }),
	]);
	try {
		assert.equal((lazy.initializeResult?.capabilities.codeActionProvider as CodeActionOptions).resolveProvider, true);
		/** The actions on the hmm_devmem_add() call (its diagnostic as context) and on the whole document (rewrites). */
		const actionsOf = async (client: TestClient) => {
			const uri = client.open(file);
			const add = (await client.diagnosticsFor(uri)).find((d) => d.code === 'removed-api' && d.message.startsWith('hmm_devmem_add('));
			assert.ok(add);
			const ask = (params: object) => client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, ...params }) as Promise<CodeAction[]>;
			const atCall = await ask({ range: add.range, context: { diagnostics: [add] } });
			const rewrites = await ask({ range: { start: { line: 0, character: 0 }, end: { line: 60, character: 0 } }, context: { diagnostics: [], only: ['refactor'] } });
			return { uri, actions: [...atCall, ...rewrites] };
		};
		const [listed, computed] = await Promise.all([actionsOf(lazy), actionsOf(eager)]);
		const shown = (actions: CodeAction[]) => actions.map((a) => `${a.kind} ${a.isPreferred ? 'preferred ' : ''}${a.title}`);
		assert.deepEqual(shown(listed.actions), shown(computed.actions));
		assert.ok(shown(listed.actions).includes('quickfix preferred Migrate hmm_devmem_add() to devm_request_free_mem_region() and a driver-owned struct dev_pagemap'));
		assert.ok(listed.actions.some((a) => a.title === "Migrate the whole module to this kernel's struct dev_pagemap"), JSON.stringify(listed.actions.map((a) => a.title)));
		for (const a of listed.actions) assert.ok(!a.edit && a.data, `${a.title}: listed without its edit, with data to resolve it`);

		const resolve = (action: unknown) => lazy.connection.sendRequest('codeAction/resolve', action) as Promise<CodeAction>;
		for (const [i, action] of listed.actions.entries()) {
			const want = computed.actions[i];
			assert.ok(want.edit, `${want.title}: the eager client gets an edit`);
			const resolved = await resolve(action);
			assert.deepEqual(resolved.edit, want.edit, action.title);
			assert.deepEqual({ ...resolved, edit: undefined, data: undefined }, { ...want, edit: undefined, data: undefined });
		}

		// Actions without kmm's data come back as they were; bad data is a bad request.
		const plain = { title: 'not a migration', kind: 'quickfix' };
		assert.deepEqual(await resolve(plain), plain);
		await assert.rejects(resolve({ title: 'x', data: { uri: listed.uri } }), (e: { code?: number }) => e.code === -32602);
		// Listed for version 1: once the document changed, its site may have moved.
		lazy.edit(listed.uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, '\n');
		await assert.rejects(resolve(listed.actions[0]), (e: { code?: number }) => e.code === -32801);
	} finally {
		await Promise.all([lazy.stop(), eager.stop()]);
	}
});
