// The kernel index benchmark: `npm run bench -- --kernel DIR`. Times, in one run on the same
// tree, our cold index (empty cache), when its exports were usable, a warm start, one file
// re-indexed, and peak RSS, next to `ctags -R --languages=C` and `cscope -b -k`, and prints
// our figures as ratios to theirs with PASS/FAIL per target. Runs the bundles in dist/
// (`npm run build` first); every tool runs as a child under /usr/bin/time for its peak RSS.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';

const root = join(new URL('.', import.meta.url).pathname, '..');
const { values } = parseArgs({ options: { kernel: { type: 'string' }, file: { type: 'string', default: 'mm/memremap.c' } } });
if (!values.kernel) {
	console.error('usage: npm run bench -- --kernel DIR [--file REL]');
	process.exit(2);
}
const kernel = resolve(values.kernel);
const kmm = join(root, 'dist', 'kmm.js');
if (!existsSync(kmm)) {
	console.error('bench: dist/kmm.js missing; run `npm run build` first');
	process.exit(2);
}
const work = mkdtempSync(join(tmpdir(), 'kmm-bench-'));

/** Runs a command under /usr/bin/time -v: wall seconds, peak RSS in MB, stdout. */
function timed(cmd, args, cwd = root) {
	const started = process.hrtime.bigint();
	const r = spawnSync('/usr/bin/time', ['-v', cmd, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
	const wall = Number(process.hrtime.bigint() - started) / 1e9;
	const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1024;
	if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stderr.slice(-2000)}`);
	return { wall, rss, stdout: r.stdout };
}

function have(tool) {
	return spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
}

const results = {};
if (!existsSync('/usr/bin/time')) {
	console.error('bench: /usr/bin/time missing (apt-get install -y time)');
	process.exit(2);
}
if (have('ctags')) {
	results.ctags = timed('ctags', ['-R', '--languages=C', '-f', join(work, 'tags'), kernel]);
} else console.error('bench: ctags missing (apt-get install -y universal-ctags)');
if (have('cscope')) {
	results.cscope = timed('cscope', ['-b', '-k', '-R', '-s', kernel, '-f', join(work, 'cscope.out')], work);
} else console.error('bench: cscope missing (apt-get install -y cscope)');

const cacheDir = join(work, 'cache');
rmSync(cacheDir, { recursive: true, force: true });
const indexArgs = [kmm, 'index', '--kernel', kernel, '--cache-dir', cacheDir, '--json'];
const cold = timed(process.execPath, indexArgs);
const coldJson = JSON.parse(cold.stdout);
const warm = timed(process.execPath, indexArgs);
const warmJson = JSON.parse(warm.stdout);

// One file re-indexed: a throwaway bundle of the engine, in dist/ so it finds the worker
// and shares the CLI's cache, loads the warm index and times updateFile.
const helper = join(root, 'dist', `bench-helper-${process.pid}.js`);
const helperSource = `
	import { buildKernelIndexAsync } from './server/src/engine/kernel/index';
	const [root, cacheDir, file] = process.argv.slice(2);
	buildKernelIndexAsync(root, { cacheDir }).then((index) => {
		let t = process.hrtime.bigint();
		index.graph.prepare();
		const prepare = Number(process.hrtime.bigint() - t) / 1e6;
		const times = [];
		for (let k = 0; k < 7; k++) {
			const t = process.hrtime.bigint();
			index.updateFile(file);
			times.push(Number(process.hrtime.bigint() - t) / 1e6);
		}
		const fn = index.graph.definitionsOf('devm_memremap_pages').length;
		t = process.hrtime.bigint();
		const callers = index.callersOf('devm_memremap_pages').length;
		const query = Number(process.hrtime.bigint() - t) / 1e6;
		t = process.hrtime.bigint();
		const kfree = index.callersOf('kfree').length;
		const kfreeMs = Number(process.hrtime.bigint() - t) / 1e6;
		console.log(JSON.stringify({ times, fn, callers, prepare, query, kfree, kfreeMs }));
	});`;
let update;
try {
	await esbuild.build({
		stdin: { contents: helperSource, resolveDir: root, loader: 'ts' },
		bundle: true,
		platform: 'node',
		target: 'node20',
		format: 'cjs',
		outfile: helper,
		logLevel: 'error',
		define: { 'import.meta.url': 'undefined' },
	});
	update = JSON.parse(timed(process.execPath, [helper, kernel, cacheDir, values.file]).stdout);
} finally {
	rmSync(helper, { force: true });
}
rmSync(work, { recursive: true, force: true });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const updateMs = median(update.times);
const peak = Math.max(cold.rss, warm.rss);
const s = (x) => `${x.toFixed(2)} s`;
const lines = [
	`tree: ${kernel} (Linux ${coldJson.version}, ${coldJson.files} files, ${(coldJson.bytes / 1e6).toFixed(0)} MB; page cache warm for every tool)`,
	results.ctags ? `ctags -R --languages=C   ${s(results.ctags.wall)}  ${results.ctags.rss.toFixed(0)} MB` : 'ctags: not run',
	results.cscope ? `cscope -b -k -R          ${s(results.cscope.wall)}  ${results.cscope.rss.toFixed(0)} MB` : 'cscope: not run',
	`kmm cold index           ${s(cold.wall)}  ${cold.rss.toFixed(0)} MB  (index ${coldJson.ms} ms; ${coldJson.functions} functions, ${coldJson.callEdges} call edges)`,
	`  exports usable after   ${(coldJson.exportsMs / 1000).toFixed(2)} s`,
	`kmm warm start           ${s(warm.wall)}  ${warm.rss.toFixed(0)} MB  (index ${warmJson.ms} ms, fromCache ${warmJson.fromCache})`,
	`one file re-indexed      ${updateMs.toFixed(1)} ms median, ${Math.max(...update.times).toFixed(1)} ms max (${values.file})`,
	`query tables built in    ${update.prepare.toFixed(0)} ms (graph.prepare(), once after loading)`,
	`callersOf                devm_memremap_pages: ${update.callers} sites in ${update.query.toFixed(1)} ms; kfree: ${update.kfree} sites in ${update.kfreeMs.toFixed(0)} ms`,
];
if (results.ctags) lines.push(`ratios: cold/ctags ${(cold.wall / results.ctags.wall).toFixed(2)}, RSS/ctags ${(peak / results.ctags.rss).toFixed(2)}`);
if (results.cscope) lines.push(`ratios: cold/cscope ${(cold.wall / results.cscope.wall).toFixed(2)}`);
const targets = [
	['cold ≤ 0.6× ctags wall', results.ctags ? cold.wall <= 0.6 * results.ctags.wall : undefined, results.ctags ? `${(cold.wall / results.ctags.wall).toFixed(2)}×` : 'ctags not run'],
	['exports usable ≤ 5 s', coldJson.exportsMs <= 5000, s(coldJson.exportsMs / 1000)],
	['warm start ≤ 2 s', warm.wall <= 2, s(warm.wall)],
	['peak RSS ≤ 800 MB', peak <= 800, `${peak.toFixed(0)} MB`],
	['one file ≤ 50 ms', updateMs <= 50, `${updateMs.toFixed(1)} ms`],
];
lines.push('targets:');
for (const [name, ok, figure] of targets) lines.push(`  ${ok === undefined ? 'SKIP' : ok ? 'PASS' : 'FAIL'}  ${name}: ${figure}`);
const load = spawnSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).stdout.trim();
lines.push(`load average at the end: ${load}`);
console.log(lines.join('\n'));
