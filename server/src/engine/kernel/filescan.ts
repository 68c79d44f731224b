/**
 * One source file's per-file facts, read safely: the lexical exports scan and the function
 * scan, with the file's identity for the cache. Shared by the index workers, the in-thread
 * fallback and incremental updates. Never throws: what cannot be read comes back `skipped`.
 */
import { readBounded, type FileIdentity } from '../read';
import { hasFacts, lexNeeds, needsScan, scanFile, type FileMeta } from './lexscan';
import { scanFunctions, EDGE_STRIDE } from './funcscan';
import { directives, isPublicHeader, packPrototypes, type HeaderFacts, type PackedPrototypes } from './headerscan';
import { packOps, scanOps, type PackedOps } from './opsscan';

export type { FileIdentity };

/**
 * A file's functions, packed for transfer and storage: `names` joined by newlines; owners
 * OWNER_STRIDE numbers each (name index, line, character, flags); edges PACKED_EDGE_STRIDE
 * numbers each (owner index << 1 | kind, name index, line, character).
 */
export interface PackedFunctions {
	names: string;
	owners: Int32Array;
	edges: Int32Array;
}

export const PACKED_EDGE_STRIDE = 4;

/** `meta`: exports, licenses, namespaces; `functions`: definitions and calls; `all`: both; `ops`: the ops scan alone. */
export type ScanPass = 'meta' | 'functions' | 'all' | 'ops';

/** What a function pass adds when asked. */
export interface ScanExtras {
	/** A public header's prototypes (a headers tree's only word on what the kernel has: see headerscan.ts). */
	prototypes?: boolean;
	/** The ops scan (opsscan.ts), for the indexes that dispatch queries will ask. */
	ops?: boolean;
}

export interface ScannedFile extends FileIdentity {
	rel: string;
	/** Why the file was not read; its facts are then absent. */
	skipped?: string;
	/** Set only when the file has lexical facts. */
	meta?: FileMeta;
	functions?: PackedFunctions;
	/** Member calls, ops bindings and struct declarations (opsscan.ts), from an `ops` pass or a function pass asked for them; absent without `{`. */
	ops?: PackedOps;
	/** A public header's #defines and #includes, from the first pass. */
	header?: HeaderFacts;
	/** A public header's prototypes, from the function pass when asked. */
	prototypes?: PackedPrototypes;
	/**
	 * Set by a `meta` pass on a C file without a `{` byte: it defines no function and no
	 * initialised variable, so its `functions` pass would find nothing (no need to read it again).
	 * Never set on a public header whose prototypes are asked for.
	 */
	noFunctions?: boolean;
}

/** Only C files hold functions; assembly only exports. */
export function hasFunctions(rel: string): boolean {
	return rel.endsWith('.c') || rel.endsWith('.h');
}

/** What the function scan gives a text without `{`: no owners, hence no edges. */
export function emptyFunctions(): PackedFunctions {
	return { names: '', owners: new Int32Array(0), edges: new Int32Array(0) };
}

export function packFunctions(text: string): PackedFunctions {
	const scan = scanFunctions(text);
	const edges = new Int32Array((scan.edges.length / EDGE_STRIDE) * PACKED_EDGE_STRIDE);
	for (let k = 0, o = 0; k < scan.edges.length; k += EDGE_STRIDE, o += PACKED_EDGE_STRIDE) {
		edges[o] = (scan.edges[k] << 1) | scan.edges[k + 4];
		edges[o + 1] = scan.edges[k + 1];
		edges[o + 2] = scan.edges[k + 2];
		edges[o + 3] = scan.edges[k + 3];
	}
	return { names: scan.names.join('\n'), owners: Int32Array.from(scan.owners), edges };
}

/**
 * Both passes decide from the raw bytes first and decode only what they must read: most
 * files hold no export or module macro (the lexical pass has nothing to do), and a C file
 * without `{` defines nothing (register headers, hundreds of MB in a kernel tree).
 */
export function scanSourceFile(root: string, rel: string, pass: ScanPass, extras: ScanExtras = {}): ScannedFile {
	const withPrototypes = extras.prototypes === true;
	// Never a symlink: the tree walk does not follow them, and one may replace a file after it.
	const read = readBounded(`${root}/${rel}`, 'source', false);
	const result: ScannedFile = { rel, ...(read.identity ?? { size: -1, mtimeMs: -1, ctimeMs: -1, ino: -1 }) };
	if (!('data' in read)) {
		result.skipped = read.skipped;
		return result;
	}
	const data = read.data;
	if (data.includes(0)) {
		result.skipped = 'binary (contains NUL bytes)';
		return result;
	}
	let text: string | undefined;
	// Invalid UTF-8 decodes to U+FFFD: identifiers are ASCII, so nothing we read is lost.
	const decoded = () => (text ??= data.toString('utf8'));
	const functions = hasFunctions(rel);
	const braces = functions && data.includes(0x7b /* { */);
	const header = isPublicHeader(rel);
	if (pass === 'meta' || pass === 'all') {
		if (header) result.header = directives(rel, decoded());
		// A headers tree (the only one that asks for prototypes) exports what its Module.symvers says: its headers' lexical facts would go unused.
		const needs = withPrototypes ? undefined : lexNeeds(data);
		if (needs && needsScan(needs)) {
			const meta = scanFile(decoded(), needs);
			if (hasFacts(meta)) result.meta = meta;
		}
		if (pass === 'meta' && functions && !braces && !(header && withPrototypes)) result.noFunctions = true;
	}
	const functionPass = pass === 'functions' || pass === 'all';
	if (functionPass && functions) result.functions = braces ? packFunctions(decoded()) : emptyFunctions();
	// On a worker rather than on the server's main thread at each start: the ops scans are cached with the rest.
	if ((pass === 'ops' || (functionPass && extras.ops)) && braces) result.ops = packOps(scanOps(decoded()));
	if (functionPass && header && withPrototypes) result.prototypes = packPrototypes(decoded());
	return result;
}
