/**
 * Code actions: the fixes carried by the findings behind a document's diagnostics, and the
 * migrations of the old HMM API (per call site, whole file, whole module).
 */
import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import type { Finding, Fix } from '../engine/checks/types';

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

export function toCodeAction(fix: Fix, kind: string, diagnostics?: Diagnostic[]): CodeAction {
	const changes: Record<string, TextEdit[]> = {};
	for (const edit of fix.edits) {
		const uri = URI.file(edit.file).toString();
		(changes[uri] ??= []).push({ range: edit.range, newText: edit.newText });
	}
	return { title: fix.title, kind, diagnostics: diagnostics?.length ? diagnostics : undefined, isPreferred: fix.preferred, edit: { changes } };
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

/**
 * Migration fixes for a range: the preferred one of a removed-api call is its quick fix
 * (tied to that diagnostic); the others are rewrites the user may choose.
 */
export function migrationActions(fixes: readonly Fix[], context: readonly Diagnostic[], only?: string[]): CodeAction[] {
	const removed = context.filter((d) => d.code === 'removed-api');
	return fixes.flatMap((fix) => {
		const kind = fix.preferred && removed.length > 0 ? CodeActionKind.QuickFix : CodeActionKind.RefactorRewrite;
		return wanted(kind, only) ? [toCodeAction(fix, kind, kind === CodeActionKind.QuickFix ? removed : undefined)] : [];
	});
}
