import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { URI } from 'vscode-uri';
import { TestClient } from '../helpers/lsp-client';
import { MODERN } from '../helpers/paths';
import { kernelAs, writeModule } from '../helpers/module';

const USER = 'int drv_go(void)\n{\n\treturn memremap_pages(0, 0) ? 0 : -1;\n}\nMODULE_LICENSE("Proprietary");\n';

test('a changed export in the kernel tree (watched file) re-indexes it and re-validates open documents', async () => {
	const kernel = kernelAs(MODERN, 6, 1);
	const dir = writeModule({ Kbuild: 'obj-m := drv.o\n', 'drv.c': USER });
	const client = await TestClient.start({ initializationOptions: { kernelPath: kernel } });
	try {
		const uri = client.open(join(dir, 'drv.c'));
		assert.ok((await client.diagnosticsFor(uri)).some((d) => d.message.includes("'memremap_pages'")));
		const file = join(kernel, 'mm/memremap.c');
		writeFileSync(file, readFileSync(file, 'utf8').replace('EXPORT_SYMBOL_GPL(memremap_pages);', 'EXPORT_SYMBOL(memremap_pages);'));
		const before = client.published.length;
		void client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: URI.file(file).toString(), type: 2 }] });
		await client.waitFor(() => client.published.length > before && client.published.at(-1)?.uri === uri, 10_000, 're-publish');
		await client.connection.sendRequest('kmm/idle');
		assert.deepEqual(client.diagnostics.get(uri)?.diagnostics.filter((d) => d.code === 'gpl-only-symbol'), []);
	} finally {
		await client.stop();
	}
});

test('a second server start loads the index from the cache directory it is given', async () => {
	const cacheDir = mkdtempSync(join(tmpdir(), 'kmm-cachedir-'));
	for (const round of [1, 2]) {
		const client = await TestClient.start({ initializationOptions: { kernelPath: MODERN, cacheDir } });
		try {
			await client.connection.sendRequest('kmm/idle');
			const line = client.logs.find((l) => l.startsWith('kmm: indexed'));
			assert.ok(line, client.logs.join('\n'));
			assert.match(line, round === 1 ? /from scratch/ : /from cache, 0 files re-read/);
		} finally {
			await client.stop();
		}
	}
});

test('an untrusted workspace (trusted: false) writes no cache', async () => {
	const cacheDir = mkdtempSync(join(tmpdir(), 'kmm-untrusted-'));
	const client = await TestClient.start({ initializationOptions: { kernelPath: MODERN, cacheDir, trusted: false } });
	try {
		await client.connection.sendRequest('kmm/idle');
		assert.ok(client.logs.some((l) => l.startsWith('kmm: indexed')));
		assert.deepEqual(readdirSync(cacheDir), []);
	} finally {
		await client.stop();
	}
});
