/** Every check through the protocol, as an editor sees it (the others have their own files too). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { URI } from 'vscode-uri';
import { TestClient } from '../helpers/lsp-client';
import { DRIVERS, MODERN, V419 } from '../helpers/paths';
import { kernelAs, writeModule } from '../helpers/module';

test('6.1: all module checks on one server, each with source, code and docs link', async () => {
	const noLicense = writeModule({ Kbuild: 'obj-m := nolic.o\n', 'nolic.c': 'static int __init nolic_init(void)\n{\n\treturn 0;\n}\nmodule_init(nolic_init);\n' });
	const client = await TestClient.start({ initializationOptions: { kernelPath: MODERN } });
	try {
		const want: [string, string, string][] = [
			[join(DRIVERS, 'pdev-proprietary', 'pdev.c'), 'gpl-only-symbol', "'devm_memremap_pages'"],
			[join(DRIVERS, 'ns-missing', 'nsuser.c'), 'missing-namespace-import', 'from namespace FAKEMEM'],
			[join(noLicense, 'nolic.c'), 'missing-module-license', 'missing MODULE_LICENSE() in nolic.o'],
			[join(DRIVERS, 'hmm-legacy', 'hmmdrv.c'), 'removed-api', 'hmm_devmem_add() was removed in Linux 5.3'],
			[join(DRIVERS, 'unexported', 'unexp.c'), 'unexported-symbol', '"vm_insert_internal_page" [unexp.ko] undefined!'],
			// A sibling module's export, and a source linked into a GPL and a Proprietary module.
			[join(DRIVERS, 'pkg-subdirs', 'user', 'subuser.c'), 'gpl-only-symbol', "module user/subuser.ko uses GPL-only symbol 'subcore_claim'"],
			[join(DRIVERS, 'pkg-shared-source', 'shcommon.c'), 'gpl-only-symbol', "module shprop.ko uses GPL-only symbol 'memremap_pages'"],
		];
		for (const [file, code, text] of want) {
			const uri = client.open(file);
			const d = (await client.diagnosticsFor(uri)).find((x) => x.code === code && x.message.includes(text));
			assert.ok(d, `${code} in ${file}`);
			assert.ok(d.message.includes(text), d.message);
			assert.equal(d.source, 'kmm');
			assert.ok(d.codeDescription?.href.endsWith(`/docs/checks/${code}.md`));
		}
	} finally {
		await client.stop();
	}
});

test('4.19: export-license-leak on the EXPORT line of hmm_devmem_add, and the export audit report', async () => {
	const client = await TestClient.start({ rootPath: V419 });
	try {
		const file = join(V419, 'mm/hmm.c');
		const uri = client.open(file);
		const leaks = (await client.diagnosticsFor(uri)).filter((d) => d.code === 'export-license-leak');
		const add = leaks.find((d) => d.message.startsWith('hmm_devmem_add is exported with EXPORT_SYMBOL'));
		assert.ok(add, JSON.stringify(leaks));
		assert.equal(add.severity, 3);
		assert.match(add.message, /region_intersects/);
		const report = (await client.connection.sendRequest('kmm/exportAudit', { uri: URI.file(file).toString() })) as { markdown: string };
		assert.match(report.markdown, /^# Export audit: mm\/hmm\.c/);
		assert.match(report.markdown, /## `hmm_devmem_add` — `EXPORT_SYMBOL` at \[mm\/hmm\.c:\d+\]\(file:\/\//);
		assert.match(report.markdown, /GPL-only export `region_intersects`/);
	} finally {
		await client.stop();
	}
});

test('an edit saved to disk that removes a call takes its finding away (derived call-graph data is dropped)', async () => {
	const tree = kernelAs(V419, 4, 19);
	const file = join(tree, 'mm/hmm.c');
	const client = await TestClient.start({ rootPath: tree });
	try {
		const uri = client.open(file);
		const before = (await client.diagnosticsFor(uri)).find((d) => d.code === 'export-license-leak' && d.message.startsWith('hmm_devmem_add is'));
		assert.match(before?.message ?? '', /region_intersects/);
		// Saved as an editor does: the new text, the file on disk, the watched-files event.
		const text = readFileSync(file, 'utf8').replace(/region_intersects\(/g, 'drv_region_free(');
		writeFileSync(file, text);
		const version = client.applyEdits(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: text.split('\n').length + 1, character: 0 } }, newText: text }]);
		void client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 2 }] });
		const after = (await client.diagnosticsFor(uri, version)).filter((d) => d.code === 'export-license-leak');
		assert.ok(after.every((d) => !/region_intersects/.test(d.message)), JSON.stringify(after.map((d) => d.message)));
	} finally {
		await client.stop();
	}
});
