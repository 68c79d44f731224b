/**
 * The language server: LSP on one side, the engine on the other. Its parts, each the owner
 * of its state: the kernel session (settings, which kernel, kmm/status), the document store
 * (open documents and their trees), the diagnostics scheduler (analyses and what they left
 * for code actions and hovers), the graph features. This file creates them on initialize
 * and routes the protocol's requests and notifications to them.
 */
import {
	CodeActionKind,
	DidChangeConfigurationNotification,
	ErrorCodes,
	FileChangeType,
	LSPErrorCodes,
	MarkupKind,
	ResponseError,
	TextDocumentSyncKind,
	type Connection,
	type InitializeParams,
	type InitializeResult,
} from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import { Engine } from '../engine/engine';
import { codeActionsFor, migrationActions, migrationOffers, readMigrationData, wanted, withEdit } from './actions';
import { markdownToPlainText, readCodeAction, readPosition } from './convert';
import { DiagnosticsScheduler } from './diagnostics';
import { DocumentStore } from './documents';
import { registerGraphFeatures } from './graph-features';
import { KernelSession, type InitializationOptions, type Settings } from './kernel-session';
import { idleRequest } from './protocol';
import { createServerConnection } from './transport';
import { version as serverVersion } from '../../../package.json';

/** What the client said it can do, read once from initialize. */
interface Client {
	canPullConfig: boolean;
	hoverFormat: MarkupKind;
	/** It fills in a code action's edit with codeAction/resolve, keeping its `data`: migrations are listed without one. */
	resolvesEdits: boolean;
}

/** The server's parts, made on initialize. */
interface Parts {
	engine: Engine;
	docs: DocumentStore;
	session: KernelSession;
	diagnostics: DiagnosticsScheduler;
	client: Client;
	log: (message: string) => void;
}

export function startServer(connection: Connection = createServerConnection()): void {
	const log = (message: string) => connection.console.log(message);
	/** Settings problems already logged: each is said once, not on every keystroke. */
	const warned = new Set<string>();
	const warn = (problems: readonly string[]) => {
		for (const problem of problems) {
			if (warned.has(problem)) continue;
			warned.add(problem);
			log(`kmm: warning: ${problem}; ignored`);
		}
	};
	let shutdown = () => {};

	connection.onInitialize(async (params: InitializeParams): Promise<InitializeResult> => {
		const engine = await Engine.create();
		const docs = new DocumentStore(engine);
		const options = (params.initializationOptions ?? {}) as InitializationOptions;
		const initOptions = typeof options === 'object' && options !== null ? options : {};
		let workspaceFolders = (params.workspaceFolders ?? []).map((f) => URI.parse(f.uri).fsPath);
		if (workspaceFolders.length === 0 && params.rootUri) workspaceFolders = [URI.parse(params.rootUri).fsPath];
		const canPullConfig = params.capabilities.workspace?.configuration === true;
		// Eglot and Neovim 0.7 pull configuration but reject (or ignore) dynamic registration.
		const canRegisterConfigChange = params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true;
		const formats = params.capabilities.textDocument?.hover?.contentFormat;
		const codeAction = params.capabilities.textDocument?.codeAction;
		const client: Client = {
			canPullConfig,
			hoverFormat: formats && !formats.includes(MarkupKind.Markdown) ? MarkupKind.PlainText : MarkupKind.Markdown,
			resolvesEdits: codeAction?.dataSupport === true && codeAction.resolveSupport?.properties.includes('edit') === true,
		};
		/** When a document last changed: background work waits for a second of quiet. */
		let lastEdit = 0;
		const graph = registerGraphFeatures(connection, { engine, documents: docs, idle: () => Date.now() - lastEdit > 1000 });
		const diagnostics = new DiagnosticsScheduler(connection, engine, docs, {
			wantsRelated: params.capabilities.textDocument?.publishDiagnostics?.relatedInformation === true,
			kernelLoaded: () => (session.state === 'loading' ? session.whenLoaded() : undefined),
			overrides: () => session.overrides,
			warn,
			log,
		});
		const session = new KernelSession(connection, engine, docs, {
			initOptions,
			workspaceFolders,
			canPullConfig,
			canReportProgress: params.capabilities.window?.workDoneProgress === true,
			onChange: () => diagnostics.revalidateAll(),
			// Call-graph queries need their tables (and ops dispatch its index): build them now,
			// in the background, rather than on the first query.
			onIndexed: (index) => {
				index.graph.prepare();
				graph.warm(index);
			},
			warn,
		});
		registerDocumentHandlers(connection, { engine, docs, session, diagnostics, client, log }, () => (lastEdit = Date.now()));
		engine.onParserRestart((failure) => {
			if (failure) return log(`kmm: the C parser (tree-sitter) failed and could not be restarted (${failure.message}); tried again on the next edit`);
			log('kmm: the C parser (tree-sitter) failed and was restarted; open documents are parsed again');
			docs.reparseAll();
			diagnostics.revalidateAll();
		});
		shutdown = () => {
			diagnostics.dispose();
			docs.dispose();
		};
		connection.onInitialized(() => {
			if (canPullConfig && canRegisterConfigChange) {
				void connection.client.register(DidChangeConfigurationNotification.type, { section: 'kmm' });
			}
			session.reload();
		});
		return {
			capabilities: {
				textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
				codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite], resolveProvider: true },
				hoverProvider: true,
				definitionProvider: initOptions.otherCTools !== true,
				callHierarchyProvider: true,
				referencesProvider: true,
				workspaceSymbolProvider: true,
			},
			serverInfo: { name: 'kmm', version: serverVersion },
		};
	});

	connection.onRequest((method) => {
		throw new ResponseError(ErrorCodes.MethodNotFound, `kmm does not handle ${method}`);
	});

	connection.onShutdown(() => shutdown());

	connection.listen();
}

