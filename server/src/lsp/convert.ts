/** Engine findings into LSP diagnostics. */
import { URI } from 'vscode-uri';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import type { Finding } from '../engine/checks/types';
import type { Severity } from '../engine/types';
import { repository } from '../../../package.json';

/** Where each check's documentation lives; `codeDescription` links there. */
export const DOCS_BASE = `${repository.url}/blob/main/docs/checks/`;

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
	error: DiagnosticSeverity.Error,
	warning: DiagnosticSeverity.Warning,
	information: DiagnosticSeverity.Information,
	hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(finding: Finding, withRelated: boolean): Diagnostic {
	const diagnostic: Diagnostic = {
		range: finding.range,
		severity: SEVERITY[finding.severity],
		code: finding.code,
		codeDescription: { href: `${DOCS_BASE}${finding.code}.md` },
		source: 'kmm',
		message: finding.message,
	};
	if (withRelated && finding.related?.length) {
		diagnostic.relatedInformation = finding.related.map((r) => ({
			location: { uri: URI.file(r.location.file).toString(), range: r.location.range },
			message: r.message,
		}));
	}
	return diagnostic;
}

/**
 * Hover Markdown for clients that take plain text only (eglot without markdown-mode):
 * emphasis and inline-code marks dropped, fenced code indented, links as "text (url)".
 */
export function markdownToPlainText(markdown: string): string {
	const out: string[] = [];
	let inFence = false;
	for (const line of markdown.split('\n')) {
		if (/^```/.test(line)) {
			inFence = !inFence;
			continue;
		}
		if (inFence) {
			out.push(`    ${line}`);
			continue;
		}
		out.push(
			line
				.replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1 ($2)')
				.replace(/\*\*([^*]+)\*\*/g, '$1')
				.replace(/`([^`]+)`/g, '$1'),
		);
	}
	return out.join('\n');
}
