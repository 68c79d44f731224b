/**
 * The engine's front door: one kernel index, the C parser, and the analysis of documents
 * against them. It knows nothing of LSP or terminals; the server and the CLI both drive it.
 */
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ALL_CHECKS } from './checks/index';
import { parserFailed, tooLarge } from './checks/document-too-large';
import type { CheckContext, Finding, Fix, ModuleContext } from './checks/types';
import { headerDefines } from './inline-reach';
import type { KernelIndex } from './kernel/index';
import { findModuleUnits, moduleContext, type FileSummary, type ModuleUnit } from './module-context';
import { extractFacts, FactsCache, type DocumentFacts } from './syntax/facts';
import { moduleBuildEnv } from './syntax/conditionals';
import { faulted, loadSyntax, onRestart, parseC, release, syntaxAlive, type Tree } from './syntax/parser';
import { definitionAt, hoverAt, type Hover } from './hover/index';
import {
	availableMigrations,
	migrationsAt,
	resolveMigration,
	type MigrationInput,
	type MigrationOffer,
	type ResolvedMigration,
} from './migrations/index';
import type { Location, Position, Range } from './types';
import { prepareSource } from './syntax/prepare';
import { identityKey, readText } from './read';

const DEFINE_NAME_RE = /^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)/gm;
const KBUILD_DEFINE_RE = /-D([A-Za-z_]\w*)/g;
/** Predefined by the compiler or by kbuild's command line: never "defined nowhere". */
const COMPILER_DEFINED_RE = /^__\w*__$|^KBUILD_/;
/** How long the names defined near a document are taken as they were. */
const NEAR_TTL_MS = 2000;

/** What a code action request tells the migrations of an open document. */
export interface MigrationRequest {
	/** Its module as of its last analysis (the server keeps it); without one it is worked out here. */
	module?: ModuleContext;
	/** Its findings as of its last analysis. */
	findings: readonly Finding[];
	/** Whether the whole-file and whole-module rewrites are wanted too. */
	whole: boolean;
}

function showsOldApi(request: MigrationRequest): boolean {
	return request.findings.some((f) => f.code === 'removed-api' || f.code === 'removed-member');
}

/** An answer about files near a document and when it was made. */
interface Recent<T> {
	at: number;
	value: T;
}

/** `key`'s answer if made within NEAR_TTL_MS, else `make`'s, kept (edits come many a second; files near change far less often). */
function recent<T>(answers: Map<string, Recent<T>>, key: string, make: () => T): T {
	const known = answers.get(key);
	if (known && Date.now() - known.at < NEAR_TTL_MS) return known.value;
	const value = make();
	answers.set(key, { at: Date.now(), value });
	return value;
}

interface CachedSummary {
	key: string;
	/** Undefined for a file too large to parse, or one the parser failed on. */
	summary: FileSummary | undefined;
}

export class Engine {
	/** Texts of documents open in an editor; they win over the files on disk. */
	private readonly overlays = new Map<string, string>();
	private readonly summaries = new Map<string, CachedSummary>();
	/** Per open document: the fragments of its last facts, for incremental extraction. */
	private readonly factsCaches = new Map<string, FactsCache>();
	/** Per file near a document: the names it defines (see definedNear). */
	private readonly defines = new Map<string, { key: string; names: string[] }>();
	/** Per directory: definedNear's answer and when it was made (edits come many a second). */
	private readonly near = new Map<string, Recent<Set<string>>>();
	/**
	 * Per file out of the tree: its module units and when they were found. Reading an M=
	 * package's kbuild files took ~9 ms, on every edit; they change far less often than that.
	 */
	private readonly packageUnits = new Map<string, Recent<ModuleUnit[]>>();
	/**
	 * Open documents without a tree, with the text and the finding that says why: too large,
	 * or the parser failed on that text (not tried again on it: it would fail again).
	 */
	private readonly unparsed = new Map<string, { text: string; finding: Finding }>();

