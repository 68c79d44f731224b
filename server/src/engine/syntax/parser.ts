/**
 * web-tree-sitter with the C grammar: the process's one
 * runtime, replaced when it fails. The files live in grammars/ at the package root (the build
 * copies them there); bundles and sources sit at different depths below it, so it is found by
 * walking up from this file.
 *
 * A wasm abort (out of memory: the heap stops at 2 GB) leaves an instance unusable: its heap
 * stays full and every later call aborts again, a new Parser included. web-tree-sitter keeps
 * one instance per copy of its JavaScript, so each runtime loads a fresh copy
 * (grammars/web-tree-sitter.cjs) with its own wasm instance. After an abort, or any exception
 * out of wasm code, the runtime is dead: the next one loads in the background, parsing
 * throws until it is there, and `onRestart` listeners then re-parse what they hold (or hear
 * why the new one did not load; a later parse tries again, at most every RETRY_MS). Trees of
 * a dead runtime are never used again (`isLive`), and its wasm exports become no-ops: the
 * finalizers of its objects would otherwise call into the broken instance, and an exception
 * in a finalizer ends the process.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as WebTreeSitter from 'web-tree-sitter';
import type { Language, Parser, Tree } from 'web-tree-sitter';

export type { Tree, TreeCursor, Node as SyntaxNode } from 'web-tree-sitter';

/** What web-tree-sitter calls the wasm instance through: the object given to Parser.init becomes it. */
type WasmModule = Record<string, unknown>;

interface Runtime {
	module: WasmModule;
	ts: typeof WebTreeSitter;
	language: Language;
	parser: Parser;
	dead: boolean;
}

let live: Runtime | undefined;
let loading: Promise<Runtime> | undefined;
const listeners = new Set<(failure?: Error) => void>();
/** When a replacement last failed to load; the next try waits this long. */
let failedAt = 0;
const RETRY_MS = 5000;

export function grammarsDir(): string {
	if (process.env.KMM_GRAMMARS_DIR) return process.env.KMM_GRAMMARS_DIR;
	for (let dir = __dirname; ; dir = dirname(dir)) {
		const candidate = join(dir, 'grammars');
		if (existsSync(join(candidate, 'tree-sitter-c.wasm'))) return candidate;
		if (dirname(dir) === dir) {
			throw new Error(`grammars/tree-sitter-c.wasm not found above ${__dirname}; run \`npm run build\``);
		}
	}
}

async function instantiate(): Promise<Runtime> {
	const dir = grammarsDir();
	const load = createRequire(__filename);
	const glue = load.resolve(join(dir, 'web-tree-sitter.cjs'));
	delete load.cache[glue];
	const ts = load(glue) as typeof WebTreeSitter;
	const module: WasmModule = { locateFile: (name: string) => join(dir, name), onAbort: () => fail(state) };
	const state = { module, dead: false };
	await ts.Parser.init(module);
	const language = await ts.Language.load(join(dir, 'tree-sitter-c.wasm'));
	const parser = new ts.Parser();
	parser.setLanguage(language);
	// The abort handler holds `state`, which becomes the runtime itself.
	return Object.assign(state, { ts, language, parser });
}

/** Loads the runtime (once; again after a failure). Resolves when it is live. */
export async function loadSyntax(): Promise<void> {
	if (live && !live.dead) return;
	loading ??= instantiate().then(
		(runtime) => {
			const dead = live;
			live = runtime;
			loading = undefined;
			if (dead) {
				release(dead.parser);
				for (const listener of listeners) listener();
			}
			return runtime;
		},
		(err: unknown) => {
			loading = undefined;
			throw err;
		},
	);
	await loading;
}

/** A runtime failed: it is never used again, and the next one is loaded. */
function fail(runtime: { module: WasmModule; dead: boolean }): void {
	if (runtime.dead) return;
	runtime.dead = true;
	for (const [key, value] of Object.entries(runtime.module)) {
		if (key.startsWith('_') && typeof value === 'function') runtime.module[key] = () => 0;
	}
	// Not from inside the abort: this runs on the stack of the failing wasm call.
	if (runtime === live) setImmediate(replace);
}

function replace(): void {
	loadSyntax().catch((err: unknown) => {
		failedAt = Date.now();
		const failure = err instanceof Error ? err : new Error(String(err));
		for (const listener of listeners) listener(failure);
	});
}

/** Whether an exception came out of wasm code, which leaves the instance in an unknown state. */
function isWasmFault(err: unknown): boolean {
	return err instanceof Error && (err.name === 'RuntimeError' || (err instanceof RangeError && /wasm:\/\//.test(err.stack ?? '')));
}

/** Marks the runtime dead after `err` if it came out of wasm code; returns whether it did. */
export function faulted(err: unknown): boolean {
	if (!live || !isWasmFault(err)) return false;
	fail(live);
	return true;
}

function current(): Runtime {
	if (!live || live.dead) {
		if (live?.dead && !loading && Date.now() - failedAt >= RETRY_MS) replace();
		throw new Error('the C parser (tree-sitter) is restarting after a failure');
	}
	return live;
}

export function syntaxAlive(): boolean {
	return live !== undefined && !live.dead;
}

/** Parses C; pass the previous tree (already edited) for an incremental re-parse. The caller owns the tree. */
export function parseC(text: string, previous?: Tree): Tree {
	const runtime = current();
	let tree: Tree | null;
	try {
		tree = runtime.parser.parse(text, previous && isLive(previous) ? previous : undefined);
	} catch (err) {
		faulted(err);
		throw err;
	}
	if (!tree) throw new Error('tree-sitter returned no tree');
	return tree;
}

/** The C language of the live runtime, for readers that make their own parsers (headers/structs.ts). */
export function cLanguage(): Language {
	return current().language;
}

/** A parser of the live runtime; the caller deletes it. */
export async function createCParser(): Promise<Parser> {
	await loadSyntax();
	return newParser(current().language);
}

/** A parser of the runtime `language` belongs to (for callers that parse several files); the caller deletes it. */
export function newParser(language: Language): Parser {
	const runtime = current();
	if (language !== runtime.language) throw new Error('a tree of a failed tree-sitter runtime');
	const parser = new runtime.ts.Parser();
	parser.setLanguage(language);
	return parser;
}

/** Describes a change of the text to a live tree, for the incremental parse that follows; false if wasm failed doing it. */
export function editTree(tree: Tree, change: ConstructorParameters<typeof WebTreeSitter.Edit>[0]): boolean {
	try {
		tree.edit(new (current().ts.Edit)(change));
		return true;
	} catch (err) {
		if (!faulted(err)) throw err;
		return false;
	}
}

/** Whether a tree belongs to the live runtime (one of a failed runtime must not be used). */
export function isLive(tree: Tree): boolean {
	return live !== undefined && !live.dead && tree.language === live.language;
}

/**
 * Deletes a tree-sitter object (of a dead runtime: only unregisters it). wasm failing while
 * freeing kills the runtime like any other failure; it is no reason to fail the caller.
 */
export function release(object: { delete(): void }): void {
	try {
		object.delete();
	} catch (err) {
		if (!faulted(err)) throw err;
	}
}

/**
 * Called after a failed runtime is replaced (`failure` undefined: whoever holds trees parses
 * them again), or with the reason its replacement did not load.
 */
export function onRestart(listener: (failure?: Error) => void): void {
	listeners.add(listener);
}
