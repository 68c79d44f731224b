// The fault suite (issue #15): hostile input in every place kmm reads, each case one
// `node dist/kmm.js` run bounded in time and memory. Three families:
//   mutate  — a mutated copy of a test-fixtures C file as a module next to a witness module
//             (truncation, random bytes and NULs, unbalanced braces/comments/strings, deep
//             nesting, huge lines, continuation floods, macro chains, invalid UTF-8);
//   special — a FIFO, /dev/zero link, character device, socket, directory, dangling link or
//             link loop where a module file, a header, .kmm.json or a kernel tree file is;
//   cache   — a damaged index cache (truncated, flipped, zeroed, emptied, or replaced by a
//             special file); the warm result must equal the cold one.
// Each case asserts: exit 0/1 (2, with a one-line reason, only where the kernel's top Makefile
// or a settings file is unusable), no hang past
// --timeout, peak RSS under --rss, the witness module's findings still reported.
//
//   node scripts/fuzz.mjs [--cases N] [--seed S] [--timeout MS] [--rss MB] [--keep]
// Exit status 0 when every case passed, 1 otherwise. Needs `npm run build` first.
import { spawn, execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';

const root = join(new URL('.', import.meta.url).pathname, '..');
const KMM = join(root, 'dist', 'kmm.js');
const MODERN = join(root, 'test-fixtures', 'kernels', 'modern');
const WITNESS = join(root, 'test-fixtures', 'drivers', 'pdev-proprietary');
/** What the witness module must still report, whatever happens next to it. */
const WITNESS_FINDINGS = [/witness\/pdev\.c:38:\d+: error: .*'devm_memremap_pages'/, /witness\/pdev\.c:44:\d+: error: .*'get_dev_pagemap'/];

const { values: opts } = parseArgs({
	options: {
		cases: { type: 'string', default: '200' },
		seed: { type: 'string', default: '1' },
		timeout: { type: 'string', default: '30000' },
		rss: { type: 'string', default: '1536' },
		keep: { type: 'boolean', default: false },
	},
});
const CASES = Number(opts.cases);
const TIMEOUT = Number(opts.timeout);
const RSS_KB = Number(opts.rss) * 1024;

/** mulberry32: the same seed gives the same cases. */
let state = Number(opts.seed) >>> 0;
function random() {
	state = (state + 0x6d2b79f5) >>> 0;
	let t = state;
	t = Math.imul(t ^ (t >>> 15), t | 1);
	t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
	return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (n) => Math.floor(random() * n);
const pick = (xs) => xs[int(xs.length)];

function cFiles(dir, out = []) {
	for (const e of readdirSync(dir, { withFileTypes: true })) {
		const path = join(dir, e.name);
		if (e.isDirectory()) cFiles(path, out);
		else if (/\.[ch]$/.test(e.name)) out.push(path);
	}
	return out;
}
const SOURCES = cFiles(join(root, 'test-fixtures'));

/** Inserts `piece` at a random offset of `buf`. */
const insert = (buf, piece) => {
	const at = int(buf.length + 1);
	return Buffer.concat([buf.subarray(0, at), Buffer.from(piece), buf.subarray(at)]);
};
const repeat = (s, n) => s.repeat(n);

const MUTATIONS = {
	truncate: (b) => b.subarray(0, int(b.length)),
	randomBytes: (b) => {
		const out = Buffer.from(b);
		for (let k = 0, n = 1 + int(64); k < n && out.length > 0; k++) out[int(out.length)] = int(256);
		return out;
	},
	nuls: (b) => insert(b, Buffer.alloc(1 + int(16))),
	openBraces: (b) => insert(b, repeat('{', 1 + int(200))),
	closeBraces: (b) => insert(b, repeat('}', 1 + int(200))),
	openComment: (b) => insert(b, '/*'),
	openString: (b) => insert(b, pick(['"', "'", '"\\'])),
	deepNesting: (b) => insert(b, `\nint deep(void) { return ${repeat('(', 20000)}1${repeat(')', 20000)}; }\n`),
	deepBlocks: (b) => insert(b, `\nvoid blocks(void) ${repeat('{', 20000)}${repeat('}', 20000)}\n`),
	deepIfs: (b) => insert(b, `\n${repeat('#if 1\n', 20000)}${repeat('#endif\n', 20000)}`),
	hugeLine: (b) => insert(b, `\nint huge = ${repeat('a+', 500000 + int(1000000))}a;\n`),
	continuationFlood: (b) => insert(b, `\n#define FLOOD \\\n${repeat('\tdevm_memremap_pages(0, 0) \\\n', 50000 + int(50000))}\t0\n`),
	macroChain: (b) => {
		const n = 4000 + int(4000);
		const chain = ['#define M0(x) devm_memremap_pages(x, 0)'];
		for (let k = 1; k < n; k++) chain.push(`#define M${k}(x) M${k - 1}(x)`);
		return insert(b, `\n${chain.join('\n')}\nvoid *chained(void) { return M${n - 1}(0); }\n`);
	},
	selfMacro: (b) => insert(b, '\n#define devm_memremap_pages(a, b) devm_memremap_pages(a, b)\n'),
	manyUses: (b) => insert(b, `\nvoid many(void)\n{\n${Array.from({ length: 140000 }, (_, k) => `\tf${k % 97}();`).join('\n')}\n}\n`),
	invalidUtf8: (b) => insert(b, Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x28, 0x8c, 0xbc, 0xff, 0xfe])),
	crlf: (b) => Buffer.from(b.toString('latin1').replace(/\n/g, '\r\n'), 'latin1'),
};

