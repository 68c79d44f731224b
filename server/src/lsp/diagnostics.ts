/**
 * Diagnostics per open document: analyses scheduled after each change (one pending per
 * document), published with the document's version, with the severity overrides applied
 * (kmm.diagnostics over the .kmm.json files). It keeps what code actions and hovers of that
 * version reuse: the findings behind the diagnostics and the document's module.
 */
import type { Connection } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import type { Engine } from '../engine/engine';
import type { Finding, ModuleContext } from '../engine/checks/types';
import { applyOverrides, mergeOverrides, ProjectSettings, type SeverityOverrides } from '../engine/settings';
import { toDiagnostic } from './convert';
import type { DocumentStore } from './documents';

export interface SchedulerOptions {
	/** Whether the client shows relatedInformation. */
	wantsRelated: boolean;
	/** Resolves when no kernel load is under way: diagnostics before it would be an empty list that later fills up. */
	kernelLoaded: () => Promise<void> | undefined;
	/** kmm.diagnostics as the kernel session read it. */
	overrides: () => SeverityOverrides;
	warn: (problems: readonly string[]) => void;
	log: (message: string) => void;
}

export class DiagnosticsScheduler {
	/** The findings behind each document's published diagnostics, for code actions. */
	readonly published = new Map<string, Finding[]>();
	/** Each document's module as of its last analysis, reused by hovers of that version. */
	readonly modules = new Map<string, { version: number; module?: ModuleContext }>();
	private readonly pending = new Map<string, NodeJS.Timeout>();
	private readonly settings = new ProjectSettings();

	constructor(
		private readonly connection: Connection,
		private readonly engine: Engine,
		private readonly documents: DocumentStore,
		private readonly options: SchedulerOptions,
	) {}

	get busy(): boolean {
		return this.pending.size > 0;
	}

	schedule(uri: string): void {
		clearTimeout(this.pending.get(uri));
		this.pending.set(
			uri,
			setTimeout(() => this.validate(uri), 0),
		);
	}

	revalidateAll(): void {
		for (const entry of this.documents.all()) this.schedule(entry.uri);
	}

	/** A document closed: nothing pending, nothing kept, its diagnostics cleared. */
	forget(uri: string): void {
		clearTimeout(this.pending.get(uri));
		this.pending.delete(uri);
		this.published.delete(uri);
		this.modules.delete(uri);
	}

	dispose(): void {
		for (const timer of this.pending.values()) clearTimeout(timer);
		this.pending.clear();
	}

	private validate(uri: string): void {
		this.pending.delete(uri);
		const entry = this.documents.get(uri);
		if (!entry) return;
		const loading = this.options.kernelLoaded();
		if (loading) {
			void loading.then(() => this.schedule(uri));
			return;
		}
		try {
			// Only files on disk belong to a module; an untitled buffer gets no module checks.
			const onDisk = URI.parse(uri).scheme === 'file';
			const result = onDisk ? this.engine.inspect(entry.file, entry.doc.getText(), entry.tree) : undefined;
			const fromFiles = this.settings.overridesFor(entry.file, this.engine.kernel?.root);
			this.options.warn(fromFiles.problems);
			const effective = mergeOverrides(fromFiles.overrides, this.options.overrides());
			const all = result?.findings ?? [];
			const findings = applyOverrides(all, effective);
			// Switched-off findings stay behind code actions without their fixes, so that
			// migrations are offered where the old API is used even with removed-api off.
			const silenced = all.filter((f) => effective[f.code] === 'off').map((f) => ({ ...f, fixes: undefined }));
			this.published.set(uri, [...findings, ...silenced]);
			this.modules.set(uri, { version: entry.doc.version, module: result?.module });
			void this.connection.sendDiagnostics({
				uri,
				version: entry.doc.version,
				diagnostics: findings.map((f) => toDiagnostic(f, this.options.wantsRelated)),
			});
		} catch (err) {
			this.options.log(`kmm: analysis of ${uri} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
		}
	}
}
