/**
 * The LSP part of the fault suite, bounded and seeded (the same cases every run, well under a
 * minute): malformed requests and notifications, framing errors, and an edit storm whose final
 * diagnostics must equal a fresh server's for the final text. KMM_FUZZ_SEED=N runs other
 * cases (a failure names the case; the seed reproduces it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { URI } from 'vscode-uri';
import { PARAM_REQUESTS, peakRss, RawServer } from '../helpers/raw-lsp';
import { TestClient } from '../helpers/lsp-client';
import { DRIVERS, MODERN } from '../helpers/paths';

const PDEV = join(DRIVERS, 'pdev-proprietary', 'pdev.c');
/** Its finding has a quick fix, so code actions get past the findings. */
const LNONE = join(DRIVERS, 'lic-missing', 'lnone.c');

/** mulberry32: a small PRNG, so that a failure names a seed that reproduces it. */
function random(seed: number): (n: number) => number {
	let a = seed >>> 0;
	return (n) => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
	};
}

const METHODS = [
	...PARAM_REQUESTS,
	'kmm/idle',
	'kmm/zoneDevice',
	'kmm/exportAudit',
	'textDocument/completion',
	'kmm/noSuchMethod',
	'$/noSuchRequest',
];

/** Values of every JSON type, and the hostile ones: huge, negative, deep, off every range. */
function junk(rand: (n: number) => number, uri: string, depth = 0): unknown {
	const pick = rand(depth > 2 ? 9 : 13);
	switch (pick) {
		case 0:
			return null;
		case 1:
			return rand(2) === 0 ? -1 : 2 ** 31 + rand(1000);
		case 2:
			return 'x'.repeat(rand(2) === 0 ? 3 : 1 << 20);
		case 3:
			return true;
		case 4:
			return uri;
		case 5:
			return 'file:///no/such/dir/a.c';
		case 6:
			return 1.5;
		case 7:
			return '';
		case 8:
			return [];
		case 9:
			return [junk(rand, uri, depth + 1), junk(rand, uri, depth + 1)];
		case 10:
			return { line: junk(rand, uri, depth + 1), character: junk(rand, uri, depth + 1) };
		case 11:
			return { uri: junk(rand, uri, depth + 1) };
		default:
			return { start: { line: 0, character: 0 }, end: junk(rand, uri, depth + 1) };
	}
}

/** Params shaped like the real ones with some members replaced by junk. */
function params(rand: (n: number) => number, uri: string): unknown {
	const real: Record<string, unknown> = {
		textDocument: { uri },
		position: { line: rand(80), character: rand(40) },
		range: { start: { line: rand(80), character: 0 }, end: { line: rand(80), character: rand(40) } },
		context: { diagnostics: [], only: ['quickfix'], includeDeclaration: true },
		item: { name: 'pdev_probe', uri, kind: 12, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } },
		query: 'pdev',
	};
	switch (rand(4)) {
		case 0:
			return junk(rand, uri);
		case 1: {
			const out = { ...real };
			for (const key of Object.keys(out)) if (rand(3) === 0) out[key] = junk(rand, uri);
			return out;
		}
		case 2: {
			const nested = structuredClone(real) as { textDocument: Record<string, unknown>; position: Record<string, unknown>; context: Record<string, unknown> };
			nested.textDocument.uri = junk(rand, uri);
			nested.position[rand(2) === 0 ? 'line' : 'character'] = junk(rand, uri);
			nested.context[['diagnostics', 'only', 'includeDeclaration'][rand(3)]] = junk(rand, uri);
			return nested;
		}
		default:
			return real;
	}
}

const PROPER = new Set([-32600, -32601, -32602]);
/** The fixture kernel and a few drivers: a server that needs more has a leak. */
const RSS_BOUND_MIB = 768;
const SEED = Number(process.env.KMM_FUZZ_SEED ?? 0);

test('malformed requests and notifications: every request answered (a result or a proper error), the server alive', async (t) => {
	const rand = random(15 + SEED);
	const server = RawServer.start();
	try {
		await server.initialize({ kernelPath: MODERN });
		const uris = [PDEV, LNONE].map((file) => {
			const uri = URI.file(file).toString();
			server.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'c', version: 1, text: readFileSync(file, 'utf8') } });
			return uri;
		});
		await server.request('kmm/idle');
		// Well framed, but no JSON-RPC message: the stream is in step, so the server goes on.
		for (const body of ['null', '[]', '{}', '"str"', '{"jsonrpc":"2.0","id":999}', '{"jsonrpc":"2.0","method":5}', '{"jsonrpc":"2.0","id":{},"method":"textDocument/hover"}', '{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":null}}', '{"jsonrpc":"2.0","method":"$/cancelRequest","params":""}']) {
			server.send(body);
		}
		let answered = 0;
		for (let i = 0; i < 400; i++) {
			const uri = uris[rand(2)];
			if (rand(5) === 0) {
				// Notifications answer nothing; they must not break what follows.
				const method = ['textDocument/didChange', 'textDocument/didOpen', 'textDocument/didClose', 'workspace/didChangeConfiguration', 'workspace/didChangeWatchedFiles', '$/cancelRequest'][rand(6)];
				// Never the two documents above: a didChange that some version of the server took would leave it a text this test does not know.
				server.notify(method, rand(3) === 0 ? junk(rand, '') : { textDocument: { uri: `file:///tmp/kmm-fuzz-${rand(3)}.c`, version: junk(rand, ''), text: junk(rand, '') }, contentChanges: junk(rand, ''), changes: junk(rand, ''), settings: junk(rand, '') });
				continue;
			}
			const method = METHODS[rand(METHODS.length)];
			const p = params(rand, uri);
			const answer = await server.request(method, p);
			const what = `seed ${SEED}, case ${i}: ${method} ${JSON.stringify(p)?.slice(0, 300)} → ${JSON.stringify(answer).slice(0, 300)}`;
			assert.ok(answer.error === undefined || PROPER.has(answer.error.code), what);
			answered++;
		}
		assert.equal(answered > 300, true);
		assert.deepEqual((await server.request('kmm/idle')).result, { kernelRoot: MODERN }, 'alive and answering');
		assert.equal(server.process.exitCode, null);
		const rss = server.peakRss();
		t.diagnostic(`${answered} requests answered; server peak RSS ${rss ?? '?'} MiB`);
		assert.ok(rss === undefined || rss < RSS_BOUND_MIB, `peak RSS ${rss} MiB`);
	} finally {
		server.kill();
	}
});

