// The benchmark: `npm run bench -- --kernel DIR`. Times, in one run on the same tree, our cold
// index (empty cache), when its exports were usable, a warm start, one file re-indexed, and
// peak RSS, next to `ctags -R --languages=C` and `cscope -b -k`, and prints our figures as
// ratios to theirs with PASS/FAIL per target. `--runs N` repeats ctags, the cold and the warm
// index N times, interleaved, and reports medians (the machine may be shared: ratios of the
// same run are what count). Then, with the warm cache, at the protocol boundary
// (dist/server.js --stdio, scripts/bench/): diagnostics after one-character edits of a
// 5,000-line driver, hovers, incoming calls; and `kmm check` of a 20-file module and
// `kmm zone-device`, each including the index load. Runs the bundles in dist/ (`npm run
// build` first; `--dist DIR` for others); every tool runs as a child under /usr/bin/time.
// Cold starts of the server with an empty cache (scripts/bench/cold-start.mjs): a driver opened
// at once, against the tree and (`--headers DIR`) a distribution's headers package.
// Last, the whole-tree `kmm check` of scripts/sweep.mjs with the tree's .config (or `--config`):
// its report, wall time and peak RSS (`--no-sweep` skips it; it takes about 15 minutes).
// `--json FILE` also writes every figure and target verdict as JSON.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';
import { runColdStart } from './bench/cold-start.mjs';
import { runLspBench } from './bench/lsp-bench.mjs';
import { writeMultiFileModule } from './bench/drivers.mjs';
import { report as sweepReport, sweep, WHOLE_TREE } from './sweep.mjs';

const root = join(new URL('.', import.meta.url).pathname, '..');
const { values } = parseArgs({
	options: {
		kernel: { type: 'string' },
		file: { type: 'string', default: 'mm/memremap.c' },
		runs: { type: 'string', default: '1' },
		dist: { type: 'string' },
		cscope: { type: 'boolean', default: true },
		'no-cscope': { type: 'boolean', default: false },
		lsp: { type: 'boolean', default: true },
		'no-lsp': { type: 'boolean', default: false },
		edits: { type: 'string', default: '120' },
		config: { type: 'string' },
		headers: { type: 'string' },
		json: { type: 'string' },
		sweep: { type: 'boolean', default: true },
		'no-sweep': { type: 'boolean', default: false },
	},
});
if (!values.kernel) {
	console.error(
		'usage: npm run bench -- --kernel DIR [--config FILE] [--headers DIR] [--json FILE] [--file REL] [--runs N] [--dist DIR] [--no-cscope] [--no-lsp] [--no-sweep] [--edits N]',
	);
	process.exit(2);
}
const kernel = resolve(values.kernel);
const config = values.config ? resolve(values.config) : existsSync(join(kernel, '.config')) ? join(kernel, '.config') : undefined;
const runs = Math.max(1, Number(values.runs) || 1);
const dist = resolve(values.dist ?? join(root, 'dist'));
const kmm = join(dist, 'kmm.js');
if (!existsSync(kmm)) {
	console.error(`bench: ${kmm} missing; run \`npm run build\` first`);
	process.exit(2);
}
const work = mkdtempSync(join(tmpdir(), 'kmm-bench-'));

