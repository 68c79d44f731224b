/**
 * The in-tree clean sweep, CI-sized: Debian built every module of these directories with
 * the .config of linux-headers-6.1.0-56-amd64 and the real modpost accepted all of them, so
 * `kmm check` over them with that .config must report zero error findings. The sample is
 * fixed and diverse: every top-level subsystem, and the largest drivers (amdgpu, i915,
 * nouveau, xfs, btrfs, iwlwifi, mlx5). The whole tree is `node scripts/sweep.mjs`, which the
 * benchmark runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { KMM } from '../helpers/paths';
import { requireRealKernel } from '../helpers/real-kernel';

const SAMPLE = [
	'drivers/gpu/drm/amd/amdgpu',
	'drivers/gpu/drm/i915',
	'drivers/gpu/drm/nouveau',
	'fs/xfs',
	'fs/btrfs',
	'drivers/net/wireless/intel/iwlwifi',
	'drivers/net/ethernet/mellanox/mlx5',
	'drivers/net/ethernet/intel',
	'drivers/nvdimm',
	'drivers/dax',
	'drivers/block',
	'drivers/ata',
	'drivers/usb/storage',
	'drivers/usb/serial',
	'drivers/hid',
	'drivers/input',
	'drivers/md',
	'drivers/scsi',
	'drivers/dma',
	'drivers/vhost',
	'drivers/infiniband/core',
	'drivers/media/usb',
	'drivers/char',
	'fs/nfs',
	'fs/fuse',
	'fs/isofs',
	'net/netfilter',
	'net/bluetooth',
	'net/l2tp',
	'sound/pci',
	'sound/core',
	'sound/soc/codecs',
	'mm',
	'lib',
	'crypto',
	'block',
	'virt',
	'security',
	'kernel',
	'arch/x86',
];

interface Diagnostic {
	file: string;
	line: number;
	severity: string;
	code: string;
	message: string;
}

test('in-tree sweep: zero error findings over a fixed sample of at least 400 modules Debian built', { timeout: 30 * 60_000 }, (t) => {
	const real = requireRealKernel(t);
	if (!real) return;
	const config = join(dirname(real.symvers), '.config');
	const cacheDir = mkdtempSync(join(tmpdir(), 'kmm-sweep-cache-'));
	try {
		const common = ['--kernel', real.src, '--config', config, '--cache-dir', cacheDir];
		const modules = spawnSync(process.execPath, [KMM, 'modules', ...common], { encoding: 'utf8', maxBuffer: 1 << 28 });
		assert.equal(modules.status, 0, modules.stderr);
		const inSample = modules.stdout
			.split('\n')
			.filter(Boolean)
			.filter((line) => line.split('\t')[2]?.split(',').some((f) => SAMPLE.some((dir) => f.startsWith(`${dir}/`))));
		assert.ok(inSample.length >= 400, `the sample holds ${inSample.length} modules, fewer than 400`);

		const run = spawnSync(process.execPath, [KMM, 'check', '--format', 'json', ...common, ...SAMPLE.map((d) => join(real.src, d))], {
			encoding: 'utf8',
			maxBuffer: 1 << 30,
		});
		assert.ok(run.status === 0 || run.status === 1, `kmm check exited ${run.status}: ${run.stderr.slice(-2000)}`);
		const errors = (JSON.parse(run.stdout) as { diagnostics: Diagnostic[] }).diagnostics.filter((d) => d.severity === 'error');
		const shown = errors.slice(0, 40).map((d) => `${d.file.slice(real.src.length + 1)}:${d.line} [${d.code}] ${d.message.slice(0, 160)}`);
		console.log(`sweep sample: ${inSample.length} modules in ${SAMPLE.length} directories, ${errors.length} error findings`);
		assert.deepEqual(shown, [], `${errors.length} false errors on modules that modpost accepted`);
	} finally {
		rmSync(cacheDir, { recursive: true, force: true });
	}
});
