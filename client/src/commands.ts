// Commands that drive the server for the active document: the export audit report and the
// whole-file migration of the old HMM API.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
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
			if (!editor || !running(client)) return;
			const doc = editor.document;
			const whole = new vscode.Range(0, 0, doc.lineCount, 0);
			const actions =
				(await vscode.commands.executeCommand<vscode.CodeAction[]>(
					'vscode.executeCodeActionProvider',
					doc.uri,
					whole,
					vscode.CodeActionKind.RefactorRewrite.value,
				)) ?? [];
			const migrate = actions.find((a) => a.title.startsWith('Migrate the whole file'));
			if (!migrate?.edit) {
				void vscode.window.showInformationMessage('Kernel MM: nothing of the old hmm_devmem API to migrate in this file.');
				return;
			}
			await vscode.workspace.applyEdit(migrate.edit);
		}),
	];
}