	private constructor(public kernel: KernelIndex | undefined) {}

	static async create(kernel?: KernelIndex): Promise<Engine> {
		await loadSyntax();
		return new Engine(kernel);
	}

	/** Resolves when the C parser is usable (again, after a failure: see syntax/parser.ts). */
	parserReady(): Promise<void> {
		return loadSyntax();
	}

	/** `listener` runs when the parser is back after a failure (trees parsed before are dead and must be parsed again), or with the reason it could not be brought back. */
	onParserRestart(listener: (failure?: Error) => void): void {
		onRestart(listener);
	}

	setKernel(kernel: KernelIndex | undefined): void {
		this.kernel = kernel;
		this.summaries.clear();
		this.packageUnits.clear();
	}

	/** Files on disk changed behind our back: re-read module members on next use. */
	forgetFileSummaries(): void {
		this.summaries.clear();
		this.near.clear();
		this.packageUnits.clear();
	}

	setOverlay(file: string, text: string | undefined): void {
		if (text === undefined) {
			this.overlays.delete(file);
			this.factsCaches.delete(file);
			this.unparsed.delete(file);
		} else this.overlays.set(file, text);
		this.summaries.delete(file);
	}

	/**
	 * Parses text; pass the previous tree (already edited) for an incremental re-parse.
	 * Kernel annotations are blanked first (see prepareSource); offsets stay the same. Throws
	 * on a text beyond the document bounds (`tooLarge`: callers that read files check first).
	 */
	parse(text: string, previous?: Tree): Tree {
		// Beyond the bounds the parser may abort (and restart): no caller gets to try.
		const refused = tooLarge(text);
		if (refused) throw new Error(refused.message);
		return parseC(prepareSource(text), previous);
	}

	/**
	 * An open document's tree from its `prepared` text (the document store keeps it), or
	 * undefined when it is not parsed: too large, a text the parser failed on, or the parser
	 * restarting (`onParserRestart` says when to try again). `inspect` reports the first two.
	 */
	parseDocument(file: string, text: string, prepared: string, previous?: Tree): Tree | undefined {
		if (this.unparsed.get(file)?.text === text) return undefined;
		this.unparsed.delete(file);
		const finding = tooLarge(text);
		if (finding) {
			this.unparsed.set(file, { text, finding });
			return undefined;
		}
		try {
			return parseC(prepared, previous);
		} catch (err) {
			if (faulted(err)) this.unparsed.set(file, { text, finding: parserFailed(err) });
			return undefined;
		}
	}

	/** Facts of a document; an open one (`file` with an overlay) reuses its unchanged parts. */
	facts(tree: Tree, text: string, file?: string): DocumentFacts {
		let cache = file === undefined ? undefined : this.factsCaches.get(file);
		if (!cache && file !== undefined && this.overlays.has(file)) {
			cache = new FactsCache();
			this.factsCaches.set(file, cache);
		}
		const kernel = this.kernel;
		const config = kernel?.dotConfig;
		if (!kernel || !config) return extractFacts(tree, text, kernel?.version, cache);
		const near = file === undefined ? undefined : this.definedNear(dirname(file));
		const own = new Set([...text.matchAll(DEFINE_NAME_RE)].map((m) => m[1]));
		const known = (name: string) =>
			COMPILER_DEFINED_RE.test(name) || own.has(name) || (near?.has(name) ?? false) || headerDefines(kernel, name);
		return extractFacts(tree, text, kernel.version, cache, moduleBuildEnv(config, known));
	}

	/**
	 * Names the files of a directory and of its parent `#define` or their kbuild files pass as
	 * `-D`: what a module's own configuration macros may be (ens1370.c defines CHIP1370 and
	 * includes ens1371.c). Re-read when a file's size or mtime changes, looked at again at
	 * most every NEAR_TTL_MS (or when the front end reports changed files).
	 */
	private definedNear(dir: string): Set<string> {
		return recent(this.near, dir, () => this.readDefinedNear(dir));
	}