/** The requests and notifications about documents, routed to the parts. */
function registerDocumentHandlers(connection: Connection, parts: Parts, edited: () => void): void {
	const { engine, docs, session, diagnostics, client, log } = parts;
	const { published, modules } = diagnostics;

	connection.onDidOpenTextDocument(({ textDocument: td }) => {
		docs.open(td.uri, td.languageId, td.version, td.text);
		// No kernel was found so far: this module's Makefile may name one (KDIR).
		if (session.state === 'none' && URI.parse(td.uri).scheme === 'file') session.reload();
		diagnostics.schedule(td.uri);
	});

	connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
		edited();
		if (docs.change(textDocument.uri, textDocument.version, contentChanges)) diagnostics.schedule(textDocument.uri);
		else log(`kmm: change for ${textDocument.uri}, which is not open; ignored`);
	});

	connection.onDidCloseTextDocument(({ textDocument }) => {
		diagnostics.forget(textDocument.uri);
		if (!docs.close(textDocument.uri)) log(`kmm: close for ${textDocument.uri}, which is not open; ignored`);
		else void connection.sendDiagnostics({ uri: textDocument.uri, diagnostics: [] });
	});

	connection.onDidChangeWatchedFiles(({ changes }) => {
		const kernel = engine.kernel;
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
		// Another file of a module (its license, its Kbuild, a .kmm.json) may have changed too.
		engine.forgetFileSummaries();
		diagnostics.revalidateAll();
	});

	connection.onDidChangeConfiguration((change) => {
		if (!client.canPullConfig) {
			const pushed = (change.settings as { kmm?: Settings } | undefined)?.kmm;
			if (pushed) session.push(pushed);
		}
		session.reload();
	});

	/** An open document's module as of its last analysis, if that was of `version`. */
	function lastModule(uri: string, version: number) {
		const cached = modules.get(uri);
		return cached?.version === version ? cached.module : undefined;
	}

	/** The open document a position request is about, and its module as of its last analysis. */
	function positionTarget(params: Parameters<typeof readPosition>[0]) {
		const { uri, position } = readPosition(params);
		const entry = docs.get(uri);
		if (!entry?.tree || URI.parse(uri).scheme !== 'file') return undefined;
		return { entry, tree: entry.tree, position, module: lastModule(uri, entry.doc.version) };
	}

	connection.onHover((params) => {
		const target = positionTarget(params);
		if (!target) return null;
		const { entry, tree, position, module } = target;
		const hover = engine.hover(entry.file, entry.doc.getText(), tree, position, module);
		if (!hover) return null;
		const value = client.hoverFormat === MarkupKind.Markdown ? hover.markdown : markdownToPlainText(hover.markdown);
		return { contents: { kind: client.hoverFormat, value }, range: hover.range };
	});

	connection.onDefinition((params) => {
		const target = positionTarget(params);
		if (!target) return null;
		const { entry, tree, position, module } = target;
		return engine
			.definition(entry.file, entry.doc.getText(), tree, position, module)
			.map((l) => ({ uri: URI.file(l.file).toString(), range: l.range }));
	});

	// The checks' quick fixes come with their findings, so they are listed with their edits;
	// migrations are listed cheaply and resolved one by one where the client can.
	connection.onCodeAction((params) => {
		const { uri, range, diagnostics: context, only } = readCodeAction(params);
		const findings = published.get(uri) ?? [];
		const actions = codeActionsFor(findings, range, context, only);
		const entry = docs.get(uri);
		if (!entry?.tree) return actions;
		const request = { module: lastModule(uri, entry.doc.version), findings, whole: wanted(CodeActionKind.RefactorRewrite, only) };
		const text = entry.doc.getText();
		if (client.resolvesEdits) {
			const offers = engine.availableMigrations(entry.file, text, entry.tree, range, request);
			actions.push(...migrationOffers(offers, { uri, version: entry.doc.version }, context, only));
		} else actions.push(...migrationActions(engine.migrationsAt(entry.file, text, entry.tree, range, request), context, only));
		return actions;
	});

	connection.onCodeActionResolve((action) => {
		if (!action || typeof action !== 'object') throw new ResponseError(ErrorCodes.InvalidParams, 'codeAction/resolve needs a code action');
		// The checks' quick fixes were listed with their edits: nothing to add.
		if (action.data === undefined) return action;
		const data = readMigrationData(action.data);
		if (!data) throw new ResponseError(ErrorCodes.InvalidParams, 'codeAction/resolve: data is not a kmm migration');
		const entry = docs.get(data.uri);
		if (!entry?.tree || entry.doc.version !== data.version) {
			throw new ResponseError(LSPErrorCodes.ContentModified, 'the document changed since the code action was listed');
		}
		const fix = engine.resolveMigration(entry.file, entry.doc.getText(), entry.tree, data.offer, lastModule(data.uri, data.version));
		if (!fix) throw new ResponseError(LSPErrorCodes.RequestFailed, `${data.offer.title}: nothing to migrate there after all`);
		return withEdit(action, fix);
	});

	/** Resolves when indexing and every scheduled analysis are done; tests await it. */
	connection.onRequest(idleRequest, async () => {
		await session.whenLoaded();
		while (diagnostics.busy) await new Promise((resolve) => setTimeout(resolve, 5));
		return { kernelRoot: session.root ?? null };
	});
}
