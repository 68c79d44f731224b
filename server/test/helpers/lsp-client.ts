/**
 * A protocol-test client: spawns the bundled server over stdio, speaks LSP through
 * vscode-jsonrpc, and lets tests await what the server publishes. Every LSP test builds on it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
	createProtocolConnection,
	StreamMessageReader,
	StreamMessageWriter,
	type ProtocolConnection,
	type PublishDiagnosticsParams,
	type InitializeResult,
	type ClientCapabilities,
} from 'vscode-languageserver-protocol/node';
import { URI } from 'vscode-uri';
import { SERVER } from './paths';

export interface StartOptions {
	/** Command to run; default `node dist/server.js --stdio`. */
	command?: string[];
	rootPath?: string;
	initializationOptions?: unknown;
	/** Answers to workspace/configuration, by section. */
	configuration?: Record<string, unknown>;
	capabilities?: ClientCapabilities;
	env?: NodeJS.ProcessEnv;
}

export class TestClient {
	readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
	/** Every publishDiagnostics in arrival order. */
	readonly published: PublishDiagnosticsParams[] = [];
	readonly registrations: unknown[] = [];
	readonly notifications: { method: string; params: unknown }[] = [];
	readonly logs: string[] = [];
	stderr = '';
	private waiters: (() => void)[] = [];
	private versions = new Map<string, number>();
	configuration: Record<string, unknown>;

	private constructor(
		readonly process: ChildProcess,
		readonly connection: ProtocolConnection,
		options: StartOptions,
	) {
		this.configuration = options.configuration ?? {};
	}

	static async start(options: StartOptions = {}): Promise<TestClient> {
		const [cmd, ...args] = options.command ?? [process.execPath, SERVER, '--stdio'];
		// Each server gets its own index cache unless the test says otherwise.
		const env = { ...process.env, XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'kmm-cache-')), ...options.env };
		const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env });
		const connection = createProtocolConnection(
			new StreamMessageReader(child.stdout!),
			new StreamMessageWriter(child.stdin!),
		);
		const client = new TestClient(child, connection, options);
		child.stderr!.on('data', (d: Buffer) => (client.stderr += d.toString()));
		connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
			client.diagnostics.set(p.uri, p);
			client.published.push(p);
			client.wake();
		});
		connection.onNotification('window/logMessage', (p: { message: string }) => client.logs.push(p.message));
		connection.onNotification('kmm/status', (params: unknown) => {
			client.notifications.push({ method: 'kmm/status', params });
			client.wake();
		});
		connection.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) =>
			p.items.map((i) => (i.section ? (client.configuration[i.section] ?? null) : null)),
		);
		connection.onRequest('window/workDoneProgress/create', () => null);
		connection.onRequest('client/registerCapability', (p: unknown) => {
			client.registrations.push(p);
			return null;
		});
		connection.onRequest('window/showMessageRequest', (p: unknown) => {
			client.notifications.push({ method: 'window/showMessageRequest', params: p });
			client.wake();
			return null;
		});
		connection.onNotification('window/showMessage', (p: unknown) => {
			client.notifications.push({ method: 'window/showMessage', params: p });
			client.wake();
		});
		connection.onNotification('$/progress', (p: unknown) => client.notifications.push({ method: '$/progress', params: p }));
		connection.listen();
		const root = options.rootPath;
		const result: InitializeResult = await connection.sendRequest('initialize', {
			processId: process.pid,
			rootUri: root ? URI.file(root).toString() : null,
			workspaceFolders: root ? [{ uri: URI.file(root).toString(), name: 'ws' }] : null,
			initializationOptions: options.initializationOptions,
			capabilities: options.capabilities ?? {
				workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
				window: { workDoneProgress: true },
				textDocument: { publishDiagnostics: { relatedInformation: true } },
			},
		});
		client.initializeResult = result;
		await connection.sendNotification('initialized', {});
		return client;
	}

	initializeResult?: InitializeResult;

	private wake(): void {
		const waiters = this.waiters;
		this.waiters = [];
		for (const w of waiters) w();
	}

	/** Resolves when `predicate` holds, re-checked on every notification; rejects after `ms`. */
	async waitFor<T>(predicate: () => T | undefined | false, ms = 10_000, what = 'condition'): Promise<T> {
		const deadline = Date.now() + ms;
		for (;;) {
			const value = predicate();
			if (value) return value;
			const left = deadline - Date.now();
			if (left <= 0) throw new Error(`timed out waiting for ${what}; server stderr:\n${this.stderr}`);
			await new Promise<void>((resolve) => {
				const timer = setTimeout(resolve, Math.min(left, 200));
				this.waiters.push(() => {
					clearTimeout(timer);
					resolve();
				});
			});
		}
	}

	open(file: string, text = readFileSync(file, 'utf8'), languageId = 'c'): string {
		const uri = URI.file(file).toString();
		this.versions.set(uri, 1);
		void this.connection.sendNotification('textDocument/didOpen', {
			textDocument: { uri, languageId, version: 1, text },
		});
		return uri;
	}

	/** Sends one incremental change and returns the new version. */
	edit(uri: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }, text: string): number {
		const version = (this.versions.get(uri) ?? 1) + 1;
		this.versions.set(uri, version);
		void this.connection.sendNotification('textDocument/didChange', {
			textDocument: { uri, version },
			contentChanges: [{ range, text }],
		});
		return version;
	}

	/**
	 * Applies a WorkspaceEdit's edits for one document as an editor does: one didChange whose
	 * changes run from the end of the document to its start, so positions stay valid.
	 */
	applyEdits(uri: string, edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]): number {
		const version = (this.versions.get(uri) ?? 1) + 1;
		this.versions.set(uri, version);
		const sorted = [...edits].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character);
		void this.connection.sendNotification('textDocument/didChange', {
			textDocument: { uri, version },
			contentChanges: sorted.map((e) => ({ range: e.range, text: e.newText })),
		});
		return version;
	}

	/** Diagnostics published for `uri` at `version` or later (after the server is idle). */
	async diagnosticsFor(uri: string, version = 1): Promise<PublishDiagnosticsParams['diagnostics']> {
		await this.connection.sendRequest('kmm/idle');
		const p = await this.waitFor(
			() => {
				const d = this.diagnostics.get(uri);
				return d && (d.version ?? 0) >= version ? d : undefined;
			},
			10_000,
			`diagnostics of ${uri} v${version}`,
		);
		return p.diagnostics;
	}

	async stop(): Promise<void> {
		try {
			await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
			void this.connection.sendNotification('exit');
		} catch {
			// The server may already be gone; killing it below is enough.
		}
		await new Promise<void>((resolve) => {
			if (this.process.exitCode !== null) return resolve();
			const timer = setTimeout(() => {
				this.process.kill('SIGKILL');
				resolve();
			}, 2000);
			this.process.once('exit', () => {
				clearTimeout(timer);
				resolve();
			});
		});
		this.connection.dispose();
	}
}
