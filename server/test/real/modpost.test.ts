/**
 * The differential test against the real thing: every fixture module under
 * test-fixtures/drivers is built out of tree with Debian's linux-headers-6.1.0-56-amd64
 * (`make -C /usr/src/linux-headers-6.1.0-56-amd64 M=TMPDIR modules`, which runs the real
 * modpost of 6.1.192), and what modpost refuses must equal
 *   - the fixture's verdict for the real kernel (EXPECTED.linux-6.1, else EXPECTED), and
 *   - what `kmm check --format json` reports against Debian's linux-source-6.1 tree,
 * compared as sets of (module, kind, symbol[, namespace]); modpost names no lines.
 * modpost's "undefined!" stands for kmm's unexported-symbol and removed-api.
 *
 * Builds happen in temp copies, never in the repository. A fixture that does not compile is
 * a failure (with the compiler's output). Without the headers (scripts/install-headers.sh)
 * or the source tree (scripts/fetch-kernel.sh) the test skips loudly; with
 * KMM_REAL_KERNEL=required it fails instead. KMM_KEEP_MODPOST_BUILD=1 keeps the temp dir.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { DRIVERS, KMM } from '../helpers/paths';
import { requireRealKernel } from '../helpers/real-kernel';
import {
	buildModule,
	findingKey,
	kindOfCode,
	kmmFindings,
	modulesOf,
	parseModpost,
	pool,
	realExpected,
	requireHeaders,
	runKmm,
	type BuildResult,
	type ExpectedFile,
	type KmmDiagnostic,
	type ModuleFinding,
} from '../helpers/modpost';

interface Fixture {
	name: string;
	expected: ExpectedFile;
	build?: BuildResult;
	modpost?: ModuleFinding[];
	modpostOther?: string[];
	kmm: ModuleFinding[];
	/** kmm diagnostics of this fixture that map to no modpost kind (shown, not compared). */
	kmmOther: string[];
}

/**
 * What kmm does not see yet, per fixture: symbols modpost reports that kmm misses, and why.
 * The comparison still runs: kmm must equal modpost minus exactly these, so a regression or a
 * fix shows up (a fix means deleting the entry).
 */
const KNOWN_GAPS: Record<string, { symbols: string[]; why: string }> = {};

/** Key with the namespace, so a finding in the wrong namespace does not match. */
function keyNs(f: ModuleFinding): string {
	return f.namespace ? `${findingKey(f)} ${f.namespace}` : findingKey(f);
}

function keys(list: ModuleFinding[]): string[] {
	return [...new Set(list.map(keyNs))].sort();
}

function table(fixtures: Fixture[]): string {
	const rows: string[][] = [['fixture', 'build', 'modpost finding (module kind symbol [ns])', 'EXPECTED', 'kmm']];
	// Rows with one long free-text cell are printed unpadded and do not widen the columns.
	const free = new Set<string[]>();
	for (const f of fixtures) {
		if (f.expected.skip) {
			const row = [f.name, '-', `skipped: ${f.expected.skip}`];
			free.add(row);
			rows.push(row);
			continue;
		}
		const secs = f.build ? `${f.build.seconds.toFixed(1)}s` : '-';
		if (!f.build?.reachedModpost) {
			rows.push([f.name, secs, 'DOES NOT COMPILE', '', '']);
			continue;
		}
		const real = keys(f.modpost ?? []);
		const exp = new Set(keys(f.expected.findings));
		const ours = new Set(keys(f.kmm));
		const all = [...new Set([...real, ...exp, ...ours])];
		if (all.length === 0) rows.push([f.name, secs, '(nothing)', 'ok', 'ok']);
		all.forEach((k, i) => {
			const inReal = real.includes(k);
			const mark = (has: boolean) => (has === inReal ? 'ok' : has ? 'EXTRA' : 'MISSING');
			rows.push([i === 0 ? f.name : '', i === 0 ? secs : '', inReal ? k : `(not modpost) ${k}`, mark(exp.has(k)), mark(ours.has(k))]);
		});
		for (const o of f.modpostOther ?? []) {
			const row = ['', '', `modpost also said: ${o}`];
			free.add(row);
			rows.push(row);
		}
	}
	const fixed = rows.filter((r) => !free.has(r));
	const widths = rows[0].map((_, c) => Math.max(...fixed.map((r) => (r[c] ?? '').length)));
	return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd()).join('\n');
}

