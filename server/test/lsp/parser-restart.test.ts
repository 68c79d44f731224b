/**
 * A wasm abort in tree-sitter (here: its 2 GB heap exhausted by open documents of 8 MiB, each
 * within the bounds) is contained: the runtime is replaced, edits during the restart keep the
 * text, the open documents parse again, the text that failed is not parsed again (it gets one
 * finding), and trees of the failed runtime are hidden, dead but harmless.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { URI } from 'vscode-uri';
import { Engine } from '../../src/engine/engine';
import { buildKernelIndex } from '../../src/engine/kernel/build';
import { isLive } from '../../src/engine/syntax/parser';
import { DocumentStore } from '../../src/lsp/documents';
import { MODERN } from '../helpers/paths';

test('after an abort the parser is back: documents parse again, the failing text gets document-too-large', async () => {
	const engine = await Engine.create(buildKernelIndex(MODERN));
	const store = new DocumentStore(engine);
	let restarts = 0;
	engine.onParserRestart(() => restarts++);
	const small = 'file:///tmp/kmm-small.c';
	store.open(small, 'c', 1, 'int before;\n');
	// Each within the size bounds (8 MiB, short lines); together more than the heap holds.
	const hostile = 'int a;\n'.repeat((8 << 20) / 8);
	const uris: string[] = [];
	for (let i = 0; i < 6 && (uris.length === 0 || store.get(uris[uris.length - 1])?.tree); i++) {
		uris.push(`file:///tmp/kmm-hostile-${i}.c`);
		store.open(uris[i], 'c', 1, hostile);
	}
	const failed = uris[uris.length - 1];
	assert.equal(store.get(failed)?.tree, undefined, 'the heap ran out');
	assert.equal(store.get(uris[0])?.tree, undefined, 'trees of the failed runtime are hidden until parsed again');

	// While the parser restarts, an edit still takes: the text is right, the tree comes later.
	store.change(small, 2, [{ range: { start: { line: 0, character: 4 }, end: { line: 0, character: 10 } }, text: 'after' }]);
	assert.equal(store.get(small)?.doc.getText(), 'int after;\n');
	await engine.parserReady();
	assert.equal(restarts, 1);

	// What the server does on a restart, after the user closed most of the big documents.
	for (const uri of uris.slice(0, -2)) store.close(uri);
	store.reparseAll();
	const tree = store.get(small)?.tree;
	assert.ok(tree && isLive(tree));
	assert.equal(tree.rootNode.firstChild?.type, 'declaration');
	assert.ok(engine.facts(tree, 'int after;\n').variables.has('after'), 'queries and cursors work on the new runtime');
	const kept = store.get(uris[uris.length - 2])?.tree;
	assert.ok(kept && isLive(kept), 'an open document parses again');

	assert.equal(store.get(failed)?.tree, undefined, 'the failing text is not parsed again');
	const findings = engine.inspect(URI.parse(failed).fsPath, hostile)?.findings ?? [];
	assert.deepEqual(findings.map((f) => f.code), ['document-too-large']);
	assert.match(findings[0].message, /parser failed on it \(Aborted\(\)/);
	store.change(failed, 2, [{ text: 'int fixed;\n' }]);
	const fixed = store.get(failed)?.tree;
	assert.ok(fixed && isLive(fixed), 'a changed text is parsed again');
	assert.equal(restarts, 1, 'and nothing failed again');
	store.dispose();
});

test('after a restart the open documents are parsed again smallest first', async () => {
	const engine = await Engine.create();
	const parsed: string[] = [];
	const parseDocument = engine.parseDocument.bind(engine);
	engine.parseDocument = (file, text, prepared, previous) => {
		parsed.push(file);
		return parseDocument(file, text, prepared, previous);
	};
	const store = new DocumentStore(engine);
	const sizes = { big: 4000, small: 10, medium: 300 };
	for (const [name, n] of Object.entries(sizes)) store.open(`file:///tmp/kmm-${name}.c`, 'c', 1, 'int a;\n'.repeat(n));
	parsed.length = 0;
	store.reparseAll();
	assert.deepEqual(parsed, ['/tmp/kmm-small.c', '/tmp/kmm-medium.c', '/tmp/kmm-big.c']);
	store.dispose();
});
