/**
 * A .config is an overlay on the index: the per-file facts are cached once per tree, the
 * units and exports derived under each configuration beside them. Switching `--config` back
 * and forth re-derives once per configuration and never rewrites the per-file cache.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildKernelIndexAsync } from '../../src/engine/kernel/build';
import { MODERN } from '../helpers/paths';

test('--config: derived tables per configuration, the per-file cache written once', async () => {
	const cacheDir = mkdtempSync(join(tmpdir(), 'kmm-overlay-'));
	const configs = mkdtempSync(join(tmpdir(), 'kmm-overlay-configs-'));
	try {
		const withoutHotplug = join(configs, 'a.config');
		const withHotplug = join(configs, 'b.config');
		writeFileSync(withoutHotplug, 'CONFIG_ZONE_DEVICE=y\n# CONFIG_MEMORY_HOTPLUG is not set\n');
		writeFileSync(withHotplug, 'CONFIG_ZONE_DEVICE=y\nCONFIG_MEMORY_HOTPLUG=y\n');
		const cold = await buildKernelIndexAsync(MODERN, { cacheDir, configFile: withoutHotplug });
		assert.equal(cold.stats.exportsFrom, 'scan');
		const [main] = readdirSync(join(cacheDir, 'index')).map((f) => join(cacheDir, 'index', f));
		const written = statSync(main).mtimeMs;

		const b = await buildKernelIndexAsync(MODERN, { cacheDir, configFile: withHotplug });
		assert.equal(b.stats.fromCache, true);
		assert.equal(b.stats.exportsFrom, 'scan', 'a new configuration is derived once');
		assert.ok(b.unitOfFile.has('mm/memory_hotplug.c') && !cold.unitOfFile.has('mm/memory_hotplug.c'), 'units follow the .config');
		const a = await buildKernelIndexAsync(MODERN, { cacheDir, configFile: withoutHotplug });
		assert.equal(a.stats.exportsFrom, 'cache');
		assert.deepEqual([...a.exports.entries()], [...cold.exports.entries()]);
		assert.deepEqual([...a.units.keys()], [...cold.units.keys()]);
		const again = await buildKernelIndexAsync(MODERN, { cacheDir, configFile: withHotplug });
		assert.equal(again.stats.exportsFrom, 'cache');
		assert.deepEqual([...again.units.keys()], [...b.units.keys()]);
		assert.equal(statSync(main).mtimeMs, written, 'the per-file cache is not rewritten for a configuration');
		assert.equal(readdirSync(join(cacheDir, 'derived')).length, 2);
	} finally {
		rmSync(cacheDir, { recursive: true, force: true });
		rmSync(configs, { recursive: true, force: true });
	}
});
