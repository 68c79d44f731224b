/**
 * One `kmm check --kernel 6.1 --kernel 6.12` over every fixture module that builds on both
 * real kernels, against the real modpost of each: for each kernel, the findings kmm says hold
 * in it (the `kernels` field) must be exactly what that kernel's modpost refuses, fixture by
 * fixture, as sets of (module, kind, symbol[, namespace]). The multik-* fixtures have version
 * guards right on one kernel and wrong on the other; their EXPECTED.linux-6.12 (and
 * EXPECTED.linux-6.1) files must equal the modpost of that kernel too, and a finding that
 * holds in one kernel only says so in its message, once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DRIVERS, KMM } from '../helpers/paths';
import {
	buildModule,
	findingKeys,
	HEADERS_612_PKG,
	kmmFindingsByFixture,
	parseModpost,
	pool,
	realExpected,
	requireHeaders,
	runKmm,
	type KmmDiagnostic,
} from '../helpers/modpost';

type Diagnostic = KmmDiagnostic & { kernels: string[] };

test('kmm check against 6.1 and 6.12 at once gives each kernel its own modpost verdict', async (t) => {
	const h61 = requireHeaders(t);
	if (!h61) return;
	const h612 = requireHeaders(t, HEADERS_612_PKG);
	if (!h612) return;
	assert.ok(existsSync(KMM), `${KMM} is missing: run npm run build`);
	const kernels = [
		{ label: '6.1.192', headers: h61, release: '6.1' },
		{ label: '6.12.117', headers: h612, release: '6.12' },
	];
	const names = readdirSync(DRIVERS, { withFileTypes: true })
		.filter((d) => d.isDirectory() && existsSync(join(DRIVERS, d.name, 'EXPECTED')))
		.map((d) => d.name)
		.filter((name) => kernels.every((k) => !realExpected(join(DRIVERS, name), k.release).skip))
		.sort();
	assert.ok(names.length >= 30 && names.includes('multik-gpl') && names.includes('multik-ns'), names.join(' '));

	const root = mkdtempSync(join(tmpdir(), 'kmm-multi-kernel-'));
	for (const name of names) {
		for (const side of ['kmm', ...kernels.map((k) => `build-${k.release}`)]) cpSync(join(DRIVERS, name), join(root, side, name), { recursive: true });
	}
	const jobs = Math.max(1, Math.min(8, availableParallelism()));
	const builds = kernels.flatMap((k) => names.map((name) => ({ k, name })));
	const [built, run] = await Promise.all([
		pool(builds, jobs, ({ k, name }) => buildModule(k.headers, join(root, `build-${k.release}`, name))),
		runKmm(KMM, ['check', ...names, ...kernels.flatMap((k) => ['--kernel', k.headers]), '--cache-dir', join(root, 'cache'), '--format', 'json'], join(root, 'kmm')),
	]);
	assert.ok(run.status === 0 || run.status === 1, `kmm check exited ${run.status}\n${run.stderr}`);
	const json = JSON.parse(run.stdout) as { kernels: { label: string; kind: string }[]; diagnostics: Diagnostic[] };
	assert.deepEqual(
		json.kernels.map((k) => `${k.label} ${k.kind}`),
		kernels.map((k) => `${k.label} headers`),
	);

	for (const d of json.diagnostics) {
		assert.ok(d.kernels.length > 0 && d.kernels.every((l) => kernels.some((x) => x.label === l)), `${d.file}: kernels ${d.kernels.join(',')}`);
	}
	const disagree: string[] = [];
	const agree = new Map(kernels.map((k) => [k.label, 0]));
	for (const k of kernels) {
		const ours = kmmFindingsByFixture(join(root, 'kmm'), names, json.diagnostics.filter((d) => d.kernels.includes(k.label)));
		names.forEach((name) => {
			const b = built[builds.findIndex((x) => x.k === k && x.name === name)];
			if (!b.reachedModpost) {
				disagree.push(`${name}: does not compile against ${k.headers}`);
				return;
			}
			const want = findingKeys(parseModpost(b.output).findings);
			const got = findingKeys(ours.get(name) ?? []);
			if (JSON.stringify(want) === JSON.stringify(got)) agree.set(k.label, (agree.get(k.label) ?? 0) + 1);
			else disagree.push(`${name} on ${k.label}:\n  modpost: ${want.join('; ') || '(nothing)'}\n  kmm:     ${got.join('; ') || '(nothing)'}`);
			// The fixture's file for this kernel is grounded in this kernel's modpost.
			const expected = realExpected(join(DRIVERS, name), k.release);
			if (expected.name !== 'EXPECTED' && JSON.stringify(findingKeys(expected.findings)) !== JSON.stringify(want)) {
				disagree.push(`${name}/${expected.name} is not what the modpost of ${k.label} says: ${want.join('; ') || '(nothing)'}`);
			}
		});
	}
	console.log(
		`\nkmm check --kernel ${h61} --kernel ${h612} (${run.seconds.toFixed(1)}s) vs the real modpost of each: ` +
			kernels.map((k) => `${k.label} ${agree.get(k.label)}/${names.length}`).join(', ') +
			' fixtures agree',
	);

	// The finding of one kernel only is one diagnostic that names it and what the other has.
	const mk = (file: string) => json.diagnostics.filter((d) => d.file === join('multik-gpl', file) || d.file === join('multik-ns', file));
	const line = (d: Diagnostic) => `${d.line} ${d.code} [${d.kernels.join(',')}] ${d.message.replace(/: it is exported.*|, which .*| \(exported with.*/, '')}`;
	assert.deepEqual(mk('mkgpl.c').map(line), [
		"25 gpl-only-symbol [6.12.117] GPL-incompatible module mkgpl.ko uses GPL-only symbol 'recalibrate_cpu_khz' (in 6.12.117; exported with EXPORT_SYMBOL in 6.1.192)",
		"31 gpl-only-symbol [6.1.192,6.12.117] GPL-incompatible module mkgpl.ko uses GPL-only symbol 'devm_memremap_pages'",
	]);
	assert.deepEqual(mk('mkns.c').map(line), [
		'26 missing-namespace-import [6.12.117] module mkns uses symbol anon_inode_make_secure_inode (in 6.12.117; exported with EXPORT_SYMBOL_GPL (no namespace) in 6.1.192)',
		'34 missing-namespace-import [6.1.192] module mkns uses symbol alloc_free_mem_region from namespace CXL, but does not import it (in 6.1.192; exported with EXPORT_SYMBOL_GPL (no namespace) in 6.12.117)',
	]);

	if (process.env.KMM_KEEP_MODPOST_BUILD) console.log(`kept ${root}`);
	else rmSync(root, { recursive: true, force: true });
	assert.deepEqual(disagree, [], `where kmm's per-kernel verdicts and each kernel's modpost disagree:\n${disagree.join('\n')}`);
});
