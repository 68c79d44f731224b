/** False negatives found by mutating the fixture drivers: each mutation keeps the finding. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandMacro, type MacroDef } from '../../src/engine/syntax/facts';
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

test('expandMacro paints names being expanded, in cycles too, and only those', () => {
	const defs = new Map<string, Partial<MacroDef>>([
		['f', { calls: ['g'], references: [] }],
		['g', { calls: ['f', 'h'], references: [] }],
		['h', { calls: ['k'], references: [] }],
	]);
	const use = { name: 'f', kind: 'call' as const, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } };
	const reached = expandMacro((n) => defs.get(n) as MacroDef | undefined, use);
	assert.deepEqual(
		reached.map((u) => `${u.name}${u.painted ? '*' : ''}`),
		['g', 'f*', 'h', 'k'],
	);
});
