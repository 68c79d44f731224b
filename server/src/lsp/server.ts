/**
 * The language server: LSP on one side, the engine on the other. It owns the open
 * documents, finds and indexes the kernel in the background, and publishes diagnostics
 * whenever a document or the index changes.
 */
import { dirname } from 'node:path';
import {
	CodeActionKind,
	createConnection,
	DidChangeConfigurationNotification,
	ErrorCodes,
	FileChangeType,
	MarkupKind,
	ProposedFeatures,
	ResponseError,
	TextDocumentSyncKind,
	type Connection,
	type InitializeParams,
	type InitializeResult,
} from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import { Engine } from '../engine/engine';
import { buildKernelIndexAsync } from '../engine/kernel/index';
import { locateKernel } from '../engine/kernel/locate';
import { formatVersion } from '../engine/version';
import type { Finding, ModuleContext } from '../engine/checks/types';
import { codeActionsFor, migrationActions, toCodeAction, wanted } from './actions';
import { markdownToPlainText, toDiagnostic } from './convert';
import { applyOverrides, mergeOverrides, parseOverrides, ProjectSettings, type SeverityOverrides } from '../engine/settings';
import { DocumentStore } from './documents';
import { registerGraphFeatures } from './graph-features';
import { idleRequest, statusNotification, type StatusParams } from './protocol';
import { version as serverVersion } from '../../../package.json';

interface Settings {
	/** A source tree or a headers tree. */
	kernelPath?: string;
	/** The build (O= directory or headers tree) of a source tree: its Module.symvers and .config win. */
	kernelBuildPath?: string;
	diagnostics?: unknown;
}

interface InitializationOptions extends Settings {
	/** Where the index cache lives (the VS Code client passes its global storage). */
	cacheDir?: string;
	/** false in an untrusted workspace: analyse only, write nothing (not even the cache). */
	trusted?: boolean;
	/** clangd or the C/C++ extension answers go-to-definition already: do not answer it twice. */
	otherCTools?: boolean;
	/** The client shows `kmm/status` itself (the VS Code extension does); no showMessage then. */
	statusNotifications?: boolean;
}

