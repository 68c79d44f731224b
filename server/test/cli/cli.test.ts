import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, writeFileSync, mkdirSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Log } from 'sarif';
import { kmm } from '../helpers/run';
import { DRIVERS, FIXTURES, MODERN } from '../helpers/paths';
import { expectedFindings } from '../helpers/expected';

test('--version and --help', () => {
	const v = kmm(['--version']);
	assert.equal(v.status, 0);
	assert.match(v.stdout, /^kmm \d+\.\d+\.\d+\n$/);
	const h = kmm(['--help']);
	assert.equal(h.status, 0);
	for (const cmd of ['check', 'index', 'exports', 'modules', 'lsp']) assert.match(h.stdout, new RegExp(`^  ${cmd}\\b`, 'm'));
	const hc = kmm(['check', '--help']);
	assert.equal(hc.status, 0);
	assert.match(hc.stdout, /^usage: kmm check/);
	assert.match(kmm(['help', 'index']).stdout, /^usage: kmm index/);
});

test('bad usage exits 2 with a one-line reason', () => {
	for (const args of [['frobnicate'], ['check', '--format', 'xml'], ['check', '--bogus'], ['index', 'extra'], ['lsp'], []]) {
		const r = kmm(args);
		assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
		if (args.length > 0) {
			assert.match(r.stderr, /^kmm: .+\n$/, `${args.join(' ')} should say why in one line`);
			assert.doesNotMatch(r.stderr, /internal error|\s{4}at /);
		}
	}
});

test('unreadable input and a path that is not a kernel tree exit 2', () => {
	const missing = kmm(['check', '/nonexistent/driver.c', '--kernel', MODERN]);
	assert.equal(missing.status, 2);
	assert.match(missing.stderr, /^kmm: cannot read \/nonexistent\/driver.c: ENOENT\n$/);
	const notKernel = kmm(['check', join(DRIVERS, 'pdev-proprietary'), '--kernel', DRIVERS]);
	assert.equal(notKernel.status, 2);
	assert.match(notKernel.stderr, /is not a kernel tree/);
	const nothing = mkdtempSync(join(tmpdir(), 'kmm-nokernel-'));
	const none = kmm(['check', nothing], { cwd: nothing, env: { KDIR: '' } });
	// No kernel anywhere on this machine (unless the running kernel's build dir exists).
	if (!existsSync('/lib/modules')) {
		assert.equal(none.status, 2);
		assert.match(none.stderr, /no kernel tree found/);
	}
});

test('every fixture driver: text findings match its EXPECTED file and the exit status follows', () => {
	const drivers = readdirSync(DRIVERS, { withFileTypes: true }).filter((d) => d.isDirectory());
	// One cache for all runs: the first indexes the fixture kernel, the others load it.
	const cache = mkdtempSync(join(tmpdir(), 'kmm-cli-shared-cache-'));
	assert.ok(drivers.length >= 5, 'fixture drivers present');
	for (const d of drivers) {
		const dir = join(DRIVERS, d.name);
		const r = kmm(['check', '.', '--kernel', MODERN, '--cache-dir', cache], { cwd: dir });
		const got = r.stdout
			.split('\n')
			.filter(Boolean)
			.map((line) => {
				const m = /^(\S+?):(\d+):(\d+): (error|warning|information|hint): (.*) \[([a-z-]+)\]$/.exec(line);
				assert.ok(m, `${d.name}: not gcc-style: ${line}`);
				return `${m[1]}:${m[2]} ${m[6]}`;
			});
		const want = expectedFindings(dir).map((e) => `${e.file}:${e.line} ${e.code}`);
		assert.deepEqual(got.sort(), want.sort(), `${d.name}\n${r.stdout}${r.stderr}`);
		assert.equal(r.status, want.length > 0 ? 1 : 0, `${d.name} exit status`);
	}
});

test('--format json carries the kernel and 1-based positions', () => {
	const r = kmm(['check', join(DRIVERS, 'pdev-proprietary'), '--kernel', MODERN, '--format', 'json']);
	assert.equal(r.status, 1);
	const out = JSON.parse(r.stdout) as {
		kernel: { root: string; version: string };
		diagnostics: { file: string; line: number; column: number; endLine: number; endColumn: number; severity: string; code: string; message: string }[];
	};
	assert.equal(out.kernel.version, '6.1.0');
	assert.equal(out.kernel.root, MODERN);
	const d = out.diagnostics.find((x) => x.message.includes("'devm_memremap_pages'"));
	assert.ok(d, r.stdout);
	assert.equal(d.code, 'gpl-only-symbol');
	assert.equal(d.severity, 'error');
	assert.equal(d.endColumn - d.column, 'devm_memremap_pages'.length);
	assert.match(d.message, /^GPL-incompatible module pdev\.ko uses GPL-only symbol 'devm_memremap_pages'/);
});

