/**
 * The call graph over LSP: call hierarchy (ops-dispatched edges marked in `detail` and
 * `data.via`), references, workspace symbols, and the `kmm/zoneDevice` and `kmm/exportAudit`
 * requests. The engine (`engine/ide/`) answers; this file only reads params (convert.ts) and
 * converts paths to URIs and engine items to protocol objects.
 */
import {
	SymbolKind,
	type CallHierarchyItem,
	type Connection,
} from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import type { Engine } from '../engine/engine';
import type { KernelIndex } from '../engine/kernel/index';
import { IdeGraph, type CallItem, type OpenSource } from '../engine/ide/graph';
import { exportAuditReport, zoneDeviceReport } from '../engine/ide/reports';
import type { Location } from '../engine/types';
import { readItem, readPosition, readQuery } from './convert';
import type { DocumentStore } from './documents';
import { exportAuditRequest, zoneDeviceRequest, type ExportAuditParams, type ExportAuditResponse, type ZoneDeviceResponse } from './protocol';

export interface GraphDeps {
	engine: Engine;
	documents: DocumentStore;
	/** Whether the user is idle: the background build of the ops index runs only then. */
	idle: () => boolean;
}

const uriOf = (file: string) => URI.file(file).toString();
const link = (file: string, line: number) => `${uriOf(file)}#L${line + 1}`;
const kindOf = (kind: CallItem['kind']) => (kind === 'function' ? SymbolKind.Function : SymbolKind.Variable);
const toLocation = (l: Location) => ({ uri: uriOf(l.file), range: l.range });

function toItem(i: CallItem): CallHierarchyItem {
	return { name: i.name, kind: kindOf(i.kind), uri: uriOf(i.file), range: i.range, selectionRange: i.selection, detail: i.detail, data: i.via ? { name: i.name, file: i.file, via: i.via } : { name: i.name, file: i.file } };
}

/** The file on disk and the position a request is about; undefined for other schemes. */
function fileTarget(params: Parameters<typeof readPosition>[0]) {
	const { uri, position } = readPosition(params);
	const parsed = URI.parse(uri);
	return parsed.scheme === 'file' ? { file: parsed.fsPath, position } : undefined;
}

/** Registers the graph requests on `connection`; `warm` builds the ops index in the background once the call graph is there. */
export function registerGraphFeatures(connection: Connection, deps: GraphDeps): { warm: (index: KernelIndex) => void } {
	const graph = new IdeGraph(deps.engine, {
		documents: (): OpenSource[] =>
			deps.documents
				.all()
				.flatMap((d) => (d.tree && URI.parse(d.uri).scheme === 'file' ? [{ file: d.file, text: d.doc.getText(), tree: d.tree }] : [])),
		idle: deps.idle,
		missingGraph: (root, note) =>
			void connection.window.showInformationMessage(
				`Kernel MM: ${root}: ${note}. Callers, callees and references cover the open documents only; set kmm.kernelPath to a source tree (and kmm.kernelBuildPath to this one) for the kernel's.`,
			),
	});

	connection.languages.callHierarchy.onPrepare(async (params) => {
		const at = fileTarget(params);
		const items = at && (await graph.prepare(at.file, at.position));
		return items ? items.map(toItem) : null;
	});

	connection.languages.callHierarchy.onIncomingCalls(async (params) =>
		(await graph.incoming(readItem(params))).map((e) => ({ from: toItem(e.item), fromRanges: e.ranges })),
	);

	connection.languages.callHierarchy.onOutgoingCalls(async (params) =>
		(await graph.outgoing(readItem(params))).map((e) => ({ to: toItem(e.item), fromRanges: e.ranges })),
	);

	connection.onReferences(async (params) => {
		const at = fileTarget(params);
		const locations = at && (await graph.references(at.file, at.position, params.context?.includeDeclaration === true));
		return locations ? locations.map(toLocation) : null;
	});

	connection.onWorkspaceSymbol((params) =>
		graph
			.symbols(readQuery(params))
			.map((s) => ({ name: s.name, kind: kindOf(s.kind), location: toLocation(s.location), containerName: s.container })),
	);

	connection.onRequest(zoneDeviceRequest, (): ZoneDeviceResponse => zoneDeviceReport(deps.engine.kernel, link));

	/** The export audit of one file of the tree (its uri given), or of the whole tree. */
	connection.onRequest(exportAuditRequest, (params: Partial<ExportAuditParams> | undefined): ExportAuditResponse =>
		exportAuditReport(deps.engine.kernel, typeof params?.uri === 'string' ? URI.parse(params.uri).fsPath : undefined, link),
	);

	return { warm: (index) => void graph.warm(index) };
}
