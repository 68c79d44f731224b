/**
 * A replacement parser that fails to load is reported, not swallowed, and tried again: the
 * runtime's failure is simulated (an exception out of wasm code, as `faulted` sees one) and
 * the grammars taken away while it reloads.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { faulted, loadSyntax, onRestart, parseC, release, syntaxAlive } from '../../src/engine/syntax/parser';

function nextRestart(): Promise<Error | undefined> {
	return new Promise((resolve) => {
		let done = false;
		onRestart((failure) => {
			if (done) return;
			done = true;
			resolve(failure);
		});
	});
}

test('a parser that cannot be reloaded says why, and a later parse brings it back', { timeout: 60_000 }, async () => {
	await loadSyntax();
	release(parseC('int x;\n'));
	const empty = mkdtempSync(join(tmpdir(), 'kmm-no-grammars-'));
	const saved = process.env.KMM_GRAMMARS_DIR;
	try {
		process.env.KMM_GRAMMARS_DIR = empty;
		const failed = nextRestart();
		assert.equal(faulted(Object.assign(new Error('unreachable'), { name: 'RuntimeError' })), true);
		assert.equal(syntaxAlive(), false);
		const failure = await failed;
		assert.ok(failure, 'the failed reload is reported');
		assert.match(failure.message, /tree-sitter|wasm|ENOENT|no such file/i);
		assert.throws(() => parseC('int y;\n'), /restarting/);

		// The grammars are back; once the retry delay has passed, a parse starts the reload.
		if (saved === undefined) delete process.env.KMM_GRAMMARS_DIR;
		else process.env.KMM_GRAMMARS_DIR = saved;
		await new Promise((resolve) => setTimeout(resolve, 5100));
		const back = nextRestart();
		assert.throws(() => parseC('int z;\n'), /restarting/);
		assert.equal(await back, undefined);
		const tree = parseC('int z;\n');
		assert.equal(tree.rootNode.type, 'translation_unit');
		release(tree);
	} finally {
		if (saved === undefined) delete process.env.KMM_GRAMMARS_DIR;
		else process.env.KMM_GRAMMARS_DIR = saved;
		rmSync(empty, { recursive: true, force: true });
	}
});
