/**
 * Compile-time choices an expansion's arguments decide (engine/syntax/choices.ts): the
 * shapes of 6.1's DEFINE_DEBUGFS_ATTRIBUTE_XSIGNED and bitrev32, written here in our words.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { argumentFact, callArguments, foldChoices, type ArgumentFact } from '../../src/engine/syntax/choices';

const facts = (entries: [string, ArgumentFact][]) => new Map(entries);

test('a literal argument picks the arm of a ternary on its parameter', () => {
	const body = ' .write = (__signed) ? drv_write_signed : drv_write, .read = drv_read,';
	assert.match(foldChoices(body, facts([['__signed', { literal: 'false', constant: true }]])), /=\s*drv_write\s*, \.read/);
	assert.match(foldChoices(body, facts([['__signed', { literal: 'true', constant: true }]])), /=\s*drv_write_signed\s*, \.read/);
	// Nothing known: the text stays as written.
	assert.equal(foldChoices(body, new Map()), body);
});

test('__builtin_constant_p of a runtime value, through a local, takes the runtime arm', () => {
	const body = '({ u32 __v = x; __builtin_constant_p(__v) ? __const_rev(__v) : __rev(__v); })';
	const folded = foldChoices(body, facts([['x', { constant: false }]]));
	assert.doesNotMatch(folded, /__const_rev|__builtin_constant_p|\?/);
	assert.match(folded, /__rev\(__v\)/);
	assert.match(foldChoices(body, facts([['x', { literal: '3', constant: true }]])), /__const_rev\(__v\)/);
});

test('a condition that is only part of an expression is not folded', () => {
	const body = 'n + 1 ? a : b';
	assert.equal(foldChoices(body, facts([['n', { literal: '0', constant: true }]])), '0 + 1 ? a : b');
});

test('pasted and member names are not replaced by the literal', () => {
	const folded = foldChoices('p->flag = flag ## _x + s.flag', facts([['flag', { literal: '1', constant: true }]]));
	assert.equal(folded, 'p->flag = flag ## _x + s.flag');
});

test('argument facts: literals through parentheses, calls of runtime functions, nothing else', () => {
	const runtime = (name: string) => name === 'crc_le';
	assert.deepEqual(argumentFact(' (false) ', runtime), { literal: 'false', constant: true });
	assert.deepEqual(argumentFact('0x10UL', runtime), { literal: '0x10UL', constant: true });
	assert.deepEqual(argumentFact('crc_le(~0, data, len)', runtime), { constant: false });
	assert.equal(argumentFact('other(1)', runtime), undefined);
	assert.equal(argumentFact('crc_le(a) + 1', runtime), undefined);
});

test('callArguments splits at the top level only', () => {
	assert.deepEqual(callArguments('X(a, f(b, c), { d, e }, "s")', 'X'), ['a', ' f(b, c)', ' { d, e }', ' "s"']);
	assert.equal(callArguments('Y(a)', 'X'), undefined);
	assert.equal(callArguments('MY_X(a)', 'X'), undefined);
});