test('real modpost agrees with each fixture module, its EXPECTED, and kmm check', async (t) => {
	const kernel = requireRealKernel(t);
	if (!kernel) return;
	const headers = requireHeaders(t);
	if (!headers) return;
	assert.ok(existsSync(KMM), `${KMM} is missing: run npm run build`);

	const names = readdirSync(DRIVERS, { withFileTypes: true })
		.filter((d) => d.isDirectory() && existsSync(join(DRIVERS, d.name, 'EXPECTED')))
		.map((d) => d.name)
		.sort();
	assert.ok(names.length >= 30, `expected many fixture modules, found ${names.length}`);
	const fixtures: Fixture[] = names.map((name) => ({ name, expected: realExpected(join(DRIVERS, name)), kmm: [], kmmOther: [] }));
	const live = fixtures.filter((f) => !f.expected.skip);

	// Two copies: make writes objects and *.mod.c next to the sources, kmm must not see them.
	const root = mkdtempSync(join(tmpdir(), 'kmm-modpost-'));
	for (const f of live) {
		for (const side of ['build', 'kmm']) cpSync(join(DRIVERS, f.name), join(root, side, f.name), { recursive: true });
	}

	const jobs = Math.max(1, Math.min(8, availableParallelism()));
	const started = Date.now();
	const [builds, run] = await Promise.all([
		pool(live, jobs, (f) => buildModule(headers, join(root, 'build', f.name))),
		runKmm(
			KMM,
			['check', ...live.map((f) => f.name), '--kernel', kernel.src, '--config', join(headers, '.config'), '--format', 'json'],
			join(root, 'kmm'),
		),
	]);
	const wall = (Date.now() - started) / 1000;
	live.forEach((f, i) => {
		f.build = builds[i];
		const parsed = parseModpost(builds[i].output);
		f.modpost = parsed.findings;
		f.modpostOther = parsed.other;
	});

	// kmm: one run over every fixture; each diagnostic goes back to its fixture and module.
	let kmmError: string | undefined;
	if (run.status !== 0 && run.status !== 1) kmmError = `kmm check exited ${run.status}\n${run.stderr}`;
	else {
		try {
			const json = JSON.parse(run.stdout) as { diagnostics: KmmDiagnostic[] };
			const byName = new Map(live.map((f) => [f.name, f]));
			for (const d of json.diagnostics) {
				const path = resolve(join(root, 'kmm'), d.file);
				const [fixtureName, ...rest] = relative(join(root, 'kmm'), path).split(sep);
				const f = byName.get(fixtureName);
				assert.ok(f, `kmm reported a file outside the fixtures: ${d.file}`);
				const file = rest.join('/');
				const kind = kindOfCode(d.code);
				if (!kind) {
					f.kmmOther.push(`${file}:${d.line} ${d.code}: ${d.message}`);
					continue;
				}
				f.kmm.push(...kmmFindings(d, kind, file, modulesOf(join(root, 'kmm', fixtureName)), readFileSync(path, 'utf8')));
			}
		} catch (e) {
			kmmError = `cannot read kmm's JSON: ${String(e)}\n${run.stdout.slice(0, 2000)}\n${run.stderr}`;
		}
	}

	const totalBuild = live.reduce((s, f) => s + (f.build?.seconds ?? 0), 0);
	console.log(
		`\nreal modpost (${headers}) vs EXPECTED vs kmm check (${kernel.src})\n` +
			`${live.length} modules: ${totalBuild.toFixed(1)}s of make in all, ${jobs} at a time next to one kmm check ` +
			`(${run.seconds.toFixed(1)}s, index included); ${wall.toFixed(1)}s wall\n\n` +
			`${table(fixtures)}\n`,
	);

	for (const f of fixtures) {
		if (f.expected.skip) {
			await t.test(f.name, { skip: f.expected.skip }, () => {});
			continue;
		}
		await t.test(`${f.name}: compiles, and modpost agrees with ${f.expected.name}`, () => {
			const b = f.build!;
			assert.ok(b.reachedModpost, `${f.name} does not compile against ${headers}:\n${b.output}`);
			assert.deepEqual(f.modpostOther, [], `${f.name}: modpost said something this test does not understand:\n${b.output}`);
			assert.equal(b.status !== 0, (f.modpost ?? []).length > 0, `${f.name}: make's status ${b.status} and modpost's findings disagree:\n${b.output}`);
			assert.deepEqual(keys(f.expected.findings), keys(f.modpost ?? []), `${f.name}/${f.expected.name} vs modpost:\n${b.output}`);
		});
		const gap = KNOWN_GAPS[f.name];
		const title = gap ? `${f.name}: kmm check agrees with modpost but for a known gap (${gap.why})` : `${f.name}: kmm check agrees with modpost`;
		await t.test(title, () => {
			assert.ok(!kmmError, kmmError);
			const extra = f.kmmOther.length ? `\nother kmm diagnostics:\n  ${f.kmmOther.join('\n  ')}` : '';
			const want = (f.modpost ?? []).filter((m) => !gap?.symbols.includes(m.symbol));
			if (gap) assert.equal(want.length, (f.modpost ?? []).length - gap.symbols.length, `${f.name}: modpost no longer reports all of ${gap.symbols.join(', ')}`);
			assert.deepEqual(keys(f.kmm), keys(want), `${f.name}: kmm (actual) vs modpost (expected)${extra}`);
		});
	}

	if (process.env.KMM_KEEP_MODPOST_BUILD) console.log(`kept ${root}`);
	else rmSync(root, { recursive: true, force: true });
});
