// Cold start at the protocol boundary: a fresh `dist/server.js --stdio` with an empty cache,
// initialized and sent didOpen of an out-of-tree driver at once, as an editor opening a file
// does. Times, from the spawn, the first publish that has findings and the first publish
// that equals the final set (the one standing once `kmm/idle` answers).
import { mkdtempSync, readFileSync, readdirSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BenchClient } from './lsp.mjs';

const ms = (from, to) => Number(to - from) / 1e6;
const key = (diagnostics) =>
	diagnostics
		.map((d) => `${d.range.start.line}:${d.code}:${d.message}`)
		.sort()
		.join('\n');

/**
 * @param {{serverJs: string, kernel: string, driver: string, work: string, label: string}} o
 * `driver`: a module directory (copied into `work`); its first .c file is opened.
 */
export async function runColdStart(o) {
	const dir = mkdtempSync(join(o.work, `cold-${o.label}-`));
	cpSync(o.driver, join(dir, 'drv'), { recursive: true });
	const moduleDir = join(dir, 'drv');
	const file = join(moduleDir, readdirSync(moduleDir).filter((f) => f.endsWith('.c')).sort()[0]);
	const uri = pathToFileURL(file).href;
	const started = process.hrtime.bigint();
	const client = new BenchClient(o.serverJs, { ...process.env, XDG_CACHE_HOME: join(dir, 'xdg') });
	try {
		const publishes = [];
		client.on('textDocument/publishDiagnostics', (p, at) => {
			if (p.uri === uri) publishes.push({ at, key: key(p.diagnostics), count: p.diagnostics.length });
		});
		await client.initialize({ kernelPath: o.kernel, cacheDir: join(dir, 'cache') }, moduleDir);
		client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'c', version: 1, text: readFileSync(file, 'utf8') } });
		await client.request('kmm/idle', null);
		// The last publish is the standing set; the first equal to it is when it was complete.
		const last = publishes.at(-1);
		if (!last) throw new Error(`bench: no diagnostics for ${file}; server stderr:\n${client.stderr.slice(-2000)}`);
		const first = publishes.find((p) => p.count > 0) ?? last;
		const full = publishes.find((p) => p.key === last.key) ?? last;
		return { firstMs: ms(started, first.at), fullMs: ms(started, full.at), count: last.count, publishes: publishes.length };
	} finally {
		await client.stop();
	}
}
