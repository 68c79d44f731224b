// A minimal LSP client for the benchmark: spawns `node dist/server.js --stdio`, frames
// JSON-RPC by Content-Length, answers the server's own requests (configuration, progress,
// registration) with nulls, and timestamps every message on arrival, so figures are taken
// at the protocol boundary (what an editor would see), not inside the server.
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';

export class BenchClient {
	/** @param {string} serverJs @param {NodeJS.ProcessEnv} env @param {string[]} nodeArgs (e.g. --cpu-prof) */
	constructor(serverJs, env = process.env, nodeArgs = []) {
		this.child = spawn(process.execPath, [...nodeArgs, serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env });
		this.stderr = '';
		// A server that died is reported by the request that waits on it, not by an EPIPE crash.
		this.child.stdin.on('error', (err) => (this.stderr += `\nstdin: ${err.message}`));
		this.child.stderr.on('data', (d) => (this.stderr += d.toString()));
		this.nextId = 1;
		/** @type {Map<number, {resolve: (v: unknown) => void, reject: (e: Error) => void}>} */
		this.pending = new Map();
		/** @type {Map<string, ((params: any, at: bigint) => void)[]>} */
		this.handlers = new Map();
		this.buffer = Buffer.alloc(0);
		this.child.stdout.on('data', (chunk) => this.receive(chunk));
		this.exited = new Promise((resolve) => this.child.once('exit', resolve));
	}

	/** @param {Buffer} chunk */
	receive(chunk) {
		const at = process.hrtime.bigint();
		this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
		for (;;) {
			const headerEnd = this.buffer.indexOf('\r\n\r\n');
			if (headerEnd < 0) return;
			const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.toString('latin1', 0, headerEnd))?.[1]);
			if (this.buffer.length < headerEnd + 4 + length) return;
			const body = this.buffer.toString('utf8', headerEnd + 4, headerEnd + 4 + length);
			this.buffer = this.buffer.subarray(headerEnd + 4 + length);
			this.dispatch(JSON.parse(body), at);
		}
	}

	dispatch(msg, at) {
		if (msg.id !== undefined && msg.method === undefined) {
			const p = this.pending.get(msg.id);
			this.pending.delete(msg.id);
			if (!p) return;
			if (msg.error) p.reject(new Error(`${msg.error.code}: ${msg.error.message}`));
			else p.resolve({ result: msg.result, at });
			return;
		}
		if (msg.id !== undefined) {
			// A request from the server: configuration gets nulls (initializationOptions hold the settings).
			const result = msg.method === 'workspace/configuration' ? (msg.params?.items ?? []).map(() => null) : null;
			this.write({ jsonrpc: '2.0', id: msg.id, result });
			return;
		}
		for (const h of this.handlers.get(msg.method) ?? []) h(msg.params, at);
	}

	write(msg) {
		const body = Buffer.from(JSON.stringify(msg), 'utf8');
		this.child.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'latin1'), body]));
	}

	on(method, handler) {
		const list = this.handlers.get(method) ?? [];
		list.push(handler);
		this.handlers.set(method, list);
	}

	/** Resolves with `{result, at}`: `at` is when the response arrived (hrtime ns). */
	request(method, params) {
		const id = this.nextId++;
		return new Promise((resolve, reject) => {
			this.pending.set(id, { resolve, reject });
			this.write({ jsonrpc: '2.0', id, method, params });
		});
	}

	notify(method, params) {
		this.write({ jsonrpc: '2.0', method, params });
	}

	async initialize(initializationOptions, rootPath) {
		const { result } = await this.request('initialize', {
			processId: process.pid,
			rootUri: rootPath ? pathToFileURL(rootPath).href : null,
			workspaceFolders: rootPath ? [{ uri: pathToFileURL(rootPath).href, name: 'bench' }] : null,
			initializationOptions,
			capabilities: {
				window: { workDoneProgress: false },
				textDocument: {
					hover: { contentFormat: ['markdown', 'plaintext'] },
					publishDiagnostics: { relatedInformation: true },
					callHierarchy: { dynamicRegistration: false },
				},
			},
		});
		this.notify('initialized', {});
		return result;
	}

	async stop() {
		try {
			await Promise.race([this.request('shutdown', null), new Promise((r) => setTimeout(r, 3000))]);
			this.notify('exit', null);
		} catch {
			// gone already
		}
		const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
		await this.exited;
		clearTimeout(timer);
	}
}
