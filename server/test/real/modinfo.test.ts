/**
 * Our build units of the real 6.1 tree, read with the .config of Debian's amd64 build,
 * against the .ko files of that build (linux-image-6.1.0-56-amd64): every module the build
 * made must be a module unit of ours with the same name and the licenses its .modinfo
 * carries, and we must name no module the build did not make. The few we cannot get right
 * are listed with why.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildKernelIndex } from '../../src/engine/kernel/build';
import type { KernelIndex } from '../../src/engine/kernel/index';
import { kernelCache, requireRealKernel } from '../helpers/real-kernel';

const RELEASE = '6.1.0-56-amd64';

/** lib/modules/<release>/kernel of the extracted image, as scripts/fetch-kernel.sh leaves it. */
function modulesDir(t: TestContext): string | undefined {
	const dir = process.env.KMM_MODULES ?? join(kernelCache(), `linux-image-${RELEASE}`, 'lib', 'modules', RELEASE, 'kernel');
	if (existsSync(join(kernelCache(), 'stamps', `linux-image-${RELEASE}`)) || process.env.KMM_MODULES) {
		if (existsSync(dir)) return dir;
	}
	const required = process.env.KMM_REAL_KERNEL === 'required';
	const reason = `${RELEASE} .ko files not found at ${dir}: run scripts/fetch-kernel.sh`;
	const bar = '!'.repeat(78);
	console.error(`\n${bar}\n!! ${required ? 'FAILING' : 'SKIPPING'} "${t.name}"\n!! ${reason}\n${bar}\n`);
	assert.ok(!required, `${reason} (KMM_REAL_KERNEL=required)`);
	t.skip(reason);
	return undefined;
}

/** The `key=value` strings of an ELF64 little-endian object's .modinfo section. */
function modinfo(elf: Buffer): string[] {
	assert.equal(elf.readUInt32BE(0), 0x7f454c46, 'not an ELF file');
	const shoff = Number(elf.readBigUInt64LE(0x28));
	const shentsize = elf.readUInt16LE(0x3a);
	const shnum = elf.readUInt16LE(0x3c);
	const shstrndx = elf.readUInt16LE(0x3e);
	const section = (k: number) => {
		const at = shoff + k * shentsize;
		return { name: elf.readUInt32LE(at), offset: Number(elf.readBigUInt64LE(at + 0x18)), size: Number(elf.readBigUInt64LE(at + 0x20)) };
	};
	const names = section(shstrndx);
	for (let k = 0; k < shnum; k++) {
		const s = section(k);
		const start = names.offset + s.name;
		if (elf.toString('latin1', start, elf.indexOf(0, start)) !== '.modinfo') continue;
		return elf.toString('utf8', s.offset, s.offset + s.size).split('\0').filter((e) => e !== '');
	}
	return [];
}

/** A .ko's bytes; Debian 6.1 ships them plain, later ones compress (xz, zstd). */
function readKo(path: string): Buffer {
	if (path.endsWith('.ko')) return readFileSync(path);
	const tool = path.endsWith('.xz') ? 'xz' : path.endsWith('.zst') ? 'zstd' : 'gzip';
	return execFileSync(tool, ['-dc', path], { maxBuffer: 1 << 28 });
}

/** Module path (relative to kernel/, no .ko) → its licenses, sorted. */
function builtModules(root: string): Map<string, string[]> {
	const out = new Map<string, string[]>();
	const walk = (rel: string) => {
		for (const e of readdirSync(join(root, rel), { withFileTypes: true })) {
			const path = rel ? `${rel}/${e.name}` : e.name;
			if (e.isDirectory()) walk(path);
			const m = /^(.*)\.ko(\.xz|\.zst|\.gz)?$/.exec(path);
			if (m && e.isFile()) {
				const licenses = modinfo(readKo(join(root, path)))
					.filter((e) => e.startsWith('license='))
					.map((e) => e.slice('license='.length));
				out.set(m[1], [...new Set(licenses)].sort());
			}
		}
	};
	walk('');
	return out;
}

function ourModules(index: KernelIndex): Map<string, string[]> {
	const out = new Map<string, string[]>();
	for (const unit of index.units.values()) {
		if (unit.kind !== 'module') continue;
		out.set(unit.name, [...new Set(index.licensesOf(unit).map((l) => l.license))].sort());
	}
	return out;
}

/**
 * What the index cannot know, with why (`missing ...`: built, not a module of ours; `extra
 * ...`: ours, not built; `license ...`: licenses differ). Empty on 6.1.192: licenses in
 * #included .c files and through header macros are read. Anything that differs fails.
 */
const RESIDUE = new Map<string, string>();

test('module units of the real 6.1 tree match the .ko files of its amd64 build', (t) => {
	const kernel = requireRealKernel(t);
	if (!kernel) return;
	const modules = modulesDir(t);
	if (!modules) return;
	const configFile = join(dirname(kernel.symvers), '.config');
	const started = Date.now();
	const index = buildKernelIndex(kernel.src, { configFile });
	const buildMs = Date.now() - started;
	const built = builtModules(modules);
	const ours = ourModules(index);
	const missing = [...built.keys()].filter((m) => !ours.has(m));
	const extra = [...ours.keys()].filter((m) => !built.has(m));
	const named = [...built.keys()].filter((m) => ours.has(m));
	const licenseDiffers = named.filter((m) => ours.get(m)?.join(' | ') !== built.get(m)?.join(' | '));
	const pct = (n: number, of: number) => `${n}/${of} (${((100 * n) / of).toFixed(2)}%)`;
	const show = (label: string, list: string[], detail: (m: string) => string) =>
		[`${label}: ${list.length}`, ...list.map((m) => `  ${m}${detail(m)}${RESIDUE.has(`${label} ${m}`) ? ` — known: ${RESIDUE.get(`${label} ${m}`)}` : ''}`)];
	const licenses = (m: string) => ` ours [${ours.get(m)?.join(' | ')}] built [${built.get(m)?.join(' | ')}]`;
	const report = [
		`index of ${kernel.src} with ${configFile} in ${(buildMs / 1000).toFixed(1)}s`,
		`modules named: ${pct(named.length, built.size)}; module units of ours not built: ${extra.length} of ${ours.size}`,
		`licenses equal: ${pct(named.length - licenseDiffers.length, built.size)}`,
		...show('missing', missing, () => ''),
		...show('extra', extra, (m) => ` (${index.units.get(m)?.kbuildFile}:${index.units.get(m)?.kbuildLine})`),
		...show('license', licenseDiffers, licenses),
	];
	for (const line of report) t.diagnostic(line);
	assert.ok(built.size > 3000, 'the image holds too few .ko files');
	const unexplained = [
		...missing.map((m) => `missing ${m}`),
		...extra.map((m) => `extra ${m}`),
		...licenseDiffers.map((m) => `license ${m}`),
	].filter((k) => !RESIDUE.has(k));
	assert.deepEqual(unexplained, [], 'unexplained differences from the built modules (see the diagnostics)');
	const all = new Set([...missing.map((m) => `missing ${m}`), ...extra.map((m) => `extra ${m}`), ...licenseDiffers.map((m) => `license ${m}`)]);
	assert.deepEqual([...RESIDUE.keys()].filter((k) => !all.has(k)), [], 'residue that matches now: drop it from RESIDUE');
});
