/**
 * Ops tables at any conditional depth, and no deep expression in their way (issue #15): the
 * document's facts (the editor's call hierarchy) and the lexical scan (the index's ops
 * dispatch) find the same table under 24 nested `#if`s; the facts used to miss one under
 * more than ~6, and searching for tables used to walk a huge expression's whole tree.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanOps } from '../../src/engine/kernel/opsscan';
import { extractFacts, type DocumentFacts } from '../../src/engine/syntax/facts';
import { loadSyntax, parseC, release } from '../../src/engine/syntax/parser';
import { prepareSource } from '../../src/engine/syntax/prepare';
import { FIXTURES } from '../helpers/paths';

const DEEP = readFileSync(join(FIXTURES, 'sources', 'ops-deep-conditionals.c'), 'utf8');

async function factsOf(text: string): Promise<DocumentFacts> {
	await loadSyntax();
	const tree = parseC(prepareSource(text));
	try {
		return extractFacts(tree, text, undefined);
	} finally {
		release(tree);
	}
}

test('an ops table under 24 nested #ifs: the facts and the lexical scan both find its entries', async () => {
	const facts = await factsOf(DEEP);
	const entries = (list: [string, string | undefined][]) => list.map(([m, f]) => `${m}=${f}`).sort();
	const fromFacts = facts.opsTables.flatMap((t) => t.entries.map((e): [string, string | undefined] => [`${t.struct}.${t.variable}.${e.field}`, e.name]));
	assert.deepEqual(entries(fromFacts), ['deep_ops.deep_table.open=deep_open', 'deep_ops.deep_table.release=deep_release']);
	const fromScan = scanOps(DEEP)
		.bindings.filter((b) => b.kind === 'initializer')
		.map((b): [string, string | undefined] => [`${b.struct}.${b.table}.${b.member}`, b.fn]);
	assert.deepEqual(entries(fromScan), entries(fromFacts));
});

test('a table after a 200k-term initializer expression is found, and the expression gives its uses', async () => {
	const huge = `int x = ${`${'a+'.repeat(1000)}\n`.repeat(200)}a;\n`;
	const facts = await factsOf(`${huge}${DEEP}`);
	assert.deepEqual(
		facts.opsTables.map((t) => t.variable),
		['deep_table'],
	);
	assert.equal(facts.uses.filter((u) => u.name === 'a').length, 200_001);
});
