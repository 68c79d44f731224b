import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blankComments, blankNonCode, LineMap, matchingBracket, skipLiteral } from '../../src/engine/lex';

/** Offsets and line structure are what every scanner relies on. */
function sameShape(out: string, src: string): void {
	assert.equal(out.length, src.length);
	assert.deepEqual(
		out.split('\n').map((l) => l.length),
		src.split('\n').map((l) => l.length),
	);
}

test('blankComments keeps offsets and newlines, leaves strings alone', () => {
	const src = 'a /* x\ny */ b // c\n"/* not a comment */" \'/\'';
	const out = blankComments(src);
	sameShape(out, src);
	assert.equal(out, 'a     \n     b     \n"/* not a comment */" \'/\'');
});

test('blankComments: quotes inside comments, comment markers inside literals, an unterminated comment', () => {
	const src = "x = '\"'; /* it's \"quoted\" */ y = \"a // b\\\" /* c\"; z\n/* open";
	const out = blankComments(src);
	sameShape(out, src);
	const comment = '/* it\'s "quoted" */';
	assert.equal(out, src.replace(comment, ' '.repeat(comment.length)).replace('/* open', ' '.repeat(7)));
});

test('blankNonCode blanks comments, literals and directives with continuations', () => {
	const src = [
		'#define F(x) \\',
		'\tcall(x)',
		'int f(void) { g("(", \'{\'); /* ( */ return h(1); } // )',
		'  # include <x.h>',
	].join('\n');
	const out = blankNonCode(src);
	sameShape(out, src);
	const lines = out.split('\n');
	assert.equal(lines[0].trim(), '');
	assert.equal(lines[1].trim(), '', 'the continuation line is part of the directive');
	assert.equal(lines[2].trimEnd(), 'int f(void) { g(   ,    );         return h(1); }');
	assert.equal(lines[3].trim(), '');
	const open = out.indexOf('{');
	assert.equal(matchingBracket(out, open), out.lastIndexOf('}'));
});

test('blankNonCode: an unterminated comment runs to the end, an unterminated literal to its line end', () => {
	const src = 'a(1);\n/* never closed\nb(2);\nc("open\nd(3);';
	const out = blankNonCode(src);
	sameShape(out, src);
	assert.equal(out, 'a(1);\n               \n     \n       \n     ');
	const lit = 'c("open\nd(3);';
	assert.equal(blankNonCode(lit), 'c(     \nd(3);');
});

test('blankNonCode: an escaped newline inside a literal continues it, a char literal of a quote is one literal', () => {
	const src = 's = "one \\\ntwo"; c = \'"\'; d(x);';
	const out = blankNonCode(src);
	sameShape(out, src);
	assert.equal(out, 's =       \n    ; c =    ; d(x);');
});

test('blankNonCode does not backtrack on long runs', () => {
	const src = `/*${'*'.repeat(200_000)}x`;
	assert.equal(blankNonCode(src).trim(), '');
	const str = `"${'\\\\'.repeat(100_000)}`;
	assert.equal(blankNonCode(str).trim(), '');
});

test('skipLiteral stops after the closing quote, past escapes, or at the newline', () => {
	assert.equal(skipLiteral('"a\\"b" x', 0), 6);
	assert.equal(skipLiteral("'\\''", 0), 4);
	assert.equal(skipLiteral('"abc\ndef"', 0), 4);
	assert.equal(skipLiteral('"abc', 0), 4);
});

test('matchingBracket nests and gives -1 when unbalanced', () => {
	assert.equal(matchingBracket('f(a(b), [c])', 1), 11);
	assert.equal(matchingBracket('x[a[1]]', 1), 6);
	assert.equal(matchingBracket('{ { }', 0), -1);
});

test('LineMap maps offsets to positions and back, in any order', () => {
	const text = 'ab\r\ncd\n\nlast';
	const map = new LineMap(text);
	assert.deepEqual(map.position(text.length), { line: 3, character: 4 });
	assert.deepEqual(map.position(0), { line: 0, character: 0 });
	assert.deepEqual(map.position(5), { line: 1, character: 1 });
	assert.deepEqual(map.position(7), { line: 2, character: 0 });
	for (let off = 0; off <= text.length; off++) {
		const fresh = new LineMap(text);
		const p = fresh.position(off);
		if (text[off - 1] === '\r') continue; // between \r and \n: no position of its own
		assert.equal(new LineMap(text).offset(p), off, `offset ${off}`);
	}
	assert.equal(map.lineCount, 4);
	assert.equal(map.lineStart(3), 8);
	assert.equal(map.lineStart(9), text.length);
	assert.deepEqual(map.range(4, 6), { start: { line: 1, character: 0 }, end: { line: 1, character: 2 } });
});

test('LineMap.offset: a column past the line end is the line end (before \\r\\n), a line past the end is the text end', () => {
	const text = 'ab\r\ncd\nef';
	const map = new LineMap(text);
	assert.equal(map.offset({ line: 0, character: 99 }), 2);
	assert.equal(map.offset({ line: 1, character: 99 }), 6);
	assert.equal(map.offset({ line: 2, character: 99 }), text.length);
	assert.equal(map.offset({ line: 7, character: 0 }), text.length);
	assert.equal(new LineMap('').offset({ line: 0, character: 3 }), 0);
});
