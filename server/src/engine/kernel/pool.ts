/**
 * Runs the per-file passes on worker threads, one per core. The worker script is found next
 * to this code: `index-worker.js` beside the bundles in dist/, or `worker.ts` beside this file
 * when running from sources (tests run under tsx, whose loader the worker must inherit).
 * Without a script, or when a worker dies, files are scanned on this thread instead, in
 * slices that yield to the event loop.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { scanSourceFile, type ScanExtras, type ScanPass, type ScannedFile } from './filescan';
import type { ScanReply, ScanRequest, Survey, SurveyRequest } from './worker';

/** A bundled script, or TypeScript sources loaded through tsx's require hook. */
export interface WorkerScript {
	file: string;
	typescript: boolean;
}

export function locateWorker(): WorkerScript | undefined {
	const env = process.env.KMM_INDEX_WORKER;
	for (const file of [env, join(__dirname, 'index-worker.js'), join(__dirname, 'worker.ts')]) {
		if (file && existsSync(file)) return { file, typescript: file.endsWith('.ts') };
	}
	return undefined;
}

function startWorker(script: WorkerScript): Worker {
	if (!script.typescript) return new Worker(script.file);
	// Loader flags do not reach worker threads reliably: register tsx inside the worker.
	const boot = `require('tsx/cjs/api').register(); require(${JSON.stringify(script.file)});`;
	return new Worker(boot, { eval: true });
}

/** Files per message: large enough to amortise messaging, small enough to balance cores. */
const BATCH_FILES = 48;
const BATCH_BYTES = 2 * 1024 * 1024;

export interface ScanJob {
	rel: string;
	/** Expected size, to cut batches of similar weight (0 when unknown). */
	size: number;
}

export class ScanPool {
	private readonly workers: Worker[] = [];

	constructor(count = Math.max(1, availableParallelism()), script = locateWorker()) {
		if (!script) return;
		for (let k = 0; k < count; k++) {
			try {
				const worker = startWorker(script);
				// A worker that fails is dropped; its files are scanned here (see feed).
				worker.on('error', () => this.drop(worker));
				this.workers.push(worker);
			} catch {
				break;
			}
		}
	}

	get size(): number {
		return this.workers.length;
	}

	/** Scans `jobs` and calls `onResult` for each file as results arrive (`extras`: see scanSourceFile). */
	async scan(root: string, pass: ScanPass, jobs: readonly ScanJob[], onResult: (r: ScannedFile) => void, extras: ScanExtras = {}): Promise<void> {
		const batches: string[][] = [];
		let batch: string[] = [];
		let bytes = 0;
		for (const job of jobs) {
			batch.push(job.rel);
			bytes += job.size;
			if (batch.length >= BATCH_FILES || bytes >= BATCH_BYTES) {
				batches.push(batch);
				batch = [];
				bytes = 0;
			}
		}
		if (batch.length > 0) batches.push(batch);
		let next = 0;
		const take = () => (next < batches.length ? batches[next++] : undefined);
		const orphans: string[][] = [];
		await Promise.all(this.workers.map((w) => this.feed(w, { id: 0, root, pass, files: [], extras }, take, onResult, orphans)));
		// Whatever no worker could do (none started, or one died) is done here.
		for (let files = orphans.pop() ?? take(); files; files = orphans.pop() ?? take()) {
			for (const rel of files) onResult(scanSourceFile(root, rel, pass, extras));
			await new Promise((resolve) => setImmediate(resolve));
		}
	}

	/** Keeps one worker busy with two batches in flight until `take` runs dry. */
	private feed(
		worker: Worker,
		template: ScanRequest,
		take: () => string[] | undefined,
		onResult: (r: ScannedFile) => void,
		orphans: string[][],
	): Promise<void> {
		return new Promise((resolve) => {
			const inFlight = new Map<number, string[]>();
			let id = 0;
			const send = () => {
				const files = take();
				if (!files) return false;
				const req: ScanRequest = { ...template, id: ++id, files };
				inFlight.set(req.id, files);
				worker.postMessage(req);
				return true;
			};
			const done = () => {
				worker.off('message', onMessage);
				worker.off('error', onError);
				worker.off('exit', onError);
				resolve();
			};
			const onMessage = (reply: ScanReply) => {
				inFlight.delete(reply.id);
				for (const r of reply.results) onResult(r);
				if (!send() && inFlight.size === 0) done();
			};
			const onError = () => {
				this.drop(worker);
				orphans.push(...inFlight.values());
				done();
			};
			worker.on('message', onMessage);
			worker.once('error', onError);
			worker.once('exit', onError);
			if (!send()) return done();
			send();
		});
	}

	private drop(worker: Worker): void {
		const i = this.workers.indexOf(worker);
		if (i >= 0) this.workers.splice(i, 1);
	}

	close(): void {
		for (const w of this.workers) void w.terminate();
		this.workers.length = 0;
	}
}

/**
 * Walks `root` and stats its sources on a worker, so that a warm start's cache decoding on
 * this thread overlaps them; undefined when no worker can do it (the caller walks itself).
 */
export function surveyTree(root: string, script = locateWorker()): Promise<Survey | undefined> {
	if (!script) return Promise.resolve(undefined);
	let worker: Worker;
	try {
		worker = startWorker(script);
	} catch {
		return Promise.resolve(undefined);
	}
	return new Promise((resolve) => {
		const finish = (survey: Survey | undefined) => {
			worker.removeAllListeners();
			worker.on('error', () => undefined);
			void worker.terminate();
			resolve(survey);
		};
		worker.once('message', (survey: Survey) => finish(survey));
		worker.once('error', () => finish(undefined));
		worker.once('exit', () => finish(undefined));
		const req: SurveyRequest = { survey: root };
		worker.postMessage(req);
	});
}
