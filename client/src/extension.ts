// Extension entry point: runs the kmm language server over IPC once there is kernel work to
// do, shows its indexing state in the status bar and lets the user pick the kernel tree.
import * as vscode from 'vscode';
import { LanguageClient, State, TransportKind } from 'vscode-languageclient/node';
import type { LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import { registerCommands } from './commands';
import { isKernelDocument, isKernelWork } from './context';
import { statusNotification } from '../../server/src/lsp/protocol';
import { KernelStatusBar } from './status';
import { registerZoneDevice } from './zoneDevice';

const selectKernelAction = 'Select Kernel Tree…';
const C_TOOLS = ['llvm-vs-code-extensions.vscode-clangd', 'ms-vscode.cpptools'];

let client: LanguageClient | undefined;
// Every start and stop is chained here so that a Reindex, a settings change and deactivation
// never overlap: a LanguageClient throws when stopped while it is still starting.
let lifecycle: Promise<void> = Promise.resolve();

export function activate(context: vscode.ExtensionContext): void {
	const output = vscode.window.createOutputChannel('Kernel MM');
	// Owned here rather than by the client, which only listens to it: it outlives restarts.
	const watcher = vscode.workspace.createFileSystemWatcher('**/{Kbuild,Makefile,Kconfig,*.c,*.h,*.S,.kmm.json}');
	context.subscriptions.push(output, watcher);
	let statusBar: KernelStatusBar | undefined;

	const serverModule = context.asAbsolutePath('dist/server.js');
	const serverOptions: ServerOptions = {
		run: { module: serverModule, transport: TransportKind.ipc },
		debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
	};
	const clientOptions: LanguageClientOptions = {
		documentSelector: [{ scheme: 'file', language: 'c' }],
		synchronize: { fileEvents: watcher },
		outputChannel: output,
		// Evaluated on every start, so a restart picks up a newly selected kernel tree.
		initializationOptions: () => ({
			kernelPath: vscode.workspace.getConfiguration('kmm').get<string>('kernelPath', ''),
			kernelBuildPath: vscode.workspace.getConfiguration('kmm').get<string>('kernelBuildPath', ''),
			cacheDir: context.globalStorageUri.fsPath,
			// The status bar and our own notification (with "Select Kernel Tree…") say it.
			statusNotifications: true,
			// An untrusted workspace gets analysis only: the server writes nothing, not even its cache.
			trusted: vscode.workspace.isTrusted,
			// Where clangd or the C/C++ extension is installed it answers go-to-definition.
			otherCTools: C_TOOLS.some((id) => vscode.extensions.getExtension(id) !== undefined),
		}),
	};

	let warnedNoKernel = false;
	const warnNoKernel = async (message: string): Promise<void> => {
		if (warnedNoKernel) return;
		warnedNoKernel = true;
		const choice = await vscode.window.showWarningMessage(message || 'Kernel MM: no kernel tree found.', selectKernelAction);
		if (choice === selectKernelAction) await vscode.commands.executeCommand('kmm.selectKernel');
	};

	// A fresh client per start: one whose start failed can never be started again.
	const launch = async (): Promise<void> => {
		if (client) await stopClient(client);
		if (!statusBar) {
			statusBar = new KernelStatusBar();
			context.subscriptions.push(statusBar);
		}
		const bar = statusBar;
		bar.starting();
		const next = new LanguageClient('kmm', 'Kernel MM', serverOptions, clientOptions);
		client = next;
		next.onNotification(statusNotification, (status) => {
			bar.update(status);
			if (status.state === 'ready') void vscode.commands.executeCommand('kmm.refreshZoneDevice');
			if (status.state === 'noKernel') void warnNoKernel(status.message);
		});
		// Also covers the client's own restarts after a crash, and giving up on them.
		next.onDidChangeState(({ newState }) => {
			if (client !== next) return;
			if (newState === State.Starting) bar.starting();
			else if (newState === State.Stopped) bar.stopped();
		});
		try {
			await next.start();
		} catch {
			// The client has already logged the cause and shown it; the status bar says stopped.
		}
	};
	const reindex = (): Promise<void> =>
		(lifecycle = lifecycle.then(launch).catch((error: unknown) => output.appendLine(`kmm: ${String(error)}`)));

	context.subscriptions.push(
		vscode.commands.registerCommand('kmm.showOutput', () => output.show(true)),
		vscode.commands.registerCommand('kmm.restartServer', reindex),
		vscode.commands.registerCommand('kmm.selectKernel', selectKernel),
		vscode.workspace.onDidChangeConfiguration((event) => {
			if (event.affectsConfiguration('kmm.kernelPath') || event.affectsConfiguration('kmm.kernelBuildPath')) void reindex();
		}),
		...registerZoneDevice(() => client),
		...registerCommands(() => client),
		vscode.workspace.onDidGrantWorkspaceTrust(() => {
			if (client) void reindex();
		}),
	);
	if (isKernelWork()) {
		void reindex();
		return;
	}
	// Dormant until a kernel or module C file is opened.
	const waiting = vscode.workspace.onDidOpenTextDocument((doc) => {
		if (client || !isKernelDocument(doc)) return;
		waiting.dispose();
		void reindex();
	});
	context.subscriptions.push(waiting);
}

export async function deactivate(): Promise<void> {
	await lifecycle;
	if (client) await stopClient(client);
	client = undefined;
}

async function stopClient(target: LanguageClient): Promise<void> {
	// A client cannot be stopped mid-start, e.g. while restarting itself after a crash.
	if (target.state === State.Starting) await target.start().catch(() => undefined);
	// Stopped also covers a failed start. Stop failures are logged by the client itself, and it
	// kills a server that did not exit.
	if (target.state === State.Running) await target.stop().catch(() => undefined);
}

async function selectKernel(): Promise<void> {
	const config = vscode.workspace.getConfiguration('kmm');
	const current = config.get<string>('kernelPath', '');
	const picked = await vscode.window.showOpenDialog({
		canSelectFiles: false,
		canSelectFolders: true,
		canSelectMany: false,
		title: 'Select a Linux kernel tree',
		openLabel: 'Use Kernel Tree',
		defaultUri: current ? vscode.Uri.file(current) : vscode.workspace.workspaceFolders?.[0]?.uri,
	});
	if (!picked?.[0]) return;
	// The kernel tree belongs to the module being worked on, so it goes in workspace settings;
	// with no workspace open there is nowhere to put it but the user's.
	const target = vscode.workspace.name === undefined ? vscode.ConfigurationTarget.Global : vscode.ConfigurationTarget.Workspace;
	await config.update('kernelPath', picked[0].fsPath, target);
}
