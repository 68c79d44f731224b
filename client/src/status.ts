// Status-bar view of the language server: its lifecycle as seen by the client, and the
// indexing state it reports through the `kmm/status` notification.
import * as vscode from 'vscode';
import type { StatusParams } from '../../server/src/lsp/protocol';

type Severity = 'warning' | 'error';

export class KernelStatusBar implements vscode.Disposable {
	private readonly item = vscode.window.createStatusBarItem('kmm.status', vscode.StatusBarAlignment.Left);

	constructor() {
		this.item.name = 'Kernel MM';
		this.item.command = 'kmm.showOutput';
		this.starting();
		this.item.show();
	}

	starting(): void {
		this.set('$(database) kmm', 'Kernel MM: starting the language server');
	}

	stopped(): void {
		this.set('$(circle-slash) kmm: stopped', 'Kernel MM: the language server is not running. Run "Kernel MM: Reindex" to start it again.', 'error');
	}

	update(status: StatusParams): void {
		switch (status.state) {
			case 'indexing':
				this.set('$(sync~spin) kmm: indexing…', status.message);
				break;
			case 'ready':
				// A headers tree checks as a source tree does, but has no call graph: say it here.
				this.set(
					`$(check) kmm: ${status.version ?? 'ready'}${status.note ? ' (headers)' : ''}`,
					status.note ? `${status.kernelRoot ?? status.message}\n${status.note}` : (status.kernelRoot ?? status.message),
				);
				break;
			case 'noKernel':
				this.set('$(warning) kmm: no kernel', status.message, 'warning');
				break;
			case 'error':
				this.set('$(error) kmm: error', status.message, 'error');
				break;
		}
	}

	dispose(): void {
		this.item.dispose();
	}

	private set(text: string, tooltip: string, severity?: Severity): void {
		this.item.text = text;
		this.item.tooltip = tooltip;
		// Only the warning and error backgrounds are honoured for status-bar items.
		this.item.backgroundColor = severity === undefined ? undefined : new vscode.ThemeColor(`statusBarItem.${severity}Background`);
	}
}
