/** Quick fixes: the fixes carried by the findings behind a document's diagnostics. */
import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import type { Finding } from '../engine/checks/types';

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

export function codeActionsFor(findings: readonly Finding[], range: Range, context: readonly Diagnostic[], only?: string[]): CodeAction[] {
	if (only && !only.some((k) => CodeActionKind.QuickFix.startsWith(k))) return [];
	const actions: CodeAction[] = [];
	const titles = new Set<string>();
	for (const finding of findings) {
		if (!finding.fixes?.length || !overlaps(finding.range, range)) continue;
		const diagnostic = context.find((d) => d.code === finding.code && sameRange(d.range, finding.range));
		for (const fix of finding.fixes) {
			// Several uses of one namespace share one fix; offer it once.
			if (titles.has(fix.title)) continue;
			titles.add(fix.title);
			const changes: Record<string, TextEdit[]> = {};
			for (const edit of fix.edits) {
				const uri = URI.file(edit.file).toString();
				(changes[uri] ??= []).push({ range: edit.range, newText: edit.newText });
			}
			actions.push({
				title: fix.title,
				kind: CodeActionKind.QuickFix,
				diagnostics: diagnostic ? [diagnostic] : undefined,
				isPreferred: fix.preferred,
				edit: { changes },
			});
		}
	}
	return actions;
}
