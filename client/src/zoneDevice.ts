// The ZONE_DEVICE view: every device-memory creator of the indexed kernel grouped by memory
// type, expanding to its API calls and registered ops; and the same map as a Markdown report.
// Both come from the server's `kmm/zoneDevice` request.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { Place, ZoneDeviceCreator } from '../../server/src/engine/graph/zoneDevice';
import { zoneDeviceRequest, type ZoneDeviceResponse } from '../../server/src/lsp/protocol';

type Creator = ZoneDeviceCreator;

class Node extends vscode.TreeItem {
	constructor(
		label: string,
		readonly children: Node[] = [],
		at?: { root: string; place: Place },
	) {
		super(label, children.length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
		if (at) {
			const uri = vscode.Uri.file(path.join(at.root, at.place.file));
			const position = new vscode.Position(at.place.line, at.place.character);
			this.resourceUri = uri;
			this.description = `${at.place.file}:${at.place.line + 1}`;
			this.command = { command: 'vscode.open', title: 'Open', arguments: [uri, { selection: new vscode.Range(position, position) }] };
		}
	}
}

function unitText(c: Creator): string {
	if (c.kind === 'builtin') return `built-in ${c.module ?? ''}`;
	if (c.kind === 'unknown') return 'no kbuild unit';
	return `${c.module ?? ''} (${c.licenses.join(', ') || 'no MODULE_LICENSE'})`;
}

function tree(response: ZoneDeviceResponse): Node[] {
	const map = response.map;
	if (!map) return [new Node('The kernel is not indexed yet')];
	const root = map.root;
	const groups = new Map<string, Creator[]>();
	for (const c of map.creators) {
		for (const t of c.memoryTypes.length > 0 ? c.memoryTypes.map((m) => m.type) : ['unknown']) groups.set(t, [...(groups.get(t) ?? []), c]);
	}
	return [...groups]
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([type, creators]) => {
			const items = creators.map((c) => {
				const children = [
					new Node(unitText(c)),
					...c.calls.map((call) => new Node(`calls ${call.api}`, [], { root, place: call })),
					...c.memoryTypes.filter((m) => m.type === type).map((m) => new Node(`sets ${m.type}`, [], { root, place: m.at })),
					...c.ops.map(
						(o) =>
							new Node(
								`ops ${o.struct ? `struct ${o.struct} ` : ''}${o.table}`,
								o.members.map((m) => new Node(`.${m.member} = ${m.fn}`, [], { root, place: m.at })),
								{ root, place: o.at ?? o.set },
							),
					),
				];
				const node = new Node(c.function, children, { root, place: c.at });
				node.collapsibleState = vscode.TreeItemCollapsibleState.Collapsed;
				return node;
			});
			const group = new Node(type, items);
			group.collapsibleState = vscode.TreeItemCollapsibleState.Expanded;
			group.description = `${creators.length}`;
			return group;
		});
}

class ZoneDeviceProvider implements vscode.TreeDataProvider<Node> {
	private readonly changed = new vscode.EventEmitter<void>();
	readonly onDidChangeTreeData = this.changed.event;

	constructor(private readonly client: () => LanguageClient | undefined) {}

	refresh(): void {
		this.changed.fire();
	}

	getTreeItem(node: Node): Node {
		return node;
	}

	async getChildren(node?: Node): Promise<Node[]> {
		if (node) return node.children;
		const client = this.client();
		if (!client?.isRunning()) return [new Node('The Kernel MM server is not running')];
		try {
			return tree(await client.sendRequest(zoneDeviceRequest));
		} catch (error) {
			return [new Node(`ZONE_DEVICE map failed: ${String(error)}`)];
		}
	}
}

/** The `kmm.zoneDevice` view and the `kmm.showZoneDeviceMap` / `kmm.refreshZoneDevice` commands. */
export function registerZoneDevice(client: () => LanguageClient | undefined): vscode.Disposable[] {
	const provider = new ZoneDeviceProvider(client);
	return [
		vscode.window.registerTreeDataProvider('kmm.zoneDevice', provider),
		vscode.commands.registerCommand('kmm.refreshZoneDevice', () => provider.refresh()),
		vscode.commands.registerCommand('kmm.showZoneDeviceMap', async () => {
			const c = client();
			if (!c?.isRunning()) {
				void vscode.window.showWarningMessage('Kernel MM: the language server is not running.');
				return;
			}
			const { markdown } = await c.sendRequest(zoneDeviceRequest);
			const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
			await vscode.commands.executeCommand('markdown.showPreview', doc.uri);
		}),
	];
}
