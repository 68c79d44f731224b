// The in-tree sweep: `kmm check` over kernel directories (default: every directory that
// holds modules Debian builds) with a .config, and a report of what it found: the count per
// code and per symbol with an example each. On a tree whose modules the real modpost
// accepted, every error-severity finding is a false one, so the right total is zero.
//
// Usage: node scripts/sweep.mjs --kernel DIR [--config FILE] [--json OUT] [--dist DIR] [PATH...]
//   PATH are directories relative to the kernel (default: the whole-tree list below).
// Exit status: 0 no error finding, 1 some, 2 the check itself failed.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

export const WHOLE_TREE = ['drivers', 'fs', 'net', 'sound', 'mm', 'lib', 'crypto', 'block', 'virt', 'security', 'kernel', 'arch/x86'];

const root = join(new URL('.', import.meta.url).pathname, '..');

/** Runs `kmm check --format json` over `paths` (relative to `kernel`); returns findings, wall time and peak RSS. */
export function sweep({ kernel, config, paths, dist = join(root, 'dist') }) {
	const args = [join(dist, 'kmm.js'), 'check', '--format', 'json', '--kernel', kernel, ...(config ? ['--config', config] : []), ...paths.map((p) => join(kernel, p))];
	const t0 = Date.now();
	const run = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
	const seconds = (Date.now() - t0) / 1000;
	const rssKb = Number(/(\d+)\s*$/.exec(run.stderr ?? '')?.[1] ?? NaN);
	if (run.status !== 0 && run.status !== 1) throw new Error(`kmm check exited ${run.status}: ${run.stderr.slice(-2000)}`);
	return { findings: JSON.parse(run.stdout).diagnostics ?? JSON.parse(run.stdout), seconds, rssMb: Math.round(rssKb / 1024) };
}

/** Counts per code and per (code, symbol), each with a first example. */
export function report(findings) {
	const byCode = new Map();
	for (const f of findings) {
		const key = f.code;
		const entry = byCode.get(key) ?? { severity: f.severity, count: 0, symbols: new Map() };
		entry.count++;
		const symbol = /'([^']+)'|"([^"]+)"/.exec(f.message)?.slice(1).find(Boolean) ?? '?';
		const s = entry.symbols.get(symbol) ?? { count: 0, example: `${f.file}:${f.line}` };
		s.count++;
		entry.symbols.set(symbol, s);
		byCode.set(key, entry);
	}
	const lines = [];
	for (const [code, e] of [...byCode].sort((a, b) => b[1].count - a[1].count)) {
		lines.push(`${code} (${e.severity}): ${e.count}`);
		for (const [symbol, s] of [...e.symbols].sort((a, b) => b[1].count - a[1].count).slice(0, 15)) {
			lines.push(`  ${String(s.count).padStart(6)}  ${symbol}  e.g. ${s.example}`);
		}
	}
	return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const { values, positionals } = parseArgs({
		allowPositionals: true,
		options: { kernel: { type: 'string' }, config: { type: 'string' }, json: { type: 'string' }, dist: { type: 'string' } },
	});
	if (!values.kernel) {
		console.error('usage: node scripts/sweep.mjs --kernel DIR [--config FILE] [--json OUT] [--dist DIR] [PATH...]');
		process.exit(2);
	}
	const kernel = resolve(values.kernel);
	const paths = positionals.length > 0 ? positionals : WHOLE_TREE;
	let result;
	try {
		result = sweep({ kernel, config: values.config && resolve(values.config), paths, dist: values.dist && resolve(values.dist) });
	} catch (err) {
		console.error(`sweep: ${err.message}`);
		process.exit(2);
	}
	const errors = result.findings.filter((f) => f.severity === 'error');
	console.log(report(result.findings));
	console.log(`sweep: ${errors.length} error findings, ${result.findings.length - errors.length} others, ${paths.length} paths, ${result.seconds.toFixed(0)} s, peak RSS ${result.rssMb} MB`);
	if (values.json) writeFileSync(values.json, JSON.stringify(result.findings, null, 1));
	process.exit(errors.length > 0 ? 1 : 0);
}