	private readDefinedNear(dir: string): Set<string> {
		const names = new Set<string>();
		for (const d of [dir, dirname(dir)]) {
			let entries: string[];
			try {
				entries = readdirSync(d);
			} catch {
				continue;
			}
			for (const entry of entries) {
				if (!/\.[ch]$|^(Kbuild|Makefile)$/.test(entry)) continue;
				const path = join(d, entry);
				let key: string;
				try {
					key = identityKey(statSync(path));
				} catch {
					continue;
				}
				let cached = this.defines.get(path);
				if (cached?.key !== key) {
					// Unreadable (vanished, a FIFO, huge): it defines nothing.
					const text = readText(path, 'source', 'latin1') ?? '';
					const re = entry.endsWith('.c') || entry.endsWith('.h') ? DEFINE_NAME_RE : KBUILD_DEFINE_RE;
					cached = { key, names: [...text.matchAll(re)].map((m) => m[1]) };
					this.defines.set(path, cached);
				}
				for (const n of cached.names) names.add(n);
			}
		}
		return names;
	}

	/** The module a file belongs to, with what its other files say (open documents as edited). */
	moduleOf(file: string, current?: { facts: DocumentFacts }): ModuleContext | undefined {
		return this.modulesOf(file, current, 1)[0];
	}

	/** Every module a file is linked into (`a-y := common.o a.o`, `b-y := common.o b.o`), first unit first. */
	modulesOf(file: string, current?: { facts: DocumentFacts }, limit?: number): ModuleContext[] {
		return this.moduleUnits(file)
			.slice(0, limit)
			.map((found) => moduleContext(found, (member) => (member === file && current ? summaryOf(current.facts) : this.summarize(member))));
	}

	/** findModuleUnits, an out-of-tree file's looked at again at most every NEAR_TTL_MS (or when the front end reports changed files). */
	private moduleUnits(file: string): ModuleUnit[] {
		if (this.kernel?.relativePath(file) !== undefined) return findModuleUnits(file, this.kernel);
		return recent(this.packageUnits, file, () => findModuleUnits(file, this.kernel));
	}

	/** Runs every check over a document. Without a tree the text is parsed (and freed) here. */
	analyze(file: string, text: string, tree?: Tree): Finding[] {
		return this.inspect(file, text, tree)?.findings ?? [];
	}

	/**
	 * The findings and the (first) module of a document; undefined without a kernel. A file
	 * linked into several modules is checked as part of each, as modpost checks each .ko: a
	 * finding that names its module is reported per module, identical ones once.
	 */
	inspect(file: string, text: string, tree?: Tree): { findings: Finding[]; module?: ModuleContext } | undefined {
		const kernel = this.kernel;
		if (!kernel) return undefined;
		const skipped = tree ? undefined : (this.unparsed.get(file)?.finding ?? tooLarge(text));
		if (skipped) return { findings: [skipped] };
		let own: Tree | undefined;
		try {
			own = tree ?? this.parse(text);
			const facts = this.facts(own, text, file);
			const modules = this.modulesOf(file, { facts });
			const findings = new Map<string, Finding>();
			for (const module of modules.length > 0 ? modules : [undefined]) {
				const ctx: CheckContext = { file, text, tree: own, facts, module, kernel };
				for (const f of ALL_CHECKS.flatMap((check) => check.run(ctx))) {
					const key = `${f.code}\0${f.range.start.line}:${f.range.start.character}\0${f.message}`;
					if (!findings.has(key)) findings.set(key, f);
				}
			}
			return { findings: [...findings.values()], module: modules[0] };
		} catch (err) {
			if (!faulted(err)) throw err;
			// Analysing this text again would fail again: it waits for the next change.
			const finding = parserFailed(err);
			if (this.overlays.has(file)) this.unparsed.set(file, { text, finding });
			return { findings: [finding] };
		} finally {
			if (own && !tree) release(own);
		}
	}

