/**
 * The real modpost, for server/test/real/modpost.test.ts: Debian's 6.1 and 6.12 headers packages (as
 * scripts/install-headers.sh installs it), out-of-tree builds of fixture modules in temp
 * directories, modpost's messages parsed into (module, kind, symbol) findings, and the same
 * shape for a fixture's EXPECTED file and for `kmm check --format json`.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';

export const HEADERS_PKG = 'linux-headers-6.1.0-56-amd64';
/**
 * The newer kernel the migrations must also build for: Debian's 6.12 headers (bookworm-security),
 * installed by `KMM_HEADERS_PKG=linux-headers-6.12.117+deb12-amd64 scripts/install-headers.sh`;
 * KMM_HEADERS_612_DIR overrides where.
 */
export const HEADERS_612_PKG = 'linux-headers-6.12.117+deb12-amd64';

/** Where a headers package is (its env override, else /usr/src/PKG). */
function headersPath(pkg: string): string {
	const override = pkg === HEADERS_PKG ? process.env.KMM_HEADERS_DIR : pkg === HEADERS_612_PKG ? process.env.KMM_HEADERS_612_DIR : undefined;
	return override ?? join('/usr/src', pkg);
}

/** The installed headers (KMM_HEADERS_DIR overrides), or undefined when incomplete. */
export function headersDir(pkg = HEADERS_PKG): string | undefined {
	const dir = headersPath(pkg);
	const complete = ['Makefile', 'Module.symvers', '.config', 'scripts/mod/modpost'].every((f) => existsSync(join(dir, f)));
	return complete ? dir : undefined;
}

function onPath(cmd: string): boolean {
	return (process.env.PATH ?? '').split(':').some((d) => d !== '' && existsSync(join(d, cmd)));
}

/**
 * The headers directory of `pkg` for test `t`, or undefined after skipping it loudly
 * (failing instead when KMM_REAL_KERNEL=required), like requireRealKernel for the source
 * tree. Both packages' Makefiles build with gcc-12.
 */
export function requireHeaders(t: TestContext, pkg = HEADERS_PKG): string | undefined {
	const dir = headersDir(pkg);
	const tools = ['make', 'gcc-12'].filter((c) => !onPath(c));
	if (dir && tools.length === 0) return dir;
	const required = process.env.KMM_REAL_KERNEL === 'required';
	const install = pkg === HEADERS_PKG ? 'scripts/install-headers.sh' : `KMM_HEADERS_PKG=${pkg} scripts/install-headers.sh`;
	const reason = dir ? `${tools.join(' and ')} not found: run ${install} (as root)` : `${headersPath(pkg)} not installed: run ${install} (as root)`;
	const bar = '!'.repeat(78);
	console.error(`\n${bar}\n!! ${required ? 'FAILING' : 'SKIPPING'} "${t.name}"\n!! ${reason}\n${bar}\n`);
	assert.ok(!required, `${reason} (KMM_REAL_KERNEL=required)`);
	t.skip(reason);
	return undefined;
}

/**
 * What modpost can say about a module, and what kmm's codes map to: `undefined` is modpost's
 * `"sym" [mod.ko] undefined!`, which kmm reports as unexported-symbol or removed-api.
 */
export type Kind = 'gpl-only-symbol' | 'missing-namespace-import' | 'missing-module-license' | 'undefined';

export interface ModuleFinding {
	module: string;
	kind: Kind;
	/** `-` for missing-module-license. */
	symbol: string;
	namespace?: string;
}

export function kindOfCode(code: string): Kind | undefined {
	switch (code) {
		case 'gpl-only-symbol':
		case 'missing-namespace-import':
		case 'missing-module-license':
			return code;
		case 'unexported-symbol':
		case 'removed-api':
			return 'undefined';
		default:
			return undefined;
	}
}

export function findingKey(f: ModuleFinding): string {
	return `${f.module} ${f.kind} ${f.symbol}`;
}

export interface ModpostOutput {
	findings: ModuleFinding[];
	/** modpost lines that are none of the above (section mismatches, unknown wording). */
	other: string[];
}