test('the kernel is found through KDIR in the module Makefile when --kernel is absent', () => {
	const dir = mkdtempSync(join(tmpdir(), 'kmm-kdir-'));
	writeFileSync(join(dir, 'Makefile'), `obj-m := tiny.o\nKDIR ?= ${MODERN}\n`);
	writeFileSync(
		join(dir, 'tiny.c'),
		'#include <linux/module.h>\nstatic int tiny_init(void)\n{\n\treturn memremap_pages(NULL, 0) ? 0 : -1;\n}\nMODULE_LICENSE("MIT");\n',
	);
	const r = kmm(['check'], { cwd: dir });
	assert.equal(r.status, 1, r.stderr);
	assert.match(r.stdout, /^tiny\.c:4:9: error: GPL-incompatible module tiny\.ko uses GPL-only symbol 'memremap_pages'/);
	// The environment's KDIR wins over the Makefile's, as with make.
	mkdirSync(join(dir, 'sub'));
	const viaEnv = kmm(['check', 'tiny.c'], { cwd: dir, env: { KDIR: join(dir, 'sub') } });
	assert.equal(viaEnv.status, 2);
	assert.match(viaEnv.stderr, /no kernel tree found.*KDIR .*sub/);
});

test('kmm index, exports and modules on the fixture tree', () => {
	const cacheDir = mkdtempSync(join(tmpdir(), 'kmm-cli-cache-'));
	const idx = kmm(['index', '--kernel', MODERN, '--cache-dir', cacheDir, '--json']);
	assert.equal(idx.status, 0, idx.stderr);
	assert.equal(idx.stderr, '', 'no progress bar when stderr is not a terminal');
	const summary = JSON.parse(idx.stdout) as {
		root: string;
		version: string;
		files: number;
		bytes: number;
		exports: Record<string, number>;
		modules: number;
		functions: number;
		callEdges: number;
		ms: number;
		fromCache: boolean;
	};
	assert.equal(summary.version, '6.1.0');
	assert.ok(summary.exports.EXPORT_SYMBOL_GPL > 5);
	assert.ok(summary.functions > 50 && summary.callEdges > 50 && summary.files > 20 && summary.bytes > 0);
	assert.equal(summary.fromCache, false);
	const again = JSON.parse(kmm(['index', '--kernel', MODERN, '--cache-dir', cacheDir, '--json']).stdout) as typeof summary;
	assert.equal(again.fromCache, true);
	assert.deepEqual({ ...again, ms: 0 }, { ...summary, ms: 0, fromCache: true, exportsMs: (again as { exportsMs?: number }).exportsMs });
	const exp = kmm(['exports', '--kernel', MODERN, '--cache-dir', cacheDir]);
	assert.match(exp.stdout, /^devm_memremap_pages\tEXPORT_SYMBOL_GPL\t-\tmm\/memremap\.c:\d+$/m);
	assert.match(exp.stdout, /^fakemem_alloc\tEXPORT_SYMBOL_NS_GPL\tFAKEMEM\tdrivers\/misc\/fakemem\.c:\d+$/m);
	const mods = kmm(['modules', '--kernel', MODERN, '--cache-dir', cacheDir]);
	rmSync(cacheDir, { recursive: true, force: true });
	assert.match(mods.stdout, /^drivers\/dax\/device_dax\tGPL v2\tdrivers\/dax\/device\.c,drivers\/dax\/bus\.c$/m);
	// Kbuild wins over Makefile in toygpu/, and bool options are not modules.
	assert.match(mods.stdout, /^drivers\/gpu\/toygpu\/toygpu\tGPL\t/m);
	assert.doesNotMatch(mods.stdout, /bogus|fakemem_core/);
});

test('kmm modules on a headers tree lists the modules its Module.symvers names', () => {
	const build = join(FIXTURES, 'headers/debian/usr/src/linux-headers-6.1.0-9-amd64');
	const cacheDir = mkdtempSync(join(tmpdir(), 'kmm-cli-headers-'));
	const mods = kmm(['modules', '--kernel', build, '--cache-dir', cacheDir]);
	rmSync(cacheDir, { recursive: true, force: true });
	assert.equal(mods.status, 0, mods.stderr);
	assert.equal(mods.stdout, 'drivers/misc/kmm_demo\t-\tModule.symvers\t1\n');
});