const sockets = [];
/** Makes `path` a special file of `kind`; kinds that need a target name it. */
async function special(path, kind) {
	rmSync(path, { recursive: true, force: true });
	if (kind === 'fifo') execFileSync('mkfifo', [path]);
	else if (kind === 'zero') symlinkSync('/dev/zero', path);
	else if (kind === 'urandom') symlinkSync('/dev/urandom', path);
	else if (kind === 'directory') mkdirSync(path);
	else if (kind === 'dangling') symlinkSync(`${path}.gone`, path);
	else if (kind === 'loop') symlinkSync(path, path);
	else if (kind === 'socket') {
		const server = createServer();
		sockets.push(server);
		await new Promise((done) => server.listen(path, done));
	}
}
const SPECIAL_KINDS = ['fifo', 'zero', 'urandom', 'directory', 'dangling', 'loop', 'socket'];

/** One run of kmm, bounded: status (null when killed), output, peak RSS from /proc. */
function run(args, cwd) {
	return new Promise((resolve) => {
		const child = spawn(process.execPath, [KMM, ...args], { cwd, env: { ...process.env, KDIR: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		let peak = 0;
		let killed;
		child.stdout.on('data', (d) => (stdout.length < 1 << 20 ? (stdout += d) : undefined));
		child.stderr.on('data', (d) => (stderr.length < 1 << 20 ? (stderr += d) : undefined));
		const poll = setInterval(() => {
			try {
				const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
				if (hwm) peak = Math.max(peak, Number(hwm[1]));
			} catch {
				return;
			}
			if (peak > RSS_KB && !killed) {
				killed = 'memory';
				child.kill('SIGKILL');
			}
		}, 50);
		const timer = setTimeout(() => {
			killed = 'hang';
			child.kill('SIGKILL');
		}, TIMEOUT);
		child.on('close', (status) => {
			clearInterval(poll);
			clearTimeout(timer);
			resolve({ status: killed ? null : status, killed, stdout, stderr, peak });
		});
	});
}

const work = mkdtempSync(join(tmpdir(), 'kmm-fuzz-'));
const sharedCache = join(work, 'cache');

/** A fresh workspace: the witness module, and a victim module dir to put hostile files in. */
function workspace(k) {
	const dir = join(work, `case-${k}`);
	cpSync(WITNESS, join(dir, 'witness'), { recursive: true });
	mkdirSync(join(dir, 'victim'));
	writeFileSync(join(dir, 'victim', 'Kbuild'), 'obj-m := victim.o\n');
	writeFileSync(join(dir, 'victim', 'victim.c'), '#include "victim.h"\nMODULE_LICENSE("GPL");\nint victim_fn(void) { return 0; }\n');
	writeFileSync(join(dir, 'victim', 'victim.h'), '#define VICTIM 1\n');
	return dir;
}

async function mutateCase(k) {
	const dir = workspace(k);
	const source = pick(SOURCES);
	const names = Object.keys(MUTATIONS);
	const applied = Array.from({ length: 1 + int(2) }, () => pick(names));
	let data = readFileSync(source);
	for (const m of applied) data = MUTATIONS[m](data);
	writeFileSync(join(dir, 'victim', pick(['victim.c', 'victim.h'])), data);
	return { name: `mutate ${applied.join('+')} of ${relative(root, source)}`, dir, args: ['check', '.', '--kernel', MODERN, '--cache-dir', sharedCache] };
}

/** Files of the kernel tree a special file may replace, and whether the kernel is then unusable. */
const TREE_TARGETS = [
	['Makefile', 'kernel unusable'],
	['Kbuild', 'ok'],
	['Kconfig', 'ok'],
	['.config', 'ok'],
	['Module.symvers', 'ok'],
	['mm/Makefile', 'ok'],
	['include/linux/fakemem.h', 'ok'],
	['lib/Makefile', 'ok'],
	['kernel/Makefile', 'ok'],
	['drivers/Makefile', 'ok'],
];

async function specialCase(k) {
	const dir = workspace(k);
	const kind = pick(SPECIAL_KINDS);
	if (random() < 0.5) {
		const target = pick(['victim/Kbuild', 'victim/Makefile', 'victim/victim.c', 'victim/victim.h', 'victim/other.c', 'witness/Kbuild', 'witness/.kmm.json', '.kmm.json']);
		await special(join(dir, target), kind);
		// The witness's own Kbuild may take its findings; unreadable settings are refused (exit 2).
		const witnessHit = target.startsWith('witness/');
		return { name: `special ${kind} as ${target}`, dir, args: ['check', '.', '--kernel', MODERN, '--cache-dir', sharedCache], lenient: witnessHit, mayRefuse: target.endsWith('.kmm.json') };
	}
	const tree = join(dir, 'linux');
	cpSync(MODERN, tree, { recursive: true });
	const [target, effect] = pick(TREE_TARGETS);
	await special(join(tree, target), kind);
	return { name: `special ${kind} as kernel ${target}`, dir, args: ['check', '.', '--kernel', tree, '--cache-dir', join(dir, 'cache')], mayRefuse: effect !== 'ok' };
}

const CORRUPTIONS = {
	truncate: (f) => truncateSync(f, int(statSync(f).size)),
	flip: (f) => {
		const b = readFileSync(f);
		for (let k = 0; k < 1 + int(8); k++) b[int(b.length)] ^= 1 << int(8);
		writeFileSync(f, b);
	},
	zero: (f) => writeFileSync(f, Buffer.alloc(statSync(f).size)),
	empty: (f) => writeFileSync(f, ''),
	garbageAfterMagic: (f) => {
		const b = readFileSync(f);
		writeFileSync(f, Buffer.concat([b.subarray(0, 16), Buffer.from(Array.from({ length: 4096 }, () => int(256)))]));
	},
	fifo: (f) => special(f, 'fifo'),
	devZero: (f) => special(f, 'zero'),
	directory: (f) => special(f, 'directory'),
};

let cold;
async function cacheCase(k) {
	const dir = join(work, `case-${k}`);
	const cache = join(dir, 'cache');
	cpSync(sharedCache, cache, { recursive: true });
	const files = readdirSync(cache, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
	const file = pick(files);
	const how = pick(Object.keys(CORRUPTIONS));
	await CORRUPTIONS[how](join(file.parentPath, file.name));
	return { name: `cache ${how} of ${relative(cache, join(file.parentPath, file.name))}`, dir, args: ['exports', '--kernel', MODERN, '--cache-dir', cache], expect: cold };
}

/** Why a case failed, or undefined. */
function verdict(c, r) {
	if (r.killed === 'hang') return 'hang';
	if (r.killed === 'memory') return `memory over ${opts.rss} MB`;
	if (r.status !== 0 && r.status !== 1 && !(r.status === 2 && c.mayRefuse)) return `exit ${r.status}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`;
	if (c.mayRefuse && r.status === 2) return /^kmm: .+\n$/.test(r.stderr) && !/internal error/.test(r.stderr) ? undefined : `unclear refusal: ${r.stderr.trim()}`;
	if (c.expect !== undefined) return r.stdout === c.expect ? undefined : 'warm result differs from the cold one';
	if (!c.lenient && !WITNESS_FINDINGS.every((re) => re.test(r.stdout))) return 'the witness module lost its findings';
	return undefined;
}

const started = Date.now();
const warm = await run(['exports', '--kernel', MODERN, '--cache-dir', sharedCache], work);
if (warm.status !== 0) {
	console.error(`fuzz: the cold run failed: ${warm.stderr}`);
	process.exit(1);
}
cold = warm.stdout;
const families = { mutate: 0, special: 0, cache: 0 };
const figures = { cases: 0, passed: 0, crashes: 0, hangs: 0, memory: 0, lost: 0, contained: 0, peakKB: warm.peak };
const failures = [];
for (let k = 0; k < CASES; k++) {
	const family = pick([mutateCase, mutateCase, specialCase, cacheCase]);
	const c = await family(k);
	families[c.name.split(' ')[0]]++;
	const r = await run(c.args, c.dir);
	figures.cases++;
	figures.peakKB = Math.max(figures.peakKB, r.peak);
	// A file whose analysis threw is reported skipped (contained); counted, not a failure.
	if (/skipped .*internal error/.test(r.stderr)) figures.contained++;
	const why = verdict(c, r);
	if (why === undefined) {
		figures.passed++;
		if (!opts.keep) rmSync(c.dir, { recursive: true, force: true });
		continue;
	}
	if (why === 'hang') figures.hangs++;
	else if (why.startsWith('memory')) figures.memory++;
	else if (why.startsWith('exit') || why.startsWith('unclear')) figures.crashes++;
	else figures.lost++;
	failures.push(`case ${k}: ${c.name}: ${why} (kept in ${c.dir})`);
}
for (const s of sockets) s.close();
if (failures.length === 0 && !opts.keep) rmSync(work, { recursive: true, force: true });
for (const f of failures) console.log(`FAIL ${f}`);
console.log(
	`fuzz: seed ${opts.seed}: ${figures.cases} cases (${families.mutate} mutated sources, ${families.special} special files, ${families.cache} cache corruptions), ${figures.passed} passed, ${figures.crashes} crashes, ${figures.hangs} hangs, ` +
		`${figures.memory} over the memory bound, ${figures.lost} lost results, ${figures.contained} contained internal errors; ` +
		`peak RSS ${Math.round(figures.peakKB / 1024)} MB; ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
process.exit(failures.length === 0 ? 0 : 1);
