/**
 * Backslash-continued lines are joined in linear time, as cpp and make join them: a flood of
 * 100k continuation lines completes (the benchmark measures how fast), and what follows it is
 * still read at the right line. The floods run in a child process, so that a quadratic join
 * (over 100 s here) fails the test at the bound instead of stalling it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { conditionals } from '../../src/engine/syntax/conditionals';
import { parseMakefile } from '../../src/engine/kernel/kbuild';
import { REPO } from '../helpers/paths';

const LINES = 100_000;
/** 30 characters a line: a 3 MB file, under the source bound. */
const WORD = 'x'.repeat(30);

/** What `expression` (over `conditionals` and `parseMakefile`) gives, computed in a child bounded to 60 s. */
function bounded(expression: string): unknown {
	const script = `
		const { conditionals } = require(${JSON.stringify(join(REPO, 'server/src/engine/syntax/conditionals.ts'))});
		const { parseMakefile } = require(${JSON.stringify(join(REPO, 'server/src/engine/kernel/kbuild.ts'))});
		const LINES = ${LINES}, WORD = ${JSON.stringify(WORD)};
		process.stdout.write(JSON.stringify(${expression}));`;
	const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: REPO, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 << 20 });
	assert.equal(r.status, 0, `did not complete: ${r.signal ?? r.stderr}`);
	return JSON.parse(r.stdout);
}

test('conditionals(): a #define continued over 100k lines, then an #if 0 block', () => {
	const dead = bounded(
		'conditionals(`#define BIG \\\\\\n${`\\t${WORD} \\\\\\n`.repeat(LINES)}\\ty\\n#if 0\\nint dead;\\n#endif\\n#if 1 && \\\\\\n 0\\nint dead2;\\n#endif\\n`).dead',
	);
	assert.deepEqual(dead, [
		{ start: LINES + 3, end: LINES + 3 },
		{ start: LINES + 7, end: LINES + 7 },
	]);
});

test('parseMakefile(): obj-m continued over 100k lines, then another statement', () => {
	const nodes = bounded('parseMakefile(`obj-m := a.o \\\\\\n${`\\t${WORD}.o \\\\\\n`.repeat(LINES)}\\tc.o\\nobj-y += d.o\\n`)') as ReturnType<typeof parseMakefile>;
	assert.equal(nodes.length, 2);
	const [first, second] = nodes;
	assert.ok(first.kind === 'assign' && second.kind === 'assign');
	assert.equal(first.value.split(' ').length, LINES + 2);
	assert.match(first.value, new RegExp(`^a\\.o ${WORD}\\.o .* c\\.o$`));
	assert.equal(second.line, LINES + 3);
	assert.equal(second.value, 'd.o');
});

test('joining keeps cpp’s and make’s rules: an empty piece adds no space, an even run of backslashes ends the line', () => {
	assert.deepEqual(
		parseMakefile('x := a \\\n   \\\n b\ny := c \\\\\nz := d\n').map((n) => (n.kind === 'assign' ? `${n.name}=${n.value}` : n.kind)),
		['x=a b', 'y=c \\\\', 'z=d'],
	);
	assert.deepEqual(conditionals('#if \\\n0\nint a;\n#endif\n', undefined).dead, [{ start: 2, end: 2 }]);
});