test('--format sarif is SARIF 2.1.0 with rules, levels and relative locations', () => {
	const r = kmm(['check', '.', '--kernel', MODERN, '--format', 'sarif'], { cwd: join(DRIVERS, 'ns-missing') });
	assert.equal(r.status, 1, r.stderr);
	const log = JSON.parse(r.stdout) as Log;
	assert.equal(log.version, '2.1.0');
	const run = log.runs[0];
	const rules = run.tool.driver.rules ?? [];
	assert.ok(rules.some((rule) => rule.id === 'missing-namespace-import' && rule.helpUri?.endsWith('/docs/checks/missing-namespace-import.md')));
	const results = run.results ?? [];
	assert.ok(results.length >= 2);
	for (const res of results) {
		assert.equal(rules[res.ruleIndex ?? -1]?.id, res.ruleId);
		assert.equal(res.level, 'error');
		const loc = res.locations?.[0]?.physicalLocation;
		assert.equal(loc?.artifactLocation?.uri, 'nsuser.c');
		assert.equal(loc?.artifactLocation?.uriBaseId, '%SRCROOT%');
		assert.ok((loc?.region?.startLine ?? 0) >= 1 && (loc?.region?.startColumn ?? 0) >= 1);
	}
	assert.match(run.originalUriBaseIds?.['%SRCROOT%']?.uri ?? '', /^file:\/\/.*\/ns-missing\/$/);
});

test('--severity and .kmm.json set severities per code: flag > module file > kernel tree file > default', () => {
	const source = '#include <linux/fakemem.h>\nint drv_go(void)\n{\n\treturn fakemem_alloc(4096) ? 0 : -1;\n}\nMODULE_LICENSE("Proprietary");\n';
	const dir = mkdtempSync(join(tmpdir(), 'kmm-severity-'));
	const kernel = join(dir, 'kernel');
	cpSync(MODERN, kernel, { recursive: true });
	const mod = join(dir, 'mod');
	mkdirSync(mod);
	writeFileSync(join(mod, 'Kbuild'), 'obj-m := drv.o\n');
	writeFileSync(join(mod, 'drv.c'), source);
	const check = (...extra: string[]) => {
		const r = kmm(['check', mod, '--kernel', kernel, '--format', 'json', ...extra]);
		const codes = r.status === 2 ? {} : Object.fromEntries((JSON.parse(r.stdout) as { diagnostics: { code: string; severity: string }[] }).diagnostics.map((d) => [d.code, d.severity]));
		return { status: r.status, codes, stderr: r.stderr };
	};
	assert.deepEqual(check(), { status: 1, codes: { 'gpl-only-symbol': 'error', 'missing-namespace-import': 'error' }, stderr: '' });
	writeFileSync(join(kernel, '.kmm.json'), JSON.stringify({ severity: { 'missing-namespace-import': 'off', 'gpl-only-symbol': 'hint' } }));
	assert.deepEqual(check().codes, { 'gpl-only-symbol': 'hint' }, 'the kernel tree file applies');
	writeFileSync(join(mod, '.kmm.json'), JSON.stringify({ severity: { 'gpl-only-symbol': 'warning' } }));
	assert.deepEqual(check(), { status: 0, codes: { 'gpl-only-symbol': 'warning' }, stderr: '' }, "the module's file wins over the tree's, code by code");
	const flagged = check('--severity', 'gpl-only-symbol=error', '--severity', 'missing-namespace-import=information');
	assert.deepEqual(flagged, { status: 1, codes: { 'gpl-only-symbol': 'error', 'missing-namespace-import': 'information' }, stderr: '' }, 'flags win');
	for (const [args, reason] of [
		[['--severity', 'gpl-only-symbo=warning'], /unknown check 'gpl-only-symbo'/],
		[['--severity', 'gpl-only-symbol=loud'], /'gpl-only-symbol' must be one of error, warning, information, hint, off/],
		[['--severity', 'gpl-only-symbol'], /expected CODE=LEVEL/],
	] as const) {
		const r = check(...args);
		assert.equal(r.status, 2, args.join(' '));
		assert.match(r.stderr, reason);
	}
	writeFileSync(join(mod, '.kmm.json'), JSON.stringify({ severity: { 'removed-apis': 'off' } }));
	assert.match(check().stderr, /^kmm: .*mod\/\.kmm\.json: unknown check 'removed-apis'/);
	writeFileSync(join(mod, '.kmm.json'), '{"severity": ');
	const broken = check();
	assert.equal(broken.status, 2);
	assert.match(broken.stderr, /mod\/\.kmm\.json: .*JSON/);
});
