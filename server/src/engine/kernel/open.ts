/**
 * Opening the kernel a front end works against, the same way for the server and the CLI:
 * find the tree (locate.ts: explicit, workspace, KDIR, the running kernel; a build paired
 * with a source tree), index it through the cache (its kind decides what is read), and
 * describe the result for a status line and a log. Expected failures (nothing found, not a
 * kernel tree, an unreadable .config) are results with a message; anything else throws.
 */
import { readBounded } from '../read';
import { formatVersion } from '../version';
import { buildKernelIndexAsync } from './build';
import { NotAKernelTreeError, type IndexProgress, type KernelIndex } from './index';
import { locateKernel, type LocatedKernel, type LocateRequest } from './locate';

export interface OpenRequest extends LocateRequest {
	/** A .config that decides tristate options (wins over the build's and the tree's). */
	configFile?: string;
	cacheDir?: string;
	/** Also the ops scans, on the workers (see IndexOptions.ops). */
	ops?: boolean;
	/** Neither read nor write the cache (an untrusted workspace). */
	noCache?: boolean;
	/** What is open now: kept, not re-indexed, when the same tree and build are found. */
	current?: OpenedKernel;
	/** Called when a tree other than `current` is found, before it is indexed. */
	onLocated?: (located: LocatedKernel) => void | Promise<void>;
	onProgress?: (progress: IndexProgress) => void;
	/** Called once exports, licenses and units are usable, before functions are. */
	onExportsReady?: (index: KernelIndex) => void;
}

export interface OpenedKernel {
	index: KernelIndex;
	located: LocatedKernel;
	/** "6.1.0", or "unknown version". */
	version: string;
	/** What this kernel cannot answer ("headers only: no call graph"). */
	note?: string;
	/** One line for a status bar: the version, the tree, the note. */
	status: string;
	/** One line for a log: how it was found, how long it took, what it holds. */
	summary: string;
	/** The index was `current`, unchanged. */
	reused: boolean;
}

export type OpenResult = ({ ok: true } & OpenedKernel) | { ok: false; message: string; root?: string };

export const versionOf = (index: KernelIndex) => (index.version ? formatVersion(index.version) : 'unknown version');

/** Finds, indexes and describes the kernel `request` asks for. */
export async function openKernel(request: OpenRequest): Promise<OpenResult> {
	const found = locateKernel(request);
	if (!found.ok) return { ok: false, message: found.message };
	if (request.configFile !== undefined) {
		const read = readBounded(request.configFile, 'build');
		if (!('data' in read)) return { ok: false, message: `cannot read the .config ${request.configFile}: ${read.skipped}` };
	}
	const located = found.kernel;
	const { current } = request;
	if (current && current.located.root === located.root && current.located.build === located.build) return { ok: true, ...current, reused: true };
	await request.onLocated?.(located);
	const started = Date.now();
	let index: KernelIndex;
	try {
		index = await buildKernelIndexAsync(located.root, {
			configFile: request.configFile,
			buildDir: located.build,
			cacheDir: request.cacheDir,
			ops: request.ops,
			noCache: request.noCache,
			onProgress: request.onProgress,
			onExportsReady: request.onExportsReady,
		});
	} catch (err) {
		// The tree changed between locating and indexing, or its Module.symvers is unreadable.
		if (err instanceof NotAKernelTreeError) return { ok: false, message: err.message, root: located.root };
		throw err;
	}
	const version = versionOf(index);
	const note = index.callGraphNote;
	const summary =
		`indexed ${located.root} (${version}, ${located.source}) in ${Date.now() - started} ms ` +
		`(${index.stats.fromCache ? `from cache, ${index.stats.reread} files re-read` : 'from scratch'}; ` +
		`exports after ${index.stats.exportsMs} ms): ${index.stats.files} files, ${index.exports.size} exported symbols, ` +
		`${index.units.size} build units, ${index.graph.counts.functions} functions` +
		(note ? `; ${index.kind} tree: ${note}` : '') +
		(index.skipped.length ? `; skipped ${index.skipped.length} paths` : '') +
		(index.stats.cacheNote ? `; cache: ${index.stats.cacheNote}` : '');
	const status = `Linux ${version} at ${located.root}${note ? ` (${note})` : ''}`;
	return { ok: true, index, located, version, ...(note ? { note } : {}), status, summary, reused: false };
}
