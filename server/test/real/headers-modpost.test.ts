/**
 * The modpost differential test again, with no source tree anywhere: kmm checks every
 * fixture module against Debian's linux-headers-6.1.0-56-amd64 alone (exports from its
 * Module.symvers, inlines and macros from its headers, its .config), and must report
 * exactly what the real modpost of that package reports, fixture by fixture, as sets of
 * (module, kind, symbol[, namespace]). modpost.test.ts compares the EXPECTED files and the
 * source-tree run; this one needs only the headers package (scripts/install-headers.sh).
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
	kmmFindingsByFixture,
	parseModpost,
	pool,
	realExpected,
	requireHeaders,
	runKmm,
	type KmmDiagnostic,
} from '../helpers/modpost';

test('kmm check against the headers package alone agrees with real modpost on every fixture', async (t) => {
	const headers = requireHeaders(t);
	if (!headers) return;
	assert.ok(existsSync(KMM), `${KMM} is missing: run npm run build`);
	const names = readdirSync(DRIVERS, { withFileTypes: true })
		.filter((d) => d.isDirectory() && existsSync(join(DRIVERS, d.name, 'EXPECTED')) && !realExpected(join(DRIVERS, d.name)).skip)
		.map((d) => d.name)
		.sort();
	assert.ok(names.length >= 30, `expected many fixture modules, found ${names.length}`);

	// make writes objects next to the sources; kmm reads a clean copy.
	const root = mkdtempSync(join(tmpdir(), 'kmm-modpost-headers-'));
	for (const name of names) for (const side of ['build', 'kmm']) cpSync(join(DRIVERS, name), join(root, side, name), { recursive: true });
	const cacheDir = join(root, 'cache');
	const jobs = Math.max(1, Math.min(8, availableParallelism()));
	const [builds, run] = await Promise.all([
		pool(names, jobs, (name) => buildModule(headers, join(root, 'build', name))),
		runKmm(KMM, ['check', ...names, '--kernel', headers, '--cache-dir', cacheDir, '--format', 'json'], join(root, 'kmm')),
	]);
	assert.ok(run.status === 0 || run.status === 1, `kmm check exited ${run.status}\n${run.stderr}`);
	const json = JSON.parse(run.stdout) as { kernel: { kind: string }; diagnostics: KmmDiagnostic[] };
	assert.equal(json.kernel.kind, 'headers');

	const ours = kmmFindingsByFixture(join(root, 'kmm'), names, json.diagnostics);

	let agree = 0;
	const disagree: string[] = [];
	names.forEach((name, i) => {
		const b = builds[i];
		if (!b.reachedModpost) {
			disagree.push(`${name}: does not compile against ${headers}`);
			return;
		}
		const want = findingKeys(parseModpost(b.output).findings);
		const got = findingKeys(ours.get(name) ?? []);
		if (JSON.stringify(want) === JSON.stringify(got)) agree++;
		else disagree.push(`${name}:\n  modpost: ${want.join('; ') || '(nothing)'}\n  kmm:     ${got.join('; ') || '(nothing)'}`);
	});
	console.log(`\nkmm check --kernel ${headers} (headers only, ${run.seconds.toFixed(1)}s) vs real modpost: ${agree}/${names.length} fixtures agree`);
	if (process.env.KMM_KEEP_MODPOST_BUILD) console.log(`kept ${root}`);
	else rmSync(root, { recursive: true, force: true });
	assert.deepEqual(disagree, [], `fixtures where kmm (headers only) and modpost disagree:\n${disagree.join('\n')}`);
});