/** Runs a command under /usr/bin/time -v: wall seconds, peak RSS in MB, stdout. */
function timed(cmd, args, cwd = root, okStatus = [0]) {
	const started = process.hrtime.bigint();
	const r = spawnSync('/usr/bin/time', ['-v', cmd, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
	const wall = Number(process.hrtime.bigint() - started) / 1e9;
	const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1024;
	// CPU seconds (user + system): steadier than wall on a shared VM, where steal and page-cache reclaim move wall times by ±50%.
	const cpu = ['User', 'System'].reduce((sum, kind) => sum + Number(new RegExp(`${kind} time \\(seconds\\): ([\\d.]+)`).exec(r.stderr)?.[1] ?? NaN), 0);
	if (!okStatus.includes(r.status)) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stderr.slice(-2000)}`);
	return { wall, cpu, rss, stdout: r.stdout, status: r.status };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const loadavg = () => spawnSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).stdout.trim().split(' ').slice(0, 3).join(' ');

function have(tool) {
	return spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
}

const results = {};
if (!existsSync('/usr/bin/time')) {
	console.error('bench: /usr/bin/time missing (apt-get install -y time)');
	process.exit(2);
}
const hasCtags = have('ctags');
if (!hasCtags) console.error('bench: ctags missing (apt-get install -y universal-ctags)');
const cacheDir = join(work, 'cache');
const indexArgs = [kmm, 'index', '--kernel', kernel, '--cache-dir', cacheDir, '--json'];
const ctagsRuns = [];
const coldRuns = [];
const warmRuns = [];
const loads = [];
// Interleaved, so a change of the machine's load hits the peers and us alike.
for (let k = 0; k < runs; k++) {
	loads.push(loadavg());
	if (hasCtags) ctagsRuns.push(timed('ctags', ['-R', '--languages=C', '-f', join(work, 'tags'), kernel]));
	rmSync(cacheDir, { recursive: true, force: true });
	const cold = timed(process.execPath, indexArgs);
	coldRuns.push({ ...cold, json: JSON.parse(cold.stdout) });
	const warm = timed(process.execPath, indexArgs);
	warmRuns.push({ ...warm, json: JSON.parse(warm.stdout) });
}
if (values.cscope && !values['no-cscope']) {
	if (have('cscope')) results.cscope = timed('cscope', ['-b', '-k', '-R', '-s', kernel, '-f', join(work, 'cscope.out')], work);
	else console.error('bench: cscope missing (apt-get install -y cscope)');
}
const byWall = (list) => [...list].sort((a, b) => a.wall - b.wall)[Math.floor(list.length / 2)];
if (hasCtags) results.ctags = byWall(ctagsRuns);
const cold = byWall(coldRuns);
const coldJson = cold.json;
const warm = byWall(warmRuns);
const warmJson = warm.json;
/** Exports usable, counted from the process's start: its wall time less what followed exports (the function pass, saving, exit). */
const exportsFromStart = (r) => r.wall - (r.json.ms - r.json.exportsMs) / 1000;

// One file re-indexed: a throwaway bundle of the engine, in dist/ so it finds the worker
// and shares the CLI's cache, loads the warm index and times updateFile.
const helper = join(dist, `bench-helper-${process.pid}.js`);
const helperSource = `
	import { buildKernelIndexAsync } from './server/src/engine/kernel/build';
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

// `kmm check` of a 20-file out-of-tree module and `kmm zone-device`, each with the index load (warm).
const multi = writeMultiFileModule(join(work, 'multi'), 20, 250);
const checkRuns = [];
for (let k = 0; k < 3; k++) checkRuns.push(timed(process.execPath, [kmm, 'check', multi.dir, '--kernel', kernel, '--cache-dir', cacheDir, '--format', 'json'], root, [0, 1]));
const check = byWall(checkRuns);
const checkJson = JSON.parse(check.stdout);
// A one-file out-of-tree module (the proprietary fixture driver), warm, and the same with
// `--config`: a .config is an overlay on the index, so it must cost about nothing more.
const oneFile = join(work, 'one-file');
cpSync(join(root, 'test-fixtures/drivers/pdev-proprietary'), oneFile, { recursive: true });
const checkOne = (extra) => {
	const rs = [];
	for (let k = 0; k < 3; k++) rs.push(timed(process.execPath, [kmm, 'check', oneFile, '--kernel', kernel, '--cache-dir', cacheDir, '--format', 'json', ...extra], root, [0, 1]));
	return byWall(rs);
};
const one = checkOne([]);
const oneConfig = config ? checkOne(['--config', config]) : undefined;
const hasZoneDevice = spawnSync(process.execPath, [kmm, 'zone-device', '--help'], { encoding: 'utf8' }).status === 0;
let zone;
if (hasZoneDevice) {
	const zoneRuns = [];
	for (let k = 0; k < 3; k++) zoneRuns.push(timed(process.execPath, [kmm, 'zone-device', '--kernel', kernel, '--cache-dir', cacheDir, '--json'], root, [0, 1]));
	zone = byWall(zoneRuns);
}

let lsp;
if (values.lsp && !values['no-lsp']) {
	lsp = await runLspBench({ serverJs: join(dist, 'server.js'), kernel, cacheDir, work, edits: Number(values.edits) || 120, hoverReps: 40, callReps: 20 });
}
// Cold starts, empty cache: the tree, and a headers package when given.
const driver = join(root, 'test-fixtures/drivers/pdev-proprietary');
const coldStart = values.lsp && !values['no-lsp'] ? await runColdStart({ serverJs: join(dist, 'server.js'), kernel, driver, work, label: 'tree' }) : undefined;
const headersDir = values.headers ? resolve(values.headers) : undefined;
const coldHeaders = headersDir && coldStart ? await runColdStart({ serverJs: join(dist, 'server.js'), kernel: headersDir, driver, work, label: 'headers' }) : undefined;
rmSync(work, { recursive: true, force: true });

const updateMs = median(update.times);
const peak = Math.max(...coldRuns.map((r) => r.rss), ...warmRuns.map((r) => r.rss));
const s = (x) => `${x.toFixed(2)} s`;
const list = (rs) => (rs.length > 1 ? ` [runs: ${rs.map((r) => r.wall.toFixed(1)).join(', ')}]` : '');
const lines = [
	`tree: ${kernel} (Linux ${coldJson.version}, ${coldJson.files} files, ${(coldJson.bytes / 1e6).toFixed(0)} MB; page cache warm for every tool)`,
	`runs: ${runs} (medians); load average before each: ${loads.join(' | ')}`,
	results.ctags ? `ctags -R --languages=C   ${s(results.ctags.wall)}  ${results.ctags.rss.toFixed(0)} MB  cpu ${s(results.ctags.cpu)}${list(ctagsRuns)}` : 'ctags: not run',
	results.cscope ? `cscope -b -k -R          ${s(results.cscope.wall)}  ${results.cscope.rss.toFixed(0)} MB` : 'cscope: not run',
	`kmm cold index           ${s(cold.wall)}  ${cold.rss.toFixed(0)} MB  cpu ${s(cold.cpu)}  (index ${coldJson.ms} ms; ${coldJson.functions} functions, ${coldJson.callEdges} call edges)${list(coldRuns)}`,
	`  exports usable after   ${s(exportsFromStart(cold))} from the process's start (${s(coldJson.exportsMs / 1000)} from the index's)`,
	`kmm warm start           ${s(warm.wall)}  ${warm.rss.toFixed(0)} MB  cpu ${s(warm.cpu)}  (index ${warmJson.ms} ms, fromCache ${warmJson.fromCache})${list(warmRuns)}`,
	`one file re-indexed      ${updateMs.toFixed(1)} ms median, ${Math.max(...update.times).toFixed(1)} ms max (${values.file})`,
	`query tables built in    ${update.prepare.toFixed(0)} ms (graph.prepare(), once after loading)`,
	`callersOf                devm_memremap_pages: ${update.callers} sites in ${update.query.toFixed(1)} ms; kfree: ${update.kfree} sites in ${update.kfreeMs.toFixed(0)} ms`,
	`kmm check (1 file)       ${s(one.wall)}  ${one.rss.toFixed(0)} MB  (warm; with --config ${oneConfig ? s(oneConfig.wall) : 'not run: no .config'})`,
	`kmm check (20 files)     ${s(check.wall)}  ${check.rss.toFixed(0)} MB  (${checkJson.diagnostics.length} diagnostics, exit ${check.status})${list(checkRuns)}`,
	hasZoneDevice ? `kmm zone-device          ${s(zone.wall)}  ${zone.rss.toFixed(0)} MB` : 'kmm zone-device: not in this build (skipped)',
];
if (lsp) {
	lines.push(
		`LSP server ready         ${(lsp.serverReadyMs / 1000).toFixed(2)} s from spawn (exports ready ${lsp.serverExportsMs === undefined ? '?' : (lsp.serverExportsMs / 1000).toFixed(2)} s); peak RSS ${lsp.serverPeakMB?.toFixed(0) ?? '?'} MB`,
		`diagnostics after edit   p50 ${lsp.edit.p50.toFixed(1)} ms, p95 ${lsp.edit.p95.toFixed(1)} ms, max ${lsp.edit.max.toFixed(1)} ms (${lsp.edit.n} one-character edits of a ${lsp.bigLines}-line driver; ${lsp.diagnostics} diagnostics: ${lsp.codes.join(', ')}; first publish ${lsp.openMs.toFixed(0)} ms after didOpen)`,
		`hover                    p50 ${lsp.hover.p50.toFixed(2)} ms, p95 ${lsp.hover.p95.toFixed(2)} ms, max ${lsp.hover.max.toFixed(2)} ms (${lsp.hover.n} requests)`,
		...Object.entries(lsp.hovers).map(([what, h]) => `  ${what.padEnd(22)} p50 ${h.p50.toFixed(2)} ms, p95 ${h.p95.toFixed(2)} ms: ${h.first}`),
		lsp.callHierarchy
			? lsp.incoming?.p95 !== undefined
				? `incoming calls (LSP)     p50 ${lsp.incoming.p50.toFixed(1)} ms, p95 ${lsp.incoming.p95.toFixed(1)} ms (${lsp.incoming.callers} callers of ${lsp.incoming.item})`
				: `incoming calls (LSP)     ${lsp.incoming?.note}`
			: 'incoming calls (LSP)     the server offers no callHierarchyProvider (index.callersOf above)',
	);
}
if (coldStart) {
	const row = (what, r) => `${what} first diagnostics ${s(r.firstMs / 1000)}, full set (${r.count}) ${s(r.fullMs / 1000)} from spawn, empty cache`;
	lines.push(row('cold start (tree)        ', coldStart));
	if (coldHeaders) lines.push(row('cold start (headers)     ', coldHeaders));
}
if (results.ctags) lines.push(`ratios: cold/ctags ${(cold.wall / results.ctags.wall).toFixed(2)}${coldRuns.length > 1 && ctagsRuns.length === coldRuns.length ? ` (per run: ${coldRuns.map((r, k) => (r.wall / ctagsRuns[k].wall).toFixed(2)).join(', ')})` : ''}, RSS/ctags ${(peak / results.ctags.rss).toFixed(2)}`);
if (results.cscope) lines.push(`ratios: cold/cscope ${(cold.wall / results.cscope.wall).toFixed(2)}`);
const incomingMs = lsp?.incoming?.p95 ?? update.query;
const lspPeak = lsp?.serverPeakMB;
const na = (what) => [undefined, what];
const targets = [
	['cold index ≤ 0.5× ctags wall', ...(results.ctags ? [cold.wall <= 0.5 * results.ctags.wall, `${(cold.wall / results.ctags.wall).toFixed(2)}×`] : na('ctags not run'))],
	['first diagnostics ≤ 2 s from server start, cold (tree)', ...(coldStart ? [coldStart.firstMs <= 2000, s(coldStart.firstMs / 1000)] : na('LSP not run'))],
	['full diagnostics ≤ 8 s from server start, cold (tree)', ...(coldStart ? [coldStart.fullMs <= 8000, s(coldStart.fullMs / 1000)] : na('LSP not run'))],
	['first diagnostics ≤ 1 s from server start, cold (headers)', ...(coldHeaders ? [coldHeaders.firstMs <= 1000, s(coldHeaders.firstMs / 1000)] : na('no --headers'))],
	['exports usable ≤ 5 s', exportsFromStart(cold) <= 5, s(exportsFromStart(cold))],
	['warm start ≤ 0.5 s', warm.wall <= 0.5, s(warm.wall)],
	['kmm check of a one-file module ≤ 0.5 s (warm)', one.wall <= 0.5, s(one.wall)],
	['kmm check --config: ≤ 1.2× without', ...(oneConfig ? [oneConfig.wall <= 1.2 * one.wall, `${(oneConfig.wall / one.wall).toFixed(2)}×`] : na('no .config'))],
	['index peak RSS ≤ 600 MB', peak <= 600, `${peak.toFixed(0)} MB`],
	['server peak RSS ≤ 600 MB', ...(lspPeak !== undefined ? [lspPeak <= 600, `${lspPeak.toFixed(0)} MB`] : na('LSP not run'))],
	['one file re-indexed ≤ 50 ms', updateMs <= 50, `${updateMs.toFixed(1)} ms`],
	['diagnostics after an edit p95 ≤ 10 ms', ...(lsp ? [lsp.edit.p95 <= 10, `${lsp.edit.p95.toFixed(1)} ms`] : na('LSP not run'))],
	['kmm check of 20 files ≤ 2 s', check.wall <= 2, s(check.wall)],
	['hover p95 ≤ 5 ms', ...(lsp ? [lsp.hover.p95 <= 5, `${lsp.hover.p95.toFixed(2)} ms`] : na('LSP not run'))],
	[`incoming calls ≤ 20 ms (${lsp?.incoming?.p95 !== undefined ? 'LSP p95' : 'index.callersOf'})`, incomingMs <= 20, `${incomingMs.toFixed(1)} ms`],
	['kmm zone-device ≤ 3 s', ...(hasZoneDevice ? [zone.wall <= 3, s(zone.wall)] : na('command not in this build'))],
];
// The whole-tree sweep (trust on real code): every error is a false one on a tree whose
// modules the real modpost accepted. Its time is compared with ctags' of the same run.
let swept;
if (values.sweep && !values['no-sweep']) {
	swept = sweep({ kernel, config, paths: WHOLE_TREE, dist });
	const errors = swept.findings.filter((f) => f.severity === 'error').length;
	lines.push(
		`whole-tree kmm check (${WHOLE_TREE.join(' ')}${config ? `, --config ${config}` : ', no .config'}): ${s(swept.seconds)}, peak RSS ${swept.rssMb} MB, ` +
			`${errors} error findings, ${swept.findings.length - errors} others`,
		...sweepReport(swept.findings).split('\n').map((l) => `  ${l}`),
	);
	targets.push(['whole-tree check: zero error findings', errors === 0, String(errors)]);
	targets.push([
		'whole-tree check ≤ 1.5× ctags wall',
		results.ctags ? swept.seconds <= 1.5 * results.ctags.wall : undefined,
		results.ctags ? `${(swept.seconds / results.ctags.wall).toFixed(2)}×` : 'ctags not run',
	]);
}
lines.push('targets:');
for (const [name, ok, figure] of targets) lines.push(`  ${ok === undefined ? 'SKIP' : ok ? 'PASS' : 'FAIL'}  ${name}: ${figure}`);
lines.push(`load average at the end: ${loadavg()}`);
console.log(lines.join('\n'));
if (values.json) {
	const figures = {
		tree: { root: kernel, version: coldJson.version, files: coldJson.files, bytes: coldJson.bytes },
		ctags: results.ctags && { wall: results.ctags.wall, cpu: results.ctags.cpu, rssMb: results.ctags.rss },
		cscope: results.cscope && { wall: results.cscope.wall, rssMb: results.cscope.rss },
		cold: { wall: cold.wall, cpu: cold.cpu, rssMb: cold.rss, exportsUsable: exportsFromStart(cold) },
		warm: { wall: warm.wall, cpu: warm.cpu, rssMb: warm.rss },
		updateMs,
		checkOneFile: { wall: one.wall, withConfig: oneConfig?.wall },
		check20: { wall: check.wall, rssMb: check.rss },
		zoneDevice: zone && { wall: zone.wall },
		lsp: lsp && { readyMs: lsp.serverReadyMs, peakMb: lsp.serverPeakMB, edit: lsp.edit, hover: lsp.hover, incoming: lsp.incoming },
		coldStart,
		coldHeaders,
		sweep: swept && { seconds: swept.seconds, rssMb: swept.rssMb, findings: swept.findings.length },
	};
	const verdicts = targets.map(([name, ok, figure]) => ({ name, verdict: ok === undefined ? 'skip' : ok ? 'pass' : 'fail', figure }));
	writeFileSync(resolve(values.json), `${JSON.stringify({ figures, targets: verdicts, load: loadavg() }, null, 2)}\n`);
}
