/**
 * The bundled server over raw stdio bytes, for what a well-behaved client never sends:
 * `params: null`, broken headers, garbage between messages. Messages are framed here and the
 * server's output is parsed here, so nothing of vscode-jsonrpc stands between.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVER } from './paths';

/** A process's peak resident memory in MiB, from /proc (undefined elsewhere or once it is gone). */
/** The server's requests whose params it must read (null or malformed params: InvalidParams). */
export const PARAM_REQUESTS: readonly string[] = [
	'textDocument/hover',
	'textDocument/definition',
	'textDocument/references',
	'textDocument/codeAction',
	'textDocument/prepareCallHierarchy',
	'callHierarchy/incomingCalls',
	'callHierarchy/outgoingCalls',
	'workspace/symbol',
];

export function peakRss(pid: number | undefined): number | undefined {
	try {
		const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
		return kb === undefined ? undefined : Math.round(Number(kb) / 1024);
	} catch {
		return undefined;
	}
}

export interface RawMessage {
	id?: number | string | null;
	method?: string;
	params?: unknown;
	result?: unknown;
	error?: { code: number; message: string };
}

export class RawServer {
	readonly messages: RawMessage[] = [];
	stderr = '';
	exit: Promise<number | null>;
	private buffer = Buffer.alloc(0);
	private nextId = 1;
	private waiters: (() => void)[] = [];

	constructor(readonly process: ChildProcess) {
		process.stdout!.on('data', (d: Buffer) => this.read(d));
		process.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
		// A server that exits while writes are pending must not fail the test with EPIPE.
		process.stdin!.on('error', () => {});
		this.exit = new Promise((resolve) => process.once('exit', (code) => resolve(code)));
	}

	static start(): RawServer {
		const env = { ...globalThis.process.env, XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'kmm-cache-')) };
		return new RawServer(spawn(globalThis.process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env }));
	}

	/** Writes bytes as they are. */
	write(bytes: string | Buffer): void {
		this.process.stdin!.write(bytes);
	}

	/** One message, correctly framed; `body` is sent as given when it is a string. */
	send(body: object | string): void {
		const text = typeof body === 'string' ? body : JSON.stringify({ jsonrpc: '2.0', ...body });
		this.write(`Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
	}

	/** Sends a request (params as given, `null` included) and resolves with its response. */
	async request(method: string, params?: unknown, ms = 10_000): Promise<RawMessage> {
		const id = this.nextId++;
		this.send(params === undefined ? { id, method } : { id, method, params });
		return this.waitFor(() => this.messages.find((m) => m.id === id && m.method === undefined), ms, `response to ${method}`);
	}

	notify(method: string, params: unknown): void {
		this.send({ method, params });
	}

	async initialize(initializationOptions: unknown): Promise<RawMessage> {
		const answer = await this.request('initialize', { processId: null, rootUri: null, capabilities: {}, initializationOptions });
		this.notify('initialized', {});
		return answer;
	}

	async waitFor<T>(predicate: () => T | undefined, ms: number, what: string): Promise<T> {
		const deadline = Date.now() + ms;
		for (;;) {
			const value = predicate();
			if (value !== undefined) return value;
			if (Date.now() > deadline || this.process.exitCode !== null) {
				throw new Error(`no ${what} (exit code ${this.process.exitCode}); stderr:\n${this.stderr}`);
			}
			await new Promise<void>((resolve) => {
				const timer = setTimeout(resolve, 100);
				this.waiters.push(() => {
					clearTimeout(timer);
					resolve();
				});
			});
		}
	}

	/** Resolves with the exit code, or undefined if the server is still running after `ms`. */
	exited(ms: number): Promise<number | null | undefined> {
		return Promise.race([this.exit, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms))]);
	}

	/** The process's peak resident memory in MiB (Linux), read before it ends. */
	peakRss(): number | undefined {
		return peakRss(this.process.pid);
	}

	kill(): void {
		if (this.process.exitCode === null) this.process.kill('SIGKILL');
	}

	private read(data: Buffer): void {
		this.buffer = Buffer.concat([this.buffer, data]);
		for (;;) {
			const end = this.buffer.indexOf('\r\n\r\n');
			if (end < 0) break;
			const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, end).toString())?.[1]);
			if (this.buffer.length < end + 4 + length) break;
			this.messages.push(JSON.parse(this.buffer.subarray(end + 4, end + 4 + length).toString()) as RawMessage);
			this.buffer = this.buffer.subarray(end + 4 + length);
		}
		const waiters = this.waiters;
		this.waiters = [];
		for (const w of waiters) w();
	}
}