	/**
	 * Hover at a position of an open document. `module` is the document's module as of its
	 * last analysis (the server keeps it); without one it is worked out here.
	 */
	hover(file: string, text: string, tree: Tree, position: Position, module?: ModuleContext): Hover | undefined {
		const kernel = this.kernel;
		if (!kernel) return undefined;
		return hoverAt({ kernel, module: module ?? this.moduleOf(file, { facts: this.facts(tree, text, file) }), tree, text, position, file });
	}

	/**
	 * Migration code actions (hmm_devmem_*, old dev_pagemap shapes → this kernel's) for a range
	 * of an open document, listed cheaply and without edits (resolveMigration computes one).
	 * Only where its removed-api or removed-member findings (as of its last analysis) show an old API.
	 */
	availableMigrations(file: string, text: string, tree: Tree, range: Range, request: MigrationRequest): MigrationOffer[] {
		if (!showsOldApi(request)) return [];
		return availableMigrations({ ...this.migrationInput(file, text, tree, request.module), range, whole: request.whole, findings: request.findings });
	}

	/** The same code actions with their edits computed now, for clients that cannot resolve them. */
	migrationsAt(file: string, text: string, tree: Tree, range: Range, request: MigrationRequest): ResolvedMigration[] {
		if (!showsOldApi(request)) return [];
		return migrationsAt({ ...this.migrationInput(file, text, tree, request.module), range, whole: request.whole, findings: request.findings });
	}

	/** The edit of one code action availableMigrations listed. */
	resolveMigration(file: string, text: string, tree: Tree, offer: MigrationOffer, module?: ModuleContext): Fix | undefined {
		return resolveMigration({ ...this.migrationInput(file, text, tree, module), offer });
	}

	private migrationInput(file: string, text: string, tree: Tree, module: ModuleContext | undefined): MigrationInput {
		return { engine: this, module: module ?? this.moduleOf(file), tree, text, file, overlays: this.overlays };
	}

	definition(file: string, text: string, tree: Tree, position: Position, module?: ModuleContext): Location[] {
		const kernel = this.kernel;
		if (!kernel) return [];
		return definitionAt({ kernel, module: module ?? this.moduleOf(file, { facts: this.facts(tree, text, file) }), tree, text, position, file });
	}

	private summarize(file: string): FileSummary | undefined {
		let text = this.overlays.get(file);
		let key = 'overlay';
		if (text === undefined) {
			try {
				key = identityKey(statSync(file));
			} catch {
				return undefined;
			}
			const cached = this.summaries.get(file);
			if (cached?.key === key) return cached.summary;
			text = readText(file, 'source');
			if (text === undefined) return undefined;
		} else {
			const cached = this.summaries.get(file);
			if (cached) return cached.summary;
		}
		// A member file kmm cannot parse counts as unreadable, rather than failing its module;
		// while the parser restarts after another file's failure, it is not remembered so.
		if (!syntaxAlive()) return undefined;
		let tree: Tree | undefined;
		let summary: FileSummary | undefined;
		try {
			if (!tooLarge(text)) {
				tree = this.parse(text);
				summary = summaryOf(this.facts(tree, text));
			}
		} catch (err) {
			if (!faulted(err)) throw err;
		} finally {
			if (tree) release(tree);
		}
		this.summaries.set(file, { key, summary });
		return summary;
	}
}

const MODULE_DECLARATION_RE = /^(module_init|module_exit|module_\w+_driver|MODULE_[A-Z_]+)$/;

function summaryOf(facts: DocumentFacts): FileSummary {
	return {
		meta: facts.meta,
		definitions: [...facts.functions.keys(), ...facts.macros.keys(), ...facts.variables],
		macros: [...facts.macros.values()],
		records: [...facts.records],
		includes: facts.includes,
		declaresModule:
			facts.meta.licenses.length > 0 || facts.meta.imports.length > 0 || facts.uses.some((u) => MODULE_DECLARATION_RE.test(u.name)),
	};
}
