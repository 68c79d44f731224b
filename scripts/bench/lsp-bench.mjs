// The protocol-boundary part of the benchmark: one `dist/server.js --stdio` on the real tree
// with a warm cache; times diagnostics after one-character edits of a 5,000-line driver,
// hovers in a GPL driver, and incoming calls when the server offers a call hierarchy.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BenchClient } from './lsp.mjs';
import { writeBigDriver, writeGplDriver } from './drivers.mjs';

const ms = (from, to) => Number(to - from) / 1e6;

export function percentile(xs, p) {
	const sorted = [...xs].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function waitFor(client, method, predicate, timeoutMs, what) {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`bench: timed out waiting for ${what}; server stderr:\n${client.stderr.slice(-2000)}`)), timeoutMs);
		let done = false;
		client.on(method, (params, at) => {
			if (done || !predicate(params)) return;
			done = true;
			clearTimeout(timer);
			resolve({ params, at });
		});
	});
}

/**
 * @param {{serverJs: string, kernel: string, cacheDir: string, work: string, edits: number, hoverReps: number, callReps: number, nodeArgs?: string[]}} o
 */
export async function runLspBench(o) {
	const big = writeBigDriver(join(o.work, 'bigdrv'), 5000);
	const gpl = writeGplDriver(join(o.work, 'zdev'));
	const started = process.hrtime.bigint();
	const client = new BenchClient(o.serverJs, { ...process.env, XDG_CACHE_HOME: join(o.work, 'xdg-unused') }, o.nodeArgs ?? []);
	const result = { bigLines: big.lines };
	try {
		const statuses = [];
		client.on('kmm/status', (p, at) => statuses.push({ ...p, ms: ms(started, at) }));
		const ready = waitFor(client, 'kmm/status', (p) => p.state === 'ready' || p.state === 'error' || p.state === 'noKernel', 120_000, 'kmm/status ready');
		const init = await client.initialize({ kernelPath: o.kernel, cacheDir: o.cacheDir, statusNotifications: true }, join(o.work, 'bigdrv'));
		result.callHierarchy = Boolean(init.capabilities.callHierarchyProvider);
		const r = await ready;
		if (r.params.state !== 'ready') throw new Error(`bench: server state ${r.params.state}: ${r.params.message}`);
		result.serverReadyMs = ms(started, r.at);
		result.serverExportsMs = statuses.find((s) => /exports ready/.test(s.message))?.ms;

		// Diagnostics after one-character edits of the 5,000-line driver.
		const uri = pathToFileURL(big.file).href;
		const published = new Map();
		const waiters = new Map();
		client.on('textDocument/publishDiagnostics', (p, at) => {
			if (p.uri !== uri) return;
			published.set(p.version, { at, count: p.diagnostics.length, codes: p.diagnostics.map((d) => d.code) });
			waiters.get(p.version)?.();
		});
		const diagnosticsOf = (version) =>
			new Promise((resolve, reject) => {
				if (published.has(version)) return resolve(published.get(version));
				const timer = setTimeout(() => reject(new Error(`bench: no diagnostics for v${version}; stderr:\n${client.stderr.slice(-2000)}`)), 60_000);
				waiters.set(version, () => {
					clearTimeout(timer);
					waiters.delete(version);
					resolve(published.get(version));
				});
			});
		const openedAt = process.hrtime.bigint();
		client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'c', version: 1, text: big.text } });
		const first = await diagnosticsOf(1);
		result.openMs = ms(openedAt, first.at);
		result.diagnostics = first.count;
		result.codes = [...new Set(first.codes)].sort();
		const state = new Map();
		const times = [];
		const warmup = 5;
		for (let k = 0; k < o.edits + warmup; k++) {
			const tick = big.ticks[(k * 7) % big.ticks.length];
			const key = `${tick.line}`;
			const next = state.get(key) === '1' ? '0' : '1';
			state.set(key, next);
			const version = k + 2;
			const sent = process.hrtime.bigint();
			client.notify('textDocument/didChange', {
				textDocument: { uri, version },
				contentChanges: [{ range: { start: tick, end: { line: tick.line, character: tick.character + 1 } }, text: next }],
			});
			const got = await diagnosticsOf(version);
			if (k >= warmup) times.push(ms(sent, got.at));
		}
		result.edit = { n: times.length, p50: percentile(times, 50), p95: percentile(times, 95), max: Math.max(...times) };

		// Hovers in a GPL driver.
		const guri = pathToFileURL(gpl.file).href;
		const gplDiag = waitFor(client, 'textDocument/publishDiagnostics', (p) => p.uri === guri, 60_000, 'GPL driver diagnostics');
		client.notify('textDocument/didOpen', { textDocument: { uri: guri, languageId: 'c', version: 1, text: gpl.text } });
		await gplDiag;
		const hoverTimes = [];
		result.hovers = {};
		for (const [what, position] of Object.entries(gpl.hovers)) {
			const each = [];
			let answer;
			for (let k = 0; k < o.hoverReps + 3; k++) {
				const sent = process.hrtime.bigint();
				const { result: hover, at } = await client.request('textDocument/hover', { textDocument: { uri: guri }, position });
				answer = hover;
				if (k >= 3) each.push(ms(sent, at));
			}
			hoverTimes.push(...each);
			const value = typeof answer?.contents === 'object' ? (answer.contents.value ?? '') : '';
			result.hovers[what] = { p50: percentile(each, 50), p95: percentile(each, 95), first: value.split('\n').find((l) => l.trim() !== '')?.slice(0, 90) ?? '(no hover)' };
		}
		result.hover = { n: hoverTimes.length, p50: percentile(hoverTimes, 50), p95: percentile(hoverTimes, 95), max: Math.max(...hoverTimes) };

		// Incoming calls of devm_memremap_pages, when the server offers a call hierarchy.
		if (result.callHierarchy) {
			const { result: items } = await client.request('textDocument/prepareCallHierarchy', { textDocument: { uri: guri }, position: gpl.callSite });
			const item = (items ?? []).find((i) => i.name === 'devm_memremap_pages') ?? items?.[0];
			if (item) {
				const each = [];
				let count = 0;
				for (let k = 0; k < o.callReps + 2; k++) {
					const sent = process.hrtime.bigint();
					const { result: calls, at } = await client.request('callHierarchy/incomingCalls', { item });
					count = calls?.length ?? 0;
					if (k >= 2) each.push(ms(sent, at));
				}
				result.incoming = { n: each.length, p50: percentile(each, 50), p95: percentile(each, 95), callers: count, item: `${item.name} ${item.uri.replace(/^file:\/\//, '').replace(o.kernel + '/', '')}:${item.selectionRange.start.line + 1}` };
			} else result.incoming = { note: 'prepareCallHierarchy returned no item at the call of devm_memremap_pages' };
		}
		try {
			const status = readFileSync(`/proc/${client.child.pid}/status`, 'utf8');
			result.serverPeakMB = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]) / 1024;
		} catch {
			// not Linux
		}
	} finally {
		await client.stop();
	}
	return result;
}