const MODPOST_RES: [RegExp, (m: RegExpExecArray) => ModuleFinding][] = [
	[
		/^(?:ERROR|WARNING): modpost: GPL-incompatible module (\S+)\.ko uses GPL-only symbol '([^']+)'$/,
		(m) => ({ module: basename(m[1]), kind: 'gpl-only-symbol', symbol: m[2] }),
	],
	[
		/^(?:ERROR|WARNING): modpost: module (\S+) uses symbol (\S+) from namespace (\S+), but does not import it\.$/,
		(m) => ({ module: basename(m[1]), kind: 'missing-namespace-import', symbol: m[2], namespace: m[3] }),
	],
	[
		/^(?:ERROR|WARNING): modpost: missing MODULE_LICENSE\(\) in (\S+)\.o$/,
		(m) => ({ module: basename(m[1]), kind: 'missing-module-license', symbol: '-' }),
	],
	[
		/^(?:ERROR|WARNING): modpost: "([^"]+)" \[(\S+)\.ko\] undefined!$/,
		(m) => ({ module: basename(m[2]), kind: 'undefined', symbol: m[1] }),
	],
];

/** modpost's findings in a build's output (6.1 wording; ERROR and WARNING forms alike). */
export function parseModpost(output: string): ModpostOutput {
	const out: ModpostOutput = { findings: [], other: [] };
	for (const line of output.split('\n')) {
		if (!/modpost: /.test(line)) continue;
		const hit = MODPOST_RES.map(([re, make]) => {
			const m = re.exec(line.trim());
			return m && make(m);
		}).find(Boolean);
		if (hit) out.findings.push(hit);
		else out.other.push(line.trim());
	}
	return out;
}

/**
 * The modules each source file (relative path, `.c`) of a fixture is linked into, by the
 * fixture's Kbuild and the subdirectories its `obj-m += dir/` descends into.
 */
