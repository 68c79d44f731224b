/**
 * kmm's own LSP extensions, defined once (as rust-analyzer's lsp_ext.rs does): the method
 * names and their types. The server registers them and the VS Code client (and the tests)
 * call them through these objects, so neither side can drift from the other.
 */
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { ZoneDeviceMap } from '../engine/graph/zoneDevice';

export type StatusState = 'starting' | 'indexing' | 'ready' | 'noKernel' | 'error';

/** `kmm/status`: the kernel the server works against and how far it is. */
export interface StatusParams {
	state: StatusState;
	message: string;
	kernelRoot?: string;
	version?: string;
	/** What this kernel cannot answer ("headers only: no call graph"), also in `message`. */
	note?: string;
}

export const statusNotification = new NotificationType<StatusParams>('kmm/status');

/** `kmm/zoneDevice`: the map (paths relative to `map.root`) and the same as Markdown. */
export interface ZoneDeviceResponse {
	map: ZoneDeviceMap | null;
	markdown: string;
}

export const zoneDeviceRequest = new RequestType0<ZoneDeviceResponse, void>('kmm/zoneDevice');

/** `kmm/exportAudit`: what the non-GPL exports of one file of the tree reach, as Markdown. */
export interface ExportAuditParams {
	uri: string;
}

export interface ExportAuditResponse {
	markdown: string;
}

export const exportAuditRequest = new RequestType<ExportAuditParams, ExportAuditResponse, void>('kmm/exportAudit');

/** `kmm/idle`: answers once indexing and every scheduled analysis are done (tests await it). */
export interface IdleResponse {
	kernelRoot: string | null;
}

export const idleRequest = new RequestType0<IdleResponse, void>('kmm/idle');
