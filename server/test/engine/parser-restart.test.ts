/**
 * A wasm abort in tree-sitter (here: its 2 GB heap exhausted by open documents of 8 MiB, each
 * within the bounds) is contained: the runtime is replaced, later documents parse, the text
 * that failed is not parsed again (it gets one finding), and trees of the failed runtime are
 * dead but harmless, released or left to their finalizers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../src/engine/engine';
import { buildKernelIndex } from '../../src/engine/kernel/build';
import { isLive, release, type Tree } from '../../src/engine/syntax/parser';
import { MODERN } from '../helpers/paths';

test('after an abort the parser is back, the failing text gets document-too-large, other documents parse', async () => {
	const engine = await Engine.create(buildKernelIndex(MODERN));
	let restarts = 0;
	engine.onParserRestart(() => restarts++);
	const before = engine.parse('int before;\n');
	// Each within the size bounds (8 MiB, short lines); together more than the 2 GB heap holds.
	const hostile = 'int a;\n'.repeat((8 << 20) / 8);
	const held: Tree[] = [];
	let file = '';
	for (let i = 0; i < 6 && held.length === i; i++) {
		file = `/tmp/kmm-hostile-${i}.c`;
		engine.setOverlay(file, hostile);
		const tree = engine.parseDocument(file, hostile, hostile);
		if (tree) held.push(tree);
	}
	assert.ok(held.length < 6, 'the heap ran out');
	assert.throws(() => engine.parse('int x;\n'), /restarting/, 'no parse on the failed runtime');
	await engine.parserReady();
	assert.equal(restarts, 1);
	assert.equal(isLive(before), false, 'a tree of the failed runtime is dead');
	release(before);
	// The others are dropped unreleased: their finalizers must not call into the dead instance.
	held.length = 0;

	const tree = engine.parse('static int f(void) { return g(); }\n');
	assert.equal(tree.rootNode.firstChild?.type, 'function_definition');
	assert.ok(engine.facts(tree, 'static int f(void) { return g(); }\n').functions.has('f'), 'queries and cursors work on the new runtime');
	release(tree);

	assert.equal(engine.parseDocument(file, hostile, hostile), undefined, 'the failing text is not parsed again');
	const findings = engine.inspect(file, hostile)?.findings ?? [];
	assert.deepEqual(findings.map((f) => f.code), ['document-too-large']);
	assert.match(findings[0].message, /parser failed on it \(Aborted\(\)/);
	assert.equal(restarts, 1, 'and nothing failed again');

	const fixedText = 'int fixed;\n';
	const fixed = engine.parseDocument(file, fixedText, fixedText);
	assert.ok(fixed && isLive(fixed), 'a changed text is parsed again');
	release(fixed);
});
