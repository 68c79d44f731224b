/**
 * The language server with only a distribution's headers configured (Debian's
 * linux-headers-6.1.0-56-amd64, as scripts/install-headers.sh installs it): a fixture driver
 * gets the diagnostics its EXPECTED file grounds in the real modpost, and the status says
 * that a headers tree has no call graph.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestClient } from '../helpers/lsp-client';
import { DRIVERS } from '../helpers/paths';
import { findingKey, kindOfCode, realExpected, requireHeaders, symbolOf } from '../helpers/modpost';

/** Fixtures whose verdicts span the checks: inline reach, macros, namespaces, undefined symbols. */
const CASES: [string, string[]][] = [
	['pdev-proprietary', ['pdev.c']],
	['unexported-proprietary', ['unexpprop.c']],
	['ns-dmabuf-proprietary', ['nsdmaprop.c']],
	['macro-calls', ['macrocall.c']],
	// A sibling module's exports, and a source linked into a GPL and a Proprietary module.
	['pkg-siblings', ['pkgusr.c', 'pkgok.c']],
	['pkg-shared-source', ['shcommon.c']],
];

test('a driver checked against the headers package alone gets its modpost verdicts', async (t) => {
	const headers = requireHeaders(t);
	if (!headers) return;
	const cacheDir = mkdtempSync(join(tmpdir(), 'kmm-lsp-headers-'));
	const client = await TestClient.start({ initializationOptions: { kernelPath: headers, cacheDir } });
	try {
		for (const [fixture, files] of CASES) {
			const dir = join(DRIVERS, fixture);
			const expected = realExpected(dir);
			const got: string[] = [];
			for (const file of files) {
				const path = join(dir, file);
				const text = readFileSync(path, 'utf8');
				for (const d of await client.diagnosticsFor(client.open(path, text))) {
					const code = String(d.code);
					const kind = kindOfCode(code);
					if (!kind) continue;
					const line = d.range.start.line + 1;
					const symbol = symbolOf({ file, line, column: d.range.start.character + 1, endLine: d.range.end.line + 1, endColumn: d.range.end.character + 1, severity: '', code, message: d.message }, text);
					got.push(findingKey({ module: expected.findings[0]?.module ?? '', kind, symbol }));
				}
			}
			const want = expected.findings.map((f) => findingKey({ ...f, module: expected.findings[0].module }));
			assert.deepEqual([...new Set(got)].sort(), [...new Set(want)].sort(), `${fixture} against ${headers}`);
		}
		const status = client.notifications.filter((n) => n.method === 'kmm/status').map((n) => n.params as { state: string; message: string; note?: string });
		const ready = status.filter((s) => s.state === 'ready').at(-1);
		assert.ok(ready, JSON.stringify(status));
		assert.match(ready.message, /headers only: no call graph/);
		assert.equal(ready.note, 'headers only: no call graph');
	} finally {
		await client.stop();
		rmSync(cacheDir, { recursive: true, force: true });
	}
});