export function modulesOf(dir: string, sub = ''): Map<string, string[]> {
	const kbuild = ['Kbuild', 'Makefile'].map((f) => join(dir, sub, f)).find((f) => existsSync(f));
	const byFile = new Map<string, string[]>();
	if (!kbuild) return byFile;
	const text = readFileSync(kbuild, 'utf8').replace(/\\\n/g, ' ');
	const modules: string[] = [];
	const subdirs: string[] = [];
	const members = new Map<string, string[]>();
	for (const line of text.split('\n')) {
		const m = /^\s*([A-Za-z0-9_.-]+)\s*(?::=|\+=|=)\s*(.*)$/.exec(line.replace(/#.*/, ''));
		if (!m) continue;
		const words = m[2].split(/\s+/);
		const objs = words.filter((o) => o.endsWith('.o'));
		if (m[1] === 'obj-m') {
			modules.push(...objs.map((o) => o.slice(0, -2)));
			subdirs.push(...words.filter((w) => w.endsWith('/')));
		}
		const composite = /^(.+)-(?:y|objs|m)$/.exec(m[1]);
		if (composite && m[1] !== 'obj-m') members.set(composite[1], [...(members.get(composite[1]) ?? []), ...objs]);
	}
	const add = (file: string, mod: string) => byFile.set(file, [...(byFile.get(file) ?? []), mod]);
	for (const mod of modules) {
		for (const o of members.get(mod) ?? [`${mod}.o`]) add(`${sub}${o.slice(0, -2)}.c`, mod);
	}
	for (const d of subdirs) for (const [file, mods] of modulesOf(dir, `${sub}${d}`)) for (const mod of mods) add(file, mod);
	return byFile;
}

/** The module a kmm diagnostic names in its message (modpost's basename), if it names one. */
export function moduleOfMessage(d: KmmDiagnostic): string | undefined {
	const m =
		/GPL-incompatible module (\S+)\.ko/.exec(d.message) ??
		/^module (\S+) uses symbol/.exec(d.message) ??
		/\[(\S+)\.ko\] undefined!/.exec(d.message) ??
		/missing MODULE_LICENSE\(\) in (\S+)\.o/.exec(d.message);
	return m ? basename(m[1]) : undefined;
}

/**
 * kmm's diagnostic as modpost findings: for the module its message names, else for every
 * module its file is linked into (modpost would say it of each).
 */
export function kmmFindings(d: KmmDiagnostic, kind: Kind, file: string, modules: Map<string, string[]>, sourceText: string): ModuleFinding[] {
	const named = moduleOfMessage(d);
	const ns = kind === 'missing-namespace-import' ? namespaceOf(d) : undefined;
	const symbol = symbolOf(d, sourceText);
	return (named ? [named] : (modules.get(file) ?? [`?${file}`])).map((module) => ({ module, kind, symbol, ...(ns ? { namespace: ns } : {}) }));
}

/** Findings as sorted keys, each once: `module kind symbol[ namespace]`. */
export function findingKeys(list: ModuleFinding[]): string[] {
	return [...new Set(list.map((f) => (f.namespace ? `${findingKey(f)} ${f.namespace}` : findingKey(f))))].sort();
}

/**
 * The diagnostics of one `kmm check --format json` over copies of fixtures `names` in `dir`,
 * as each fixture's modpost-shaped findings (codes modpost has no word for are left out).
 */
export function kmmFindingsByFixture(dir: string, names: readonly string[], diagnostics: readonly KmmDiagnostic[]): Map<string, ModuleFinding[]> {
	const ours = new Map<string, ModuleFinding[]>(names.map((n) => [n, []]));
	for (const d of diagnostics) {
		const path = resolve(dir, d.file);
		const [fixture, ...rest] = relative(dir, path).split(sep);
		const list = ours.get(fixture);
		assert.ok(list, `kmm reported a file outside the fixtures: ${d.file}`);
		const kind = kindOfCode(d.code);
		if (kind) list.push(...kmmFindings(d, kind, rest.join('/'), modulesOf(join(dir, fixture)), readFileSync(path, 'utf8')));
	}
	return ours;
}

export interface ExpectedFile {
	/** Which file was read: EXPECTED.linux-<kernel> when the fixture has one, else EXPECTED. */
	name: string;
	/** Set when the fixture cannot be built against the real kernel, with why. */
	skip?: string;
	findings: ModuleFinding[];
}

/**
 * A fixture's verdict for a real kernel (`6.1`, `6.12`): `EXPECTED.linux-<kernel>` where that
 * kernel differs from kernels/modern (or `skip <reason>`), else `EXPECTED`. Lines are
 * `FILE:LINE CODE SYMBOL [NAMESPACE] [[MOD.ko]]`; the module comes from the fixture's Kbuild
 * (the bracketed one, for a file linked into several).
 */
export function realExpected(dir: string, kernel = '6.1'): ExpectedFile {
	const name = existsSync(join(dir, `EXPECTED.linux-${kernel}`)) ? `EXPECTED.linux-${kernel}` : 'EXPECTED';
	const modules = modulesOf(dir);
	const result: ExpectedFile = { name, findings: [] };
	for (const raw of readFileSync(join(dir, name), 'utf8').split('\n')) {
		const line = raw.replace(/#.*/, '').trim();
		if (!line || line === 'none') continue;
		const skip = /^skip\s+(.+)$/.exec(line);
		if (skip) {
			result.skip = skip[1];
			continue;
		}
		// A file linked into several modules names the one the finding is for: `[mod.ko]`.
		const m = /^(\S+):(\d+)\s+(\S+)\s+(\S+)(?:\s+([^\s[]\S*))?(?:\s+\[(\S+)\.ko\])?$/.exec(line);
		assert.ok(m, `${dir}/${name}: cannot read '${raw}'`);
		const kind = kindOfCode(m[3]);
		assert.ok(kind, `${dir}/${name}: unknown code ${m[3]}`);
		const built = modules.get(m[1]) ?? [];
		const module = m[6] ?? (built.length === 1 ? built[0] : undefined);
		assert.ok(module && built.includes(module), `${dir}/${name}: ${m[1]} is not built by the fixture's Kbuild${built.length > 1 ? ` into one module: name it with [mod.ko]` : ''}`);
		result.findings.push({ module, kind, symbol: m[4], ...(m[5] ? { namespace: m[5] } : {}) });
	}
	return result;
}

export interface BuildResult {
	status: number | null;
	output: string;
	seconds: number;
	/** The build got as far as modpost (so every object compiled). */
	reachedModpost: boolean;
}

/** `make -C HEADERS M=DIR modules` with an environment that lets modpost fail as it would for a user. */
export function buildModule(headers: string, dir: string, timeoutMs = 180_000): Promise<BuildResult> {
	const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C' };
	for (const v of [
		'KBUILD_MODPOST_WARN',
		'KBUILD_MODPOST_NOFINAL',
		'KBUILD_EXTRA_SYMBOLS',
		'KCFLAGS',
		'KCPPFLAGS',
		'ARCH',
		'CROSS_COMPILE',
		'LLVM',
		'CC',
		'MAKEFLAGS',
		'MFLAGS',
		'MAKELEVEL',
		'KDIR',
	]) {
		delete env[v];
	}
	const started = process.hrtime.bigint();
	return new Promise((resolve) => {
		const child = spawn('make', ['-C', headers, `M=${dir}`, 'modules'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		child.stdout.on('data', (d: Buffer) => (output += d.toString()));
		child.stderr.on('data', (d: Buffer) => (output += d.toString()));
		const timer = setTimeout(() => {
			output += `\n[killed after ${timeoutMs / 1000}s]\n`;
			child.kill('SIGKILL');
		}, timeoutMs);
		const done = (status: number | null) => {
			clearTimeout(timer);
			resolve({
				status,
				output,
				seconds: Number(process.hrtime.bigint() - started) / 1e9,
				reachedModpost: /^\s*MODPOST\s/m.test(output),
			});
		};
		child.on('error', (e) => {
			output += `\n${String(e)}\n`;
			done(null);
		});
		child.on('close', done);
	});
}

/** Runs `items` through `work`, at most `limit` at a time, keeping their order. */
export async function pool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
	const results: R[] = new Array(items.length);
	let next = 0;
	const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
		while (next < items.length) {
			const i = next++;
			results[i] = await work(items[i]);
		}
	});
	await Promise.all(runners);
	return results;
}

export interface KmmDiagnostic {
	file: string;
	line: number;
	column: number;
	endLine: number;
	endColumn: number;
	severity: string;
	code: string;
	message: string;
}

/**
 * The symbol a kmm diagnostic is about: from modpost-worded messages when they say it (a
 * GPL-only symbol reached through a header inline is not the text under the range), else the
 * identifier under the range.
 */
export function symbolOf(d: KmmDiagnostic, sourceText: string): string {
	if (d.code === 'missing-module-license') return '-';
	const quoted = /uses GPL-only symbol '([^']+)'/.exec(d.message) ?? /uses symbol (\w+) from namespace/.exec(d.message);
	if (quoted) return quoted[1];
	const line = sourceText.split('\n')[d.line - 1] ?? '';
	const under = line.slice(d.column - 1, d.endLine === d.line ? d.endColumn - 1 : undefined);
	return /^\w+$/.test(under) ? under : (/^\w+/.exec(d.message)?.[0] ?? under);
}

export function namespaceOf(d: KmmDiagnostic): string | undefined {
	// An export for some modules only is in modpost's namespace `module:<list>`.
	const list = /exports only to the (?:in-tree )?modules "([^"]+)"/.exec(d.message);
	return list ? `module:${list[1]}` : /from namespace (\w+)/.exec(d.message)?.[1];
}

export interface KmmRun {
	status: number | null;
	stdout: string;
	stderr: string;
	seconds: number;
}

/** Runs the bundled CLI without blocking the event loop (builds run meanwhile). */
export function runKmm(kmmJs: string, args: string[], cwd: string, timeoutMs = 600_000): Promise<KmmRun> {
	const started = process.hrtime.bigint();
	return new Promise((resolve) => {
		const child = spawn(process.execPath, [kmmJs, ...args], {
			cwd,
			env: { ...process.env, KDIR: '' },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
		child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
		const timer = setTimeout(() => {
			stderr += `\n[killed after ${timeoutMs / 1000}s]\n`;
			child.kill('SIGKILL');
		}, timeoutMs);
		child.on('close', (status) => {
			clearTimeout(timer);
			resolve({ status, stdout, stderr, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
		});
	});
}
