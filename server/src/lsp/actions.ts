/**
 * Code actions: the fixes carried by the findings behind a document's diagnostics, and the
 * migrations of the old HMM API (per call site, whole file, whole module). Migrations are
 * listed without edits for clients that resolve them (their `data` says what to resolve), and
 * with their edits for the others; the engine computes both.
 */
import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import type { Finding, Fix } from '../engine/checks/types';
import type { MigrationOffer, ResolvedMigration } from '../engine/migrations/index';

function overlaps(a: Range, b: Range): boolean {
	const before = (p: Range['start'], q: Range['start']) => p.line < q.line || (p.line === q.line && p.character <= q.character);
	return before(a.start, b.end) && before(b.start, a.end);
}

function sameRange(a: Range, b: Range): boolean {
	return (
		a.start.line === b.start.line &&
		a.start.character === b.start.character &&
		a.end.line === b.end.line &&
		a.end.character === b.end.character
	);
}

/** Whether the client's `only` filter admits actions of `kind`. */
export function wanted(kind: string, only?: string[]): boolean {
	return !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
}

function toWorkspaceEdit(fix: Fix): WorkspaceEdit {
	const changes: Record<string, TextEdit[]> = {};
	for (const edit of fix.edits) {
		const uri = URI.file(edit.file).toString();
		(changes[uri] ??= []).push({ range: edit.range, newText: edit.newText });
	}
	return { changes };
}

function toCodeAction(fix: Fix, kind: string, diagnostics?: Diagnostic[]): CodeAction {
	return { title: fix.title, kind, diagnostics: diagnostics?.length ? diagnostics : undefined, isPreferred: fix.preferred, edit: toWorkspaceEdit(fix) };
}

/** Quick fixes of the findings that overlap `range`, each offered once. */
export function codeActionsFor(findings: readonly Finding[], range: Range, context: readonly Diagnostic[], only?: string[]): CodeAction[] {
	if (!wanted(CodeActionKind.QuickFix, only)) return [];
	const actions: CodeAction[] = [];
	const titles = new Set<string>();
	for (const finding of findings) {
		if (!finding.fixes?.length || !overlaps(finding.range, range)) continue;
		const diagnostic = context.find((d) => d.code === finding.code && sameRange(d.range, finding.range));
		for (const fix of finding.fixes) {
			// Several uses of one namespace share one fix; offer it once.
			if (titles.has(fix.title)) continue;
			titles.add(fix.title);
			actions.push(toCodeAction(fix, CodeActionKind.QuickFix, diagnostic && [diagnostic]));
		}
	}
	return actions;
}

/** What a migration action listed without its edit carries to codeAction/resolve. */
export interface MigrationData {
	uri: string;
	/** The document's version it was listed for: a later one may have moved its site. */
	version: number;
	offer: MigrationOffer;
}

/**
 * A migration offer as a code action without its edit: the preferred one of a removed-api
 * call or a removed-member use is its quick fix (tied to that diagnostic); the others are rewrites the user may choose.
 */
function migrationAction(offer: MigrationOffer, removed: Diagnostic[], only?: string[]): CodeAction | undefined {
	const kind = offer.preferred && removed.length > 0 ? CodeActionKind.QuickFix : CodeActionKind.RefactorRewrite;
	if (!wanted(kind, only)) return undefined;
	return { title: offer.title, kind, diagnostics: kind === CodeActionKind.QuickFix ? removed : undefined, isPreferred: offer.preferred };
}

/** A removed-api or removed-member diagnostic: the migrations are its quick fixes. */
function isOldApi(d: Diagnostic): boolean {
	return d.code === 'removed-api' || d.code === 'removed-member';
}

/** Migration offers for clients that resolve edits: `data` names the offer and the document version. */
export function migrationOffers(offers: readonly MigrationOffer[], doc: { uri: string; version: number }, context: readonly Diagnostic[], only?: string[]): CodeAction[] {
	const removed = context.filter(isOldApi);
	return offers.flatMap((offer) => {
		const action = migrationAction(offer, removed, only);
		return action ? [{ ...action, data: { uri: doc.uri, version: doc.version, offer } satisfies MigrationData }] : [];
	});
}

/** Migrations with their edits, for clients that cannot resolve them. */
export function migrationActions(resolved: readonly ResolvedMigration[], context: readonly Diagnostic[], only?: string[]): CodeAction[] {
	const removed = context.filter(isOldApi);
	return resolved.flatMap(({ offer, fix }) => {
		const action = migrationAction(offer, removed, only);
		return action ? [{ ...action, edit: toWorkspaceEdit(fix) }] : [];
	});
}

/** The resolved action: what the client sent, with the fix as its edit. */
export function withEdit(action: CodeAction, fix: Fix): CodeAction {
	return { ...action, edit: toWorkspaceEdit(fix) };
}

function isPosition(p: unknown): boolean {
	const q = p as { line?: unknown; character?: unknown } | null | undefined;
	return typeof q?.line === 'number' && typeof q.character === 'number';
}

/** A code action's `data` as this server wrote it, else undefined (clients send back what they like). */
export function readMigrationData(data: unknown): MigrationData | undefined {
	const d = data as Partial<MigrationData> | null | undefined;
	const offer = d?.offer;
	const ok =
		typeof d?.uri === 'string' &&
		typeof d.version === 'number' &&
		typeof offer?.migration === 'string' &&
		typeof offer.title === 'string' &&
		isPosition(offer.range?.start) &&
		isPosition(offer.range?.end);
	return ok ? (d as MigrationData) : undefined;
}