export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): void {
	let engine: Engine | undefined;
	let docs: DocumentStore | undefined;
	let initOptions: InitializationOptions = {};
	let workspaceFolders: string[] = [];
	let canPullConfig = false;
	let canRegisterConfigChange = false;
	let hoverFormat: MarkupKind = MarkupKind.Markdown;
	/** `loading` while a kernel is being located and indexed; `none` when none was found. */
	let kernelState: 'loading' | 'ready' | 'none' = 'loading';
	let canReportProgress = false;
	let wantsRelated = false;
	let warnedNoKernel = false;
	let kernelRoot: string | undefined;
	/** The build paired with kernelRoot, if any: a new one re-indexes the same root. */
	let kernelBuild: string | undefined;
	let loading: Promise<void> = Promise.resolve();
	const pending = new Map<string, NodeJS.Timeout>();
	/** kmm.diagnostics: wins over the .kmm.json files. */
	let overrides: SeverityOverrides = {};
	const projectSettings = new ProjectSettings();
	/** Settings problems already logged: each is said once, not on every keystroke. */
	const warned = new Set<string>();
	/** The findings behind each document's published diagnostics, for code actions. */
	const published = new Map<string, Finding[]>();
	/** Each document's module as of its last analysis, reused by hovers of that version. */
	const modules = new Map<string, { version: number; module?: ModuleContext }>();

	const log = (message: string) => connection.console.log(message);
	const status = (params: StatusParams) => void connection.sendNotification(statusNotification, params);
	/** When a document last changed: background work waits for a second of quiet. */
	let lastEdit = 0;
	const graph = registerGraphFeatures(connection, {
		kernel: () => engine?.kernel,
		engine: () => engine,
		documents: () => docs,
		idle: () => Date.now() - lastEdit > 1000,
	});

	connection.onInitialize(async (params: InitializeParams): Promise<InitializeResult> => {
		engine = await Engine.create();
		docs = new DocumentStore(engine);
		const options = (params.initializationOptions ?? {}) as InitializationOptions;
		initOptions = typeof options === 'object' && options !== null ? options : {};
		workspaceFolders = (params.workspaceFolders ?? []).map((f) => URI.parse(f.uri).fsPath);
		if (workspaceFolders.length === 0 && params.rootUri) workspaceFolders = [URI.parse(params.rootUri).fsPath];
		canPullConfig = params.capabilities.workspace?.configuration === true;
		// Eglot and Neovim 0.7 pull configuration but reject (or ignore) dynamic registration.
		canRegisterConfigChange = params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true;
		const formats = params.capabilities.textDocument?.hover?.contentFormat;
		if (formats && !formats.includes(MarkupKind.Markdown)) hoverFormat = MarkupKind.PlainText;
		canReportProgress = params.capabilities.window?.workDoneProgress === true;
		wantsRelated = params.capabilities.textDocument?.publishDiagnostics?.relatedInformation === true;
		return {
			capabilities: {
				textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
				codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
				hoverProvider: true,
				definitionProvider: initOptions.otherCTools !== true,
				callHierarchyProvider: true,
				referencesProvider: true,
				workspaceSymbolProvider: true,
			},
			serverInfo: { name: 'kmm', version: serverVersion },
		};
	});

	connection.onInitialized(() => {
		if (canPullConfig && canRegisterConfigChange) {
			void connection.client.register(DidChangeConfigurationNotification.type, { section: 'kmm' });
		}
		loading = loadKernel();
	});

	async function settings(): Promise<Settings> {
		if (!canPullConfig) return initOptions;
		try {
			const [pulled] = (await connection.workspace.getConfiguration([{ section: 'kmm' }])) as (Settings | null)[];
			return {
				kernelPath: pulled?.kernelPath || initOptions.kernelPath,
				kernelBuildPath: pulled?.kernelBuildPath || initOptions.kernelBuildPath,
				diagnostics: pulled?.diagnostics ?? initOptions.diagnostics,
			};
		} catch {
			return initOptions;
		}
	}

	async function loadKernel(): Promise<void> {
		if (!engine) return;
		kernelState = 'loading';
		const { kernelPath, kernelBuildPath, diagnostics } = await settings();
		const previousOverrides = JSON.stringify(overrides);
		const parsed = parseOverrides(diagnostics, 'kmm.diagnostics');
		overrides = parsed.overrides;
		warn(parsed.problems);
		const overridesChanged = JSON.stringify(overrides) !== previousOverrides;
		const located = locateKernel({
			explicit: kernelPath || undefined,
			build: kernelBuildPath || undefined,
			workspaceFolders,
			moduleDirs: [...new Set((docs?.all() ?? []).map((d) => dirname(d.file)))],
		});
		if (!located.ok) {
			kernelRoot = undefined;
			kernelState = 'none';
			engine.setKernel(undefined);
			status({ state: 'noKernel', message: located.message });
			log(`kmm: ${located.message}`);
			if (!warnedNoKernel && !initOptions.statusNotifications) {
				warnedNoKernel = true;
				void connection.window.showWarningMessage(`Kernel MM: ${located.message}`);
			}
			revalidateAll();
			return;
		}
		const { root, build } = located.kernel;
		if (root === kernelRoot && build === kernelBuild && engine.kernel) {
			// Same tree: re-publish only if what the diagnostics look like changed.
			kernelState = 'ready';
			if (overridesChanged) revalidateAll();
			return;
		}
		kernelRoot = root;
		kernelBuild = build;
		status({ state: 'indexing', message: `indexing ${root}${build ? ` with build ${build}` : ''}`, kernelRoot: root });
		const progress = canReportProgress ? await connection.window.createWorkDoneProgress() : undefined;
		progress?.begin('Kernel MM: indexing', undefined, root);
		const e = engine;
		const started = Date.now();
		let lastPercent = -1;
		try {
			// Workers scan the tree; this thread keeps answering requests meanwhile.
			const index = await buildKernelIndexAsync(root, {
				buildDir: build,
				cacheDir: initOptions.cacheDir,
				noCache: initOptions.trusted === false,
				onProgress: ({ phase, done, total }) => {
					const percent = total > 0 ? Math.floor((100 * done) / total) : 0;
					if (percent === lastPercent) return;
					lastPercent = percent;
					progress?.report(percent, `${phase} ${done}/${total}`);
				},
				// Diagnostics need exports, licenses and units only: start them now.
				onExportsReady: (ready) => {
					e.setKernel(ready);
					kernelState = 'ready';
					const version = ready.version ? formatVersion(ready.version) : 'unknown version';
					status({ state: 'indexing', message: `Linux ${version}: exports ready, indexing functions`, kernelRoot: root, version });
					revalidateAll();
				},
			});
			e.setKernel(index);
			const version = index.version ? formatVersion(index.version) : 'unknown version';
			log(
				`kmm: indexed ${root} (${version}, ${located.kernel.source}) in ${Date.now() - started} ms ` +
					`(${index.stats.fromCache ? `from cache, ${index.stats.reread} files re-read` : 'from scratch'}; ` +
					`exports after ${index.stats.exportsMs} ms): ${index.stats.files} files, ${index.exports.size} exported symbols, ` +
					`${index.units.size} build units, ${index.graph.counts.functions} functions` +
					(index.callGraphNote ? `; ${index.kind} tree: ${index.callGraphNote}` : '') +
					(index.skipped.length ? `; skipped ${index.skipped.length} paths` : '') +
					(index.stats.cacheNote ? `; cache: ${index.stats.cacheNote}` : ''),
			);
			// A headers tree has no call graph: say so where the user looks, not by empty answers.
			const note = index.callGraphNote;
			status({ state: 'ready', message: `Linux ${version} at ${root}${note ? ` (${note})` : ''}`, kernelRoot: root, version, ...(note ? { note } : {}) });
			kernelState = 'ready';
			// Call-graph queries need their tables (and ops dispatch its index): build them now,
			// in the background, rather than on the first query.
			setImmediate(() => {
				index.graph.prepare();
				graph.warm(index);
			});
		} catch (err) {
			kernelRoot = undefined;
			kernelState = 'none';
			e.setKernel(undefined);
			const message = err instanceof Error ? err.message : String(err);
			status({ state: 'error', message, kernelRoot: root });
			log(`kmm: indexing ${root} failed: ${message}`);
		} finally {
			progress?.done();
		}
		revalidateAll();
	}

	function validate(uri: string): void {
		pending.delete(uri);
		const entry = docs?.get(uri);
		if (!entry || !engine) return;
		// Diagnostics before the index is there would be an empty list that later fills up.
		if (kernelState === 'loading') {
			void loading.then(() => schedule(uri));
			return;
		}
		try {
			// Only files on disk belong to a module; an untitled buffer gets no module checks.
			const onDisk = URI.parse(uri).scheme === 'file';
			const result = onDisk ? engine.inspect(entry.file, entry.doc.getText(), entry.tree) : undefined;
			const fromFiles = projectSettings.overridesFor(entry.file, kernelRoot);
			warn(fromFiles.problems);
			const effective = mergeOverrides(fromFiles.overrides, overrides);
			const all = result?.findings ?? [];
			const findings = applyOverrides(all, effective);
			// Switched-off findings stay behind code actions without their fixes, so that
			// migrations are offered where the old API is used even with removed-api off.
			const silenced = all.filter((f) => effective[f.code] === 'off').map((f) => ({ ...f, fixes: undefined }));
			published.set(uri, [...findings, ...silenced]);
			modules.set(uri, { version: entry.doc.version, module: result?.module });
			void connection.sendDiagnostics({
				uri,
				version: entry.doc.version,
				diagnostics: findings.map((f) => toDiagnostic(f, wantsRelated)),
			});
		} catch (err) {
			log(`kmm: analysis of ${uri} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
		}
	}

	function warn(problems: readonly string[]): void {
		for (const problem of problems) {
			if (warned.has(problem)) continue;
			warned.add(problem);
			log(`kmm: warning: ${problem}; ignored`);
		}
	}

	function schedule(uri: string): void {
		clearTimeout(pending.get(uri));
		pending.set(
			uri,
			setTimeout(() => validate(uri), 0),
		);
	}

	function revalidateAll(): void {
		for (const entry of docs?.all() ?? []) schedule(entry.uri);
	}

	connection.onDidOpenTextDocument(({ textDocument: td }) => {
		if (!docs) return;
		docs.open(td.uri, td.languageId, td.version, td.text);
		// No kernel was found so far: this module's Makefile may name one (KDIR).
		if (kernelState === 'none' && URI.parse(td.uri).scheme === 'file') loading = loading.then(loadKernel);
		schedule(td.uri);
	});

	connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
		lastEdit = Date.now();
		if (docs?.change(textDocument.uri, textDocument.version, contentChanges)) schedule(textDocument.uri);
		else log(`kmm: change for ${textDocument.uri}, which is not open; ignored`);
	});

	connection.onDidCloseTextDocument(({ textDocument }) => {
		clearTimeout(pending.get(textDocument.uri));
		pending.delete(textDocument.uri);
		published.delete(textDocument.uri);
		modules.delete(textDocument.uri);
		if (!docs?.close(textDocument.uri)) log(`kmm: close for ${textDocument.uri}, which is not open; ignored`);
		else void connection.sendDiagnostics({ uri: textDocument.uri, diagnostics: [] });
	});

	connection.onDidChangeWatchedFiles(({ changes }) => {
		const kernel = engine?.kernel;
		for (const change of changes ?? []) {
			const rel = kernel?.relativePath(URI.parse(change.uri).fsPath);
			if (!kernel || rel === undefined) continue;
			try {
				if (change.type === FileChangeType.Deleted) kernel.removeFile(rel);
				else kernel.updateFile(rel);
			} catch (err) {
				log(`kmm: re-indexing ${rel} failed: ${err instanceof Error ? err.message : String(err)}`);
			}
		}
		// Another file of a module (its license, its Kbuild) may have changed too.
		engine?.forgetFileSummaries();
		revalidateAll();
	});

	connection.onDidChangeConfiguration((change) => {
		if (!canPullConfig) {
			const pushed = (change.settings as { kmm?: Settings } | undefined)?.kmm;
			if (pushed) initOptions = { ...initOptions, ...pushed };
		}
		loading = loading.then(loadKernel);
	});

	/** The open document a position request is about; bad params are an LSP error. */
	function positionTarget(params: { textDocument?: { uri?: unknown }; position?: { line?: unknown; character?: unknown } }) {
		const uri = params?.textDocument?.uri;
		const pos = params?.position;
		if (typeof uri !== 'string' || typeof pos?.line !== 'number' || typeof pos.character !== 'number') {
			throw new ResponseError(ErrorCodes.InvalidParams, 'expected textDocument.uri and position {line, character}');
		}
		const entry = docs?.get(uri);
		if (!entry || !engine || URI.parse(uri).scheme !== 'file') return undefined;
		const cached = modules.get(uri);
		const module = cached?.version === entry.doc.version ? cached.module : undefined;
		return { entry, engine, position: { line: pos.line, character: pos.character }, module };
	}

	connection.onHover((params) => {
		const target = positionTarget(params);
		if (!target) return null;
		const { entry, engine: e, position, module } = target;
		const hover = e.hover(entry.file, entry.doc.getText(), entry.tree, position, module);
		if (!hover) return null;
		const value = hoverFormat === MarkupKind.Markdown ? hover.markdown : markdownToPlainText(hover.markdown);
		return { contents: { kind: hoverFormat, value }, range: hover.range };
	});

	connection.onDefinition((params) => {
		const target = positionTarget(params);
		if (!target) return null;
		const { entry, engine: e, position, module } = target;
		return e
			.definition(entry.file, entry.doc.getText(), entry.tree, position, module)
			.map((l) => ({ uri: URI.file(l.file).toString(), range: l.range }));
	});

	connection.onCodeAction((params) => {
		if (!params?.textDocument?.uri || !params.range) {
			throw new ResponseError(ErrorCodes.InvalidParams, 'codeAction needs textDocument.uri and range');
		}
		const uri = params.textDocument.uri;
		const context = params.context?.diagnostics ?? [];
		const only = params.context?.only;
		const findings = published.get(uri) ?? [];
		const actions = codeActionsFor(findings, params.range, context, only);
		const entry = docs?.get(uri);
		// Migrations only where the old HMM API is used: removed-api findings say so.
		if (!entry || !engine || !findings.some((f) => f.code === 'removed-api')) return actions;
		const cached = modules.get(uri);
		const module = cached?.version === entry.doc.version ? cached.module : engine.moduleOf(entry.file);
		const text = entry.doc.getText();
		actions.push(...migrationActions(engine.migrationsAt(entry.file, text, entry.tree, params.range, module), context, only));
		if (wanted(CodeActionKind.RefactorRewrite, only)) {
			for (const scope of module && module.files.length > 1 ? (['file', 'module'] as const) : (['file'] as const)) {
				const fix = engine.migrateAll(scope, entry.file, text, entry.tree, module)?.fixes[0];
				if (fix) actions.push(toCodeAction({ ...fix, title: `Migrate the whole ${scope} from hmm_devmem to dev_pagemap` }, CodeActionKind.RefactorRewrite));
			}
		}
		return actions;
	});

	/** Resolves when indexing and every scheduled analysis are done; tests await it. */
	connection.onRequest(idleRequest, async () => {
		await loading;
		while (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 5));
		return { kernelRoot: kernelRoot ?? null };
	});

	connection.onRequest((method) => {
		throw new ResponseError(ErrorCodes.MethodNotFound, `kmm does not handle ${method}`);
	});

	connection.onShutdown(() => {
		for (const timer of pending.values()) clearTimeout(timer);
		pending.clear();
		docs?.dispose();
	});

	connection.listen();
}
