/**
 * Entry of the index worker (bundled as dist/index-worker.js; run from sources under tsx in
 * tests): scans the batches of files it is sent and posts the facts back, handing over the
 * typed arrays instead of copying them; or, once, surveys a tree (walk + identities) while
 * the main thread decodes the cache.
 */
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { scanSourceFile, type ScanExtras, type ScanPass, type ScannedFile } from './filescan';
import { statSources, walkTree, type TreeFiles } from './walk';

export interface ScanRequest {
	id: number;
	root: string;
	pass: ScanPass;
	files: string[];
	extras: ScanExtras;
}

export interface ScanReply {
	id: number;
	results: ScannedFile[];
}

export interface SurveyRequest {
	survey: string;
}

/** A source tree's walk and the identities of its sources, in `tree.sources` order. */
export interface Survey {
	tree: TreeFiles;
	identities: Float64Array;
}

parentPort?.on('message', (req: ScanRequest | SurveyRequest) => {
	if ('survey' in req) {
		const root = req.survey;
		const tree = walkTree(root);
		const reply: Survey = { tree, identities: statSources(tree.sources, (rel) => join(root, rel)) };
		parentPort?.postMessage(reply, [reply.identities.buffer as ArrayBuffer]);
		return;
	}
	const results = req.files.map((rel) => scanSourceFile(req.root, rel, req.pass, req.extras));
	const transfer: ArrayBuffer[] = [];
	for (const r of results) {
		if (r.functions) transfer.push(r.functions.owners.buffer as ArrayBuffer, r.functions.edges.buffer as ArrayBuffer);
		if (r.ops) transfer.push(r.ops.data.buffer as ArrayBuffer);
	}
	const reply: ScanReply = { id: req.id, results };
	parentPort?.postMessage(reply, transfer);
});
