/** False negatives found by mutating the fixture drivers: each mutation keeps the finding. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandMacro, extractFacts, type MacroDef } from '../../src/engine/syntax/facts';
import { createCParser } from '../../src/engine/syntax/parser';
import { prepareSource } from '../../src/engine/syntax/prepare';
import { kmm } from '../helpers/run';
import { DRIVERS, MODERN } from '../helpers/paths';

test('a self-referential macro still yields the call: cpp does not expand a macro inside itself', () => {
	const dir = join(mkdtempSync(join(tmpdir(), 'kmm-mutation-')), 'pdev');
	try {
		cpSync(join(DRIVERS, 'pdev-proprietary'), dir, { recursive: true });
		const file = join(dir, 'pdev.c');
		const text = readFileSync(file, 'utf8').replace('#define PDEV_BAR', '#define devm_memremap_pages(a, b) devm_memremap_pages(a, b)\n#define PDEV_BAR');
		writeFileSync(file, text);
		const r = kmm(['check', dir, '--kernel', MODERN]);
		assert.equal(r.status, 1, r.stderr);
		assert.match(r.stdout, /pdev\.c:39:\d+: error: .*GPL-only symbol 'devm_memremap_pages'/);
	} finally {
		rmSync(join(dir, '..'), { recursive: true, force: true });
	}
});

test('expandMacro paints names being expanded, in cycles too, and lists what the macros reach, not the macros', () => {
	const defs = new Map<string, Partial<MacroDef>>([
		['f', { calls: ['g'], references: [] }],
		['g', { calls: ['f', 'h'], references: [] }],
		['h', { calls: ['k'], references: [] }],
	]);
	const use = { name: 'f', kind: 'call' as const, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } };
	const reached = expandMacro((n) => defs.get(n) as MacroDef | undefined, use);
	assert.deepEqual(
		reached.map((u) => `${u.name}${u.painted ? '*' : ''}`),
		['f*', 'k'],
	);
});

test('a 5,000-macro chain used 5,000 times: each use reaches the function once, the chain is walked once', async () => {
	const chain = ['#define M0(x) devm_memremap_pages(x, 0)', ...Array.from({ length: 4999 }, (_, i) => `#define M${i + 1}(x) M${i}(x)`)];
	const calls = Array.from({ length: 5000 }, (_, i) => `\tM${i}(p);`);
	const text = `${chain.join('\n')}\nvoid f(void *p)\n{\n${calls.join('\n')}\n}\n`;
	const parser = await createCParser();
	const tree = parser.parse(prepareSource(text));
	assert.ok(tree);
	try {
		// Listing every macro passed through made 12.5M uses here (about 1.7 GB).
		const facts = extractFacts(tree, text, undefined);
		const reached = facts.uses.filter((u) => u.viaMacro !== undefined);
		assert.equal(reached.length, 5000);
		assert.ok(reached.every((u) => u.name === 'devm_memremap_pages' && u.kind === 'call'));
	} finally {
		tree.delete();
	}
});
