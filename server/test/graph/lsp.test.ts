/**
 * The call graph over the protocol, against the modern fixture tree: call hierarchy with an
 * ops-dispatched edge (mm/memory.c's do_swap_page reaching toygpu's migrate_to_ram through
 * dev_pagemap_ops), references, workspace symbols, and the `kmm/zoneDevice` request.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { CallHierarchyIncomingCall, CallHierarchyItem, CallHierarchyOutgoingCall, Location, SymbolInformation } from 'vscode-languageserver-protocol';
import { TestClient } from '../helpers/lsp-client';
import { MODERN } from '../helpers/paths';

const DMEM = join(MODERN, 'drivers/gpu/toygpu/toygpu_dmem.c');
const MEMORY = join(MODERN, 'mm/memory.c');

async function start(): Promise<TestClient> {
	const client = await TestClient.start({ rootPath: MODERN, initializationOptions: { kernelPath: MODERN, cacheDir: join(MODERN, '..', '..', '..', 'node_modules', '.cache', 'kmm-graph-lsp') } });
	await client.connection.sendRequest('kmm/idle');
	return client;
}

test('call hierarchy: incoming calls include the ops-dispatched do_swap_page, outgoing the reverse', async () => {
	const client = await start();
	try {
		assert.ok(client.initializeResult?.capabilities.callHierarchyProvider, 'callHierarchyProvider advertised');
		const uri = client.open(DMEM);
		await client.connection.sendRequest('kmm/idle');
		// `toygpu_migrate_to_ram` in its definition (line 57, 1-based).
		const items: CallHierarchyItem[] = await client.connection.sendRequest('textDocument/prepareCallHierarchy', { textDocument: { uri }, position: { line: 56, character: 20 } });
		assert.equal(items.length, 1);
		assert.equal(items[0].name, 'toygpu_migrate_to_ram');
		const incoming: CallHierarchyIncomingCall[] = await client.connection.sendRequest('callHierarchy/incomingCalls', { item: items[0] });
		const swap = incoming.find((c) => c.from.name === 'do_swap_page');
		assert.ok(swap, JSON.stringify(incoming));
		assert.equal(swap.from.uri, `file://${MEMORY}`);
		assert.match(swap.from.detail ?? '', /via dev_pagemap_ops\.migrate_to_ram = toygpu_dmem_ops/);
		assert.deepEqual(swap.fromRanges.map((r) => r.start.line), [19]);
		assert.ok(incoming.some((c) => c.from.name === 'toygpu_dmem_ops'), 'the ops table references it');

		const swapItems: CallHierarchyItem[] = await client.connection.sendRequest('textDocument/prepareCallHierarchy', {
			textDocument: { uri: client.open(MEMORY) },
			position: { line: 14, character: 12 },
		});
		const outgoing: CallHierarchyOutgoingCall[] = await client.connection.sendRequest('callHierarchy/outgoingCalls', { item: swapItems[0] });
		assert.deepEqual(outgoing.map((c) => c.to.name).sort(), ['is_device_private_page', 'toygpu_migrate_to_ram']);
		await assert.rejects(client.connection.sendRequest('callHierarchy/incomingCalls', { item: {} }), /call hierarchy item/);
	} finally {
		await client.stop();
	}
});

test('references, workspace symbols and kmm/zoneDevice', async () => {
	const client = await start();
	try {
		const uri = client.open(DMEM);
		await client.connection.sendRequest('kmm/idle');
		// `memremap_pages(` in toygpu_dmem_init (line 117, 1-based).
		const refs: Location[] = await client.connection.sendRequest('textDocument/references', {
			textDocument: { uri },
			position: { line: 116, character: 8 },
			context: { includeDeclaration: true },
		});
		const files = new Set(refs.map((r) => r.uri.slice(`file://${MODERN}/`.length)));
		assert.ok(files.has('mm/memremap.c') && files.has('drivers/gpu/toygpu/toygpu_dmem.c'), JSON.stringify([...files]));
		const symbols: SymbolInformation[] = await client.connection.sendRequest('workspace/symbol', { query: 'memremap_pages' });
		assert.equal(symbols[0].name, 'memremap_pages');
		const zd: { map: { creators: { function: string }[] }; markdown: string } = await client.connection.sendRequest('kmm/zoneDevice');
		assert.deepEqual(zd.map.creators.map((c) => c.function), ['dev_dax_probe', 'toygpu_dmem_init', 'fakemem_core_register']);
		assert.match(zd.markdown, /## MEMORY_DEVICE_PRIVATE/);
	} finally {
		await client.stop();
	}
});