test('framing errors: each ends the server within 5 s with a logged reason', async () => {
	const rand = random(6 + SEED);
	const valid = JSON.stringify({ jsonrpc: '2.0', method: 'initialized', params: {} });
	const corruptions = [
		() => `Content-Length: ${-1 - rand(100)}\r\n\r\n${valid}`,
		() => `Content-Length: ${valid.length - 1 - rand(5)}\r\n\r\n${valid}`,
		() => `Content-Lenght: ${valid.length}\r\n\r\n${valid}`,
		() => `${String.fromCharCode(...Array.from({ length: 1 + rand(40) }, () => 1 + rand(254)))}\r\n\r\n`,
		() => `Content-Length: ${valid.length}\n\n${valid}\r\n\r\n`,
	];
	for (const [i, corrupt] of corruptions.entries()) {
		const server = RawServer.start();
		try {
			await server.initialize({ kernelPath: MODERN });
			server.write(corrupt());
			server.notify('initialized', {});
			void server.request('kmm/idle').catch(() => {});
			assert.equal(await server.exited(5000), 1, `corruption ${i}; stderr:\n${server.stderr}`);
			assert.match(server.stderr, /kmm: the LSP input stream is broken/, `corruption ${i}`);
		} finally {
			server.kill();
		}
	}
});

/** The document's text as an editor holds it, edited the way didChange describes. */
function apply(text: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }, insert: string): string {
	const offset = (p: { line: number; character: number }) => {
		let at = 0;
		for (let l = 0; l < p.line; l++) at = text.indexOf('\n', at) + 1;
		return at + p.character;
	};
	return text.slice(0, offset(range.start)) + insert + text.slice(offset(range.end));
}

const sorted = (ds: Diagnostic[]) => ds.map((d) => JSON.stringify([d.range, d.code, d.severity, d.message])).sort();

test('edit storm: after 300 random didChange edits the diagnostics equal a fresh server’s for the final text', async (t) => {
	const rand = random(300 + SEED);
	const pieces = ['devm_memremap_pages(dev, &pgmap);', 'MODULE_LICENSE("GPL");\n', 'MODULE_LICENSE("Proprietary");\n', '{', '}', '/*', '*/', '"', '\n', '#if 0\n', '#endif\n', 'memremap_pages(NULL, 0);', 'static int x;', '\\\n', 'é', '😀', '\t'];
	const client = await TestClient.start({ initializationOptions: { kernelPath: MODERN } });
	const original = readFileSync(PDEV, 'utf8');
	let text = original;
	let version = 1;
	try {
		const uri = client.open(PDEV, text);
		await client.diagnosticsFor(uri);
		for (let i = 0; i < 300; i++) {
			const lines = text.split('\n');
			const changes: { range?: object; text: string }[] = [];
			if (rand(50) === 0) {
				// A whole-text change (an editor's revert, or a client that syncs in full).
				text = rand(2) === 0 ? original : lines.filter(() => rand(10) > 0).join('\n');
				changes.push({ text });
			} else {
				// One or a few edits in one notification, each against the text left by the one before.
				for (let n = 1 + (rand(4) === 0 ? rand(3) : 0); n > 0; n--) {
					const cur = text.split('\n');
					const line = rand(cur.length);
					const start = { line, character: rand(cur[line].length + 1) };
					const endLine = Math.min(cur.length - 1, line + (rand(5) === 0 ? rand(3) : 0));
					const end = endLine === line ? { line, character: start.character + rand(cur[line].length - start.character + 1) } : { line: endLine, character: rand(cur[endLine].length + 1) };
					const insert = rand(3) === 0 ? '' : pieces[rand(pieces.length)];
					// A surrogate pair is one edit unit for the editor: never split it.
					const next = apply(text, { start, end }, insert);
					if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(next)) continue;
					text = next;
					changes.push({ range: { start, end }, text: insert });
				}
			}
			if (changes.length === 0) continue;
			void client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: changes });
			if (rand(20) === 0) await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: rand(40), character: rand(20) } });
		}
		const final = await client.diagnosticsFor(uri, version);
		const rss = peakRss(client.process.pid);
		t.diagnostic(`${final.length} diagnostics at v${version}; server peak RSS ${rss ?? '?'} MiB`);
		assert.ok(rss === undefined || rss < RSS_BOUND_MIB, `peak RSS ${rss} MiB`);
		const fresh = await TestClient.start({ initializationOptions: { kernelPath: MODERN } });
		try {
			const again = fresh.open(PDEV, text);
			assert.deepEqual(sorted(final), sorted(await fresh.diagnosticsFor(again)));
		} finally {
			await fresh.stop();
		}
	} finally {
		await client.stop();
	}
});
