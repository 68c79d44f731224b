import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Hover, Location, MarkupContent } from 'vscode-languageserver-protocol';
import { TestClient } from '../helpers/lsp-client';
import { MODERN, V419 } from '../helpers/paths';
import { writeModule } from '../helpers/module';

const DRIVER = `#include <linux/memremap.h>
static struct dev_pagemap drv_pgmap;

static int drv_probe(struct device *dev)
{
	drv_pgmap.type = MEMORY_DEVICE_PRIVATE;
	return PTR_ERR_OR_ZERO(devm_memremap_pages(dev, &drv_pgmap));
}
MODULE_LICENSE("Proprietary");
`;

async function session(kernel: string) {
	const dir = writeModule({ Kbuild: 'obj-m := drv.o\n', 'drv.c': DRIVER });
	const client = await TestClient.start({ initializationOptions: { kernelPath: kernel } });
	const uri = client.open(join(dir, 'drv.c'));
	await client.diagnosticsFor(uri);
	const at = (needle: string, offset = 1) => {
		const lines = DRIVER.split('\n');
		const line = lines.findIndex((l) => l.includes(needle));
		return { line, character: lines[line].indexOf(needle) + offset };
	};
	const hover = async (needle: string) => {
		const h = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: at(needle) })) as Hover | null;
		return h && (h.contents as MarkupContent).value;
	};
	const definition = async (needle: string) =>
		(await client.connection.sendRequest('textDocument/definition', { textDocument: { uri }, position: at(needle) })) as Location[];
	return { client, hover, definition };
}

test('the same positions hover differently, and correctly, on 6.1 and on 4.19', async () => {
	const modern = await session(MODERN);
	const old = await session(V419);
	try {
		assert.equal(modern.client.initializeResult?.capabilities.hoverProvider, true);
		const m = await modern.hover('devm_memremap_pages(');
		const o = await old.hover('devm_memremap_pages(');
		assert.match(m ?? '', /EXPORT_SYMBOL_GPL/);
		assert.match(m ?? '', /drv\.ko may \*\*not\*\* use it/);
		assert.match(o ?? '', /\*\*Export:\*\* plain export \(`EXPORT_SYMBOL`\): drv\.ko may use it/);
		assert.match(o ?? '', /4\.19\.15\+ .*backported the GPL marking/, 'history where it matters');

		const lm = await modern.hover('MODULE_LICENSE');
		assert.match(lm ?? '', /not GPL-compatible/i);

		const tm = await modern.hover('MEMORY_DEVICE_PRIVATE');
		const to = await old.hover('MEMORY_DEVICE_PRIVATE');
		assert.ok(tm && to && tm !== to, 'memory types differ across versions');
		assert.match(tm, /migrate_to_ram/, '6.1 requires migrate_to_ram for PRIVATE');

		const dm = await modern.definition('devm_memremap_pages(');
		const dold = await old.definition('devm_memremap_pages(');
		assert.ok(dm.some((l) => l.uri.endsWith('/mm/memremap.c')), JSON.stringify(dm));
		assert.ok(dold.some((l) => l.uri.endsWith('/kernel/memremap.c')), JSON.stringify(dold));
		const ds = await modern.definition('dev_pagemap drv_pgmap');
		assert.ok(ds.some((l) => l.uri.endsWith('/include/linux/memremap.h')), JSON.stringify(ds));
	} finally {
		await modern.client.stop();
		await old.client.stop();
	}
});

test('hover and definition reject bad params and answer null off-symbol', async () => {
	const s = await session(MODERN);
	try {
		await assert.rejects(s.client.connection.sendRequest('textDocument/hover', { textDocument: {}, position: { line: 'x' } }), (e: { code?: number }) => e.code === -32602);
		await assert.rejects(s.client.connection.sendRequest('textDocument/definition', {}), (e: { code?: number }) => e.code === -32602);
		const none = await s.client.connection.sendRequest('textDocument/hover', {
			textDocument: { uri: 'file:///not/open.c' },
			position: { line: 0, character: 0 },
		});
		assert.equal(none, null);
		assert.equal(await s.hover('static int'), null);
	} finally {
		await s.client.stop();
	}
});
