/**
 * The kernel the server works against: its settings (pulled from the client, or pushed),
 * which kernel is open and whether it is still loading, and the client's view of it
 * (`kmm/status`, `$/progress`, a warning when none is found). Opening itself is the
 * engine's `openKernel`, as in the CLI; loads run one after the other.
 */
import { dirname } from 'node:path';
import type { Connection, WorkDoneProgressReporter } from 'vscode-languageserver/node';
import type { Engine } from '../engine/engine';
import type { KernelIndex } from '../engine/kernel/index';
import { openKernel, versionOf, type OpenedKernel } from '../engine/kernel/open';
import { parseOverrides, type SeverityOverrides } from '../engine/settings';
import type { DocumentStore } from './documents';
import { statusNotification, type StatusParams } from './protocol';

export interface Settings {
	/** A source tree or a headers tree. */
	kernelPath?: string;
	/** The build (O= directory or headers tree) of a source tree: its Module.symvers and .config win. */
	kernelBuildPath?: string;
	diagnostics?: unknown;
}

export interface InitializationOptions extends Settings {
	/** Where the index cache lives (the VS Code client passes its global storage). */
	cacheDir?: string;
	/** false in an untrusted workspace: analyse only, write nothing (not even the cache). */
	trusted?: boolean;
	/** clangd or the C/C++ extension answers go-to-definition already: do not answer it twice. */
	otherCTools?: boolean;
	/** The client shows `kmm/status` itself (the VS Code extension does); no showMessage then. */
	statusNotifications?: boolean;
}

export interface SessionOptions {
	initOptions: InitializationOptions;
	workspaceFolders: string[];
	canPullConfig: boolean;
	canReportProgress: boolean;
	/** What the diagnostics look like changed (a kernel, or kmm.diagnostics): re-publish. */
	onChange: () => void;
	/** The full index is there: build what call-graph queries need, in the background. */
	onIndexed: (index: KernelIndex) => void;
	/** Problems of kmm.diagnostics, for the log. */
	warn: (problems: readonly string[]) => void;
}

export class KernelSession {
	/** `loading` while a kernel is being located and indexed; `none` when none was found. */
	state: 'loading' | 'ready' | 'none' = 'loading';
	/** kmm.diagnostics: wins over the .kmm.json files. */
	overrides: SeverityOverrides = {};
	private opened: OpenedKernel | undefined;
	private loading: Promise<void> = Promise.resolve();
	private warnedNoKernel = false;

	constructor(
		private readonly connection: Connection,
		private readonly engine: Engine,
		private readonly documents: DocumentStore,
		private readonly options: SessionOptions,
	) {}

	get root(): string | undefined {
		return this.opened?.located.root;
	}

	/** Settles when every load asked for so far is done. */
	whenLoaded(): Promise<void> {
		return this.loading;
	}

	/** (Re)loads after the ones already asked for: settings or the documents' KDIR may have changed. */
	reload(): void {
		this.loading = this.loading.then(() => this.load());
	}

	/** Settings pushed by a client that cannot be asked for them. */
	push(settings: Settings): void {
		this.options.initOptions = { ...this.options.initOptions, ...settings };
	}

	private status(params: StatusParams): void {
		void this.connection.sendNotification(statusNotification, params);
	}

	private log(message: string): void {
		this.connection.console.log(message);
	}

	private async settings(): Promise<Settings> {
		const { initOptions } = this.options;
		if (!this.options.canPullConfig) return initOptions;
		try {
			const [pulled] = (await this.connection.workspace.getConfiguration([{ section: 'kmm' }])) as (Settings | null)[];
			return {
				kernelPath: pulled?.kernelPath || initOptions.kernelPath,
				kernelBuildPath: pulled?.kernelBuildPath || initOptions.kernelBuildPath,
				diagnostics: pulled?.diagnostics ?? initOptions.diagnostics,
			};
		} catch {
			return initOptions;
		}
	}

	private async load(): Promise<void> {
		const { engine, options } = this;
		this.state = 'loading';
		const { kernelPath, kernelBuildPath, diagnostics } = await this.settings();
		const previousOverrides = JSON.stringify(this.overrides);
		const parsed = parseOverrides(diagnostics, 'kmm.diagnostics');
		this.overrides = parsed.overrides;
		options.warn(parsed.problems);
		const overridesChanged = JSON.stringify(this.overrides) !== previousOverrides;
		let progress: WorkDoneProgressReporter | undefined;
		let lastPercent = -1;
		let root: string | undefined;
		try {
			const opened = await openKernel({
				explicit: kernelPath || undefined,
				build: kernelBuildPath || undefined,
				workspaceFolders: options.workspaceFolders,
				moduleDirs: [...new Set(this.documents.all().map((d) => dirname(d.file)))],
				cacheDir: options.initOptions.cacheDir,
				// The call hierarchy's dispatch edges need every file's ops scan.
				ops: true,
				noCache: options.initOptions.trusted === false,
				current: engine.kernel ? this.opened : undefined,
				onProgress: ({ phase, done, total }) => {
					const percent = total > 0 ? Math.floor((100 * done) / total) : 0;
					if (percent === lastPercent) return;
					lastPercent = percent;
					progress?.report(percent, `${phase} ${done}/${total}`);
				},
				// Diagnostics need exports, licenses and units only: start them now.
				onExportsReady: (ready) => {
					engine.setKernel(ready);
					this.state = 'ready';
					const version = versionOf(ready);
					this.status({ state: 'indexing', message: `Linux ${version}: exports ready, indexing functions`, kernelRoot: root, version });
					options.onChange();
				},
				onLocated: async (located) => {
					root = located.root;
					this.opened = undefined;
					this.status({ state: 'indexing', message: `indexing ${located.root}${located.build ? ` with build ${located.build}` : ''}`, kernelRoot: located.root });
					progress = options.canReportProgress ? await this.connection.window.createWorkDoneProgress() : undefined;
					progress?.begin('Kernel MM: indexing', undefined, located.root);
				},
			});
			if (!opened.ok && opened.root === undefined) {
				this.noKernel(opened.message);
				return;
			}
			if (!opened.ok) throw new Error(opened.message);
			if (opened.reused) {
				// Same tree: re-publish only if what the diagnostics look like changed.
				this.state = 'ready';
				if (overridesChanged) options.onChange();
				return;
			}
			const { index } = opened;
			engine.setKernel(index);
			this.opened = opened;
			this.log(`kmm: ${opened.summary}`);
			// A headers tree has no call graph: say so where the user looks, not by empty answers.
			this.status({ state: 'ready', message: opened.status, kernelRoot: opened.located.root, version: opened.version, ...(opened.note ? { note: opened.note } : {}) });
			this.state = 'ready';
			setImmediate(() => options.onIndexed(index));
		} catch (err) {
			this.opened = undefined;
			this.state = 'none';
			engine.setKernel(undefined);
			const message = err instanceof Error ? err.message : String(err);
			this.status({ state: 'error', message, kernelRoot: root });
			this.log(`kmm: indexing ${root} failed: ${message}`);
		} finally {
			progress?.done();
		}
		options.onChange();
	}

	private noKernel(message: string): void {
		this.opened = undefined;
		this.state = 'none';
		this.engine.setKernel(undefined);
		this.status({ state: 'noKernel', message });
		this.log(`kmm: ${message}`);
		if (!this.warnedNoKernel && !this.options.initOptions.statusNotifications) {
			this.warnedNoKernel = true;
			void this.connection.window.showWarningMessage(`Kernel MM: ${message}`);
		}
		this.options.onChange();
	}
}
