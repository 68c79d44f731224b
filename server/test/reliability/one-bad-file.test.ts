/**
 * One bad file never costs the others their findings: `kmm check` reports a file it could
 * not analyse as skipped, with the reason, and exits by the findings of the rest.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCheck } from '../../src/cli/check';
import { Engine } from '../../src/engine/engine';
import { kmm } from '../helpers/run';
import { DRIVERS, MODERN } from '../helpers/paths';

const PDEV_FINDINGS = /pdev\.c:38:\d+: error: .*'devm_memremap_pages'/;

function driverWith(files: Record<string, string>): string {
	const dir = join(mkdtempSync(join(tmpdir(), 'kmm-bad-file-')), 'pdev');
	cpSync(join(DRIVERS, 'pdev-proprietary'), dir, { recursive: true });
	for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
	return dir;
}

test('a failure inside one file’s analysis is that file’s skipped line; the others are still checked', async () => {
	const dir = driverWith({ 'boom.c': 'int boom;\n' });
	const cache = mkdtempSync(join(tmpdir(), 'kmm-bad-file-cache-'));
	const analyze = Engine.prototype.analyze;
	Engine.prototype.analyze = function (this: Engine, file: string, text: string) {
		if (file.endsWith('boom.c')) throw new RangeError('Maximum call stack size exceeded');
		return analyze.call(this, file, text);
	};
	try {
		let out = '';
		let err = '';
		const status = await runCheck([dir], { format: 'text', kernels: [MODERN], cacheDir: cache }, (s) => void (out += s), (s) => void (err += s));
		assert.equal(status, 1);
		assert.match(out, PDEV_FINDINGS);
		assert.match(err, /^kmm: skipped \S*boom\.c: internal error: Maximum call stack size exceeded$/m);
	} finally {
		Engine.prototype.analyze = analyze;
		rmSync(join(dir, '..'), { recursive: true, force: true });
		rmSync(cache, { recursive: true, force: true });
	}
});

test('a 5M-term expression is skipped as too large; a 1M-term one is analysed; the module keeps its findings', () => {
	const dir = driverWith({});
	try {
		// Lines of 1,000 terms: a line over 64 Ki characters is document-too-large before any parse.
		const terms = (n: number) => `int x = ${`${'a+'.repeat(1000)}\n`.repeat(Math.floor(n / 1000))}a;\n`;
		writeFileSync(join(dir, 'huge.c'), terms(5_000_000));
		appendFileSync(join(dir, 'pdev.c'), terms(1_000_000));
		const r = kmm(['check', dir, '--kernel', MODERN], { timeout: 120_000 });
		assert.equal(r.status, 1, r.stderr);
		assert.match(r.stdout, PDEV_FINDINGS);
		assert.match(r.stderr, /kmm: skipped \S*huge\.c: larger than \d+ bytes/);
		assert.doesNotMatch(r.stderr, /internal error|Aborted/);
	} finally {
		rmSync(join(dir, '..'), { recursive: true, force: true });
	}
});

test('a 5,000-macro chain and a function with 140k uses are analysed; their findings are reported', () => {
	const chain = ['#define M0(x) devm_memremap_pages(x, 0)', ...Array.from({ length: 4999 }, (_, i) => `#define M${i + 1}(x) M${i}(x)`)];
	const uses = Array.from({ length: 140_000 }, (_, i) => `\tf${i % 100}();`);
	const dir = driverWith({});
	try {
		appendFileSync(join(dir, 'pdev.c'), `${chain.join('\n')}\nvoid *chained(void) { return M4999(0); }\nvoid many(void)\n{\n${uses.join('\n')}\n}\n`);
		const r = kmm(['check', dir, '--kernel', MODERN], { timeout: 120_000 });
		assert.equal(r.status, 1, r.stderr);
		assert.match(r.stdout, PDEV_FINDINGS);
		assert.match(r.stdout, /'devm_memremap_pages' \(through macro M4999\)/);
	} finally {
		rmSync(join(dir, '..'), { recursive: true, force: true });
	}
});
