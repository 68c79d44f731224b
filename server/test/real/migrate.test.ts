/**
 * The migrations' bar: a migrated driver compiles. Every hmm-* fixture driver written for
 * 4.19 (test-fixtures/drivers/hmm-{member,global,public,multi}) is copied to a temp dir,
 * migrated with `kmm migrate --write` against Debian's real linux-source-6.1 tree, and built
 * with Debian's 6.1 kbuild (`make -C /usr/src/linux-headers-6.1.0-56-amd64 M=DIR modules`):
 * zero errors and zero warnings, modpost included, and `kmm check` is clean afterwards.
 * The un-migrated fixtures are not built (6.1 does not declare the old API; their
 * EXPECTED.linux-6.1 says skip). hmm-legacy is not here: it still calls
 * hmm_vma_alloc_locked_page(), which no migration covers (kmm migrate says so).
 *
 * Skips loudly without the tree or the headers; fails instead with KMM_REAL_KERNEL=required.
 * KMM_KEEP_MIGRATE_BUILD=1 keeps the temp dir.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DRIVERS, KMM } from '../helpers/paths';
import { requireRealKernel } from '../helpers/real-kernel';
import { buildModule, pool, requireHeaders, runKmm } from '../helpers/modpost';

const FIXTURES = ['hmm-member', 'hmm-global', 'hmm-public', 'hmm-multi'];

test('every hmm-* fixture driver, migrated against real 6.1, builds with zero errors and checks clean', async (t) => {
	const kernel = requireRealKernel(t);
	if (!kernel) return;
	const headers = requireHeaders(t);
	if (!headers) return;
	assert.ok(existsSync(KMM), `${KMM} is missing: run npm run build`);

	const root = mkdtempSync(join(tmpdir(), 'kmm-migrate-real-'));
	for (const name of FIXTURES) cpSync(join(DRIVERS, name), join(root, name), { recursive: true });

	const migrate = await runKmm(KMM, ['migrate', ...FIXTURES, '--kernel', kernel.src, '--write'], root);
	assert.equal(migrate.status, 0, `kmm migrate left something:\n${migrate.stderr}`);
	assert.match(migrate.stderr, /hmmpub\.c:\d+:\d+: review: MEMORY_DEVICE_PUBLIC is gone/);

	// kmm check first (make writes *.mod.c files next to the sources).
	const check = await runKmm(KMM, ['check', ...FIXTURES, '--kernel', kernel.src, '--config', join(headers, '.config')], root);
	assert.equal(check.stdout, '', 'kmm check after migration');
	assert.equal(check.status, 0, check.stderr);

	const builds = await pool(FIXTURES, 4, (name) => buildModule(headers, join(root, name)));
	for (const [i, name] of FIXTURES.entries()) {
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
});
