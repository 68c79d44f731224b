// Commands that drive the server for the active document: the export audit report and the
// whole-file migration of the old HMM API.
import * as vscode from 'vscode';
import { CodeActionKind, CodeActionRequest, CodeActionResolveRequest, type CodeAction, type LanguageClient } from 'vscode-languageclient/node';
import { exportAuditRequest } from '../../server/src/lsp/protocol';

function running(client: () => LanguageClient | undefined): LanguageClient | undefined {
	const c = client();
	if (c?.isRunning()) return c;
	void vscode.window.showWarningMessage('Kernel MM: the language server is not running.');
	return undefined;
}

async function showMarkdown(markdown: string): Promise<void> {
	const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
	await vscode.commands.executeCommand('markdown.showPreview', doc.uri);
}

/** `kmm.showExportAudit` and `kmm.migrateFile`. */
export function registerCommands(client: () => LanguageClient | undefined): vscode.Disposable[] {
	return [
		vscode.commands.registerCommand('kmm.showExportAudit', async () => {
			const c = running(client);
			if (!c) return;
			// The active kernel file's exports, else the whole tree (which takes a while).
			const uri = vscode.window.activeTextEditor?.document.uri.toString();
			const { markdown } = await vscode.window.withProgress(
				{ location: vscode.ProgressLocation.Notification, title: 'Kernel MM: auditing exports…' },
				() => c.sendRequest(exportAuditRequest, { uri }),
			);
			await showMarkdown(markdown);
		}),
		vscode.commands.registerCommand('kmm.migrateFile', async () => {
			const editor = vscode.window.activeTextEditor;
			const c = editor && running(client);
			if (!editor || !c) return;
			const doc = editor.document;
			// Asked of the server itself: the action comes without its edit, and only it is resolved.
			const actions =
				(await c.sendRequest(CodeActionRequest.type, {
					textDocument: { uri: c.code2ProtocolConverter.asUri(doc.uri) },
					range: { start: { line: 0, character: 0 }, end: { line: doc.lineCount, character: 0 } },
					context: { diagnostics: [], only: [CodeActionKind.RefactorRewrite] },
				})) ?? [];
			const listed = actions.find((a): a is CodeAction => typeof a.command !== 'string' && a.title.startsWith('Migrate the whole file'));
			// The listing is cheap and may offer what the full analysis then finds nothing to do for.
			const migrate = listed && !listed.edit ? await c.sendRequest(CodeActionResolveRequest.type, listed).catch(() => undefined) : listed;
			if (!migrate?.edit) {
				void vscode.window.showInformationMessage('Kernel MM: nothing of the old hmm_devmem API to migrate in this file.');
				return;
			}
			await vscode.workspace.applyEdit(await c.protocol2CodeConverter.asWorkspaceEdit(migrate.edit));
		}),
	];
}
