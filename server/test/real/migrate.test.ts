/**
 * The migrations' bar: a migrated driver compiles, on the kernel it was migrated to. The
 * fixture drivers of each era shape (test-fixtures/drivers: hmm-{member,global,public,multi}
 * written for 4.19's hmm_devmem API; pgmap-res, a driver-owned pagemap of 5.3 – 5.9 with
 * `res`, `%pR` and MEMORY_DEVICE_DEVDAX; pgmap-mixed, nouveau-5.2-shaped hmm_devmem code
 * with `page->pgmap->data` next to a pre-5.10 pagemap with `data`, `altmap_valid` and `res`)
 * are copied to a temp dir, migrated with `kmm migrate --write`, and built with Debian's
 * kbuild (`make -C /usr/src/linux-headers-… M=DIR modules`): zero errors and zero warnings,
 * modpost included, and `kmm check` clean afterwards.
 * - 6.1: migrated against Debian's linux-source-6.1 tree, built with the 6.1.0-56 headers.
 * - 6.12: migrated against the 6.12.117 headers package itself, built with it.
 * Before migration, gcc's "has no member named" / "undeclared" errors on 6.1 are exactly
 * the lines removed-member reports (the un-migrated res-based fixture: one file, so gcc goes
 * through all of it).
 * hmm-legacy is not here: it still calls hmm_vma_alloc_locked_page(), which no migration
 * covers (kmm migrate says so and exits 1).
 *
 * Skips loudly without the tree or the headers; fails instead with KMM_REAL_KERNEL=required.
 * KMM_KEEP_MIGRATE_BUILD=1 keeps the temp dirs.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DRIVERS, KMM } from '../helpers/paths';
import { requireRealKernel } from '../helpers/real-kernel';
import { buildModule, HEADERS_612_PKG, pool, requireHeaders, runKmm } from '../helpers/modpost';

const ERAS = ['pgmap-res', 'pgmap-mixed'];
const FIXTURES = ['hmm-member', 'hmm-global', 'hmm-public', 'hmm-multi', ...ERAS];
/**
 * On 6.12 also without hmm-global and hmm-multi: their platform_driver .remove returns int,
 * which 6.11 made void. That is no ZONE_DEVICE change and no migration of ours.
 */
const FIXTURES_612 = ['hmm-member', 'hmm-public', ...ERAS];

function copies(names: string[], tag: string): string {
	const root = mkdtempSync(join(tmpdir(), `kmm-migrate-${tag}-`));
	for (const name of names) cpSync(join(DRIVERS, name), join(root, name), { recursive: true });
	return root;
}

async function migrateAndBuild(t: TestContext, names: string[], kernelDir: string, headers: string, config: string, tag: string): Promise<void> {
	assert.ok(existsSync(KMM), `${KMM} is missing: run npm run build`);
	const root = copies(names, tag);
	const migrate = await runKmm(KMM, ['migrate', ...names, '--kernel', kernelDir, '--write'], root);
	assert.equal(migrate.status, 0, `kmm migrate left something:\n${migrate.stderr}`);
	assert.match(migrate.stderr, /hmmpub\.c:\d+:\d+: review: MEMORY_DEVICE_PUBLIC is gone/);
	assert.match(migrate.stderr, /kmm: migrated \d+ files\n/);

	// kmm check first (make writes *.mod.c files next to the sources).
	const check = await runKmm(KMM, ['check', ...names, '--kernel', kernelDir, '--config', config], root);
	assert.equal(check.stdout, '', 'kmm check after migration');
	assert.equal(check.status, 0, check.stderr);

	const builds = await pool(names, 2, (name) => buildModule(headers, join(root, name)));
	for (const [i, name] of names.entries()) {
		await t.test(`${name}: builds against ${headers}`, () => {
			const b = builds[i];
			const diagnostics = b.output.split('\n').filter((l) => /\b(error|warning|ERROR|WARNING)\b/.test(l));
			assert.deepEqual(diagnostics, [], `${name}:\n${b.output}`);
			assert.equal(b.status, 0, `${name}:\n${b.output}`);
			assert.ok(b.reachedModpost, `${name} did not reach modpost:\n${b.output}`);
		});
	}
	if (process.env.KMM_KEEP_MIGRATE_BUILD) console.log(`kept ${root}`);
	else rmSync(root, { recursive: true, force: true });
}

test('every era fixture, migrated against real 6.1, builds with zero errors and warnings and checks clean', async (t) => {
	const kernel = requireRealKernel(t);
	if (!kernel) return;
	const headers = requireHeaders(t);
	if (!headers) return;
	await migrateAndBuild(t, FIXTURES, kernel.src, headers, join(headers, '.config'), '61');
});

test('the era fixtures, migrated against the 6.12 headers package, build with its kbuild', async (t) => {
	const headers = requireHeaders(t, HEADERS_612_PKG);
	if (!headers) return;
	await migrateAndBuild(t, FIXTURES_612, headers, headers, join(headers, '.config'), '612');
});

test('before migration, gcc on 6.1 refuses exactly the lines removed-member reports', async (t) => {
	const kernel = requireRealKernel(t);
	if (!kernel) return;
	const headers = requireHeaders(t);
	if (!headers) return;
	const names = ['pgmap-res'];
	const root = copies(names, 'before');
	const check = await runKmm(KMM, ['check', ...names, '--kernel', kernel.src, '--format', 'json'], root);
	const reported = (JSON.parse(check.stdout) as { diagnostics: { file: string; line: number; code: string }[] }).diagnostics
		.filter((d) => d.code === 'removed-member')
		.map((d) => `${d.file.replace(`${root}/`, '')}:${d.line}`);
	const builds = await pool(names, 2, (name) => buildModule(headers, join(root, name)));
	const refused = builds.flatMap((b, i) =>
		[...b.output.matchAll(/\/([\w.-]+\.c):(\d+):\d+: error: (?:'|‘)(?:struct \w+(?:'|’) has no member named|MEMORY_DEVICE_\w+(?:'|’) undeclared)/g)].map(
			(m) => `${names[i]}/${m[1]}:${m[2]}`,
		),
	);
	assert.ok(refused.length >= 10, `gcc refused the old shapes:\n${builds.map((b) => b.output).join('\n')}`);
	assert.deepEqual([...new Set(reported)].sort(), [...new Set(refused)].sort());
	rmSync(root, { recursive: true, force: true });
});
