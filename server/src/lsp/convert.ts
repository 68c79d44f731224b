/** Engine findings into LSP diagnostics, and the readers of request params (bad params are an LSP error). */
import { URI } from 'vscode-uri';
import { DiagnosticSeverity, ErrorCodes, ResponseError, type CallHierarchyItem, type Diagnostic, type Range } from 'vscode-languageserver/node';
import { docsUrl } from '../engine/checks/index';
import type { Finding } from '../engine/checks/types';
import type { ItemRef } from '../engine/ide/graph';
import type { Severity } from '../engine/types';

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
		codeDescription: { href: docsUrl(finding.code) },
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

/** The document and position of a position request (hover, definition, references…); bad params are an LSP error. */
export function readPosition(params: { textDocument?: { uri?: unknown }; position?: { line?: unknown; character?: unknown } }): {
	uri: string;
	position: { line: number; character: number };
} {
	const uri = params?.textDocument?.uri;
	const pos = params?.position;
	if (typeof uri !== 'string' || typeof pos?.line !== 'number' || typeof pos.character !== 'number') {
		throw new ResponseError(ErrorCodes.InvalidParams, 'expected textDocument.uri and position {line, character}');
	}
	return { uri, position: { line: pos.line, character: pos.character } };
}

const isPosition = (p: unknown): p is { line: number; character: number } =>
	typeof (p as { line?: unknown } | undefined)?.line === 'number' && typeof (p as { character?: unknown }).character === 'number';

/** A codeAction request's document, range and context; bad params are an LSP error. */
export function readCodeAction(params: { textDocument?: { uri?: unknown }; range?: unknown; context?: { diagnostics?: unknown; only?: unknown } } | undefined): {
	uri: string;
	range: Range;
	diagnostics: Diagnostic[];
	only?: string[];
} {
	const uri = params?.textDocument?.uri;
	const range = params?.range as { start?: unknown; end?: unknown } | undefined;
	const diagnostics = params?.context?.diagnostics ?? [];
	const only = params?.context?.only;
	if (typeof uri !== 'string' || !isPosition(range?.start) || !isPosition(range.end)) {
		throw new ResponseError(ErrorCodes.InvalidParams, 'codeAction needs textDocument.uri and range');
	}
	const wellFormed = (d: unknown) => typeof d === 'object' && d !== null && isPosition((d as Diagnostic).range?.start) && isPosition((d as Diagnostic).range.end);
	if (!Array.isArray(diagnostics) || !diagnostics.every(wellFormed) || (only !== undefined && !(Array.isArray(only) && only.every((k) => typeof k === 'string')))) {
		throw new ResponseError(ErrorCodes.InvalidParams, 'codeAction context: diagnostics must be Diagnostic[], only string[]');
	}
	return { uri, range: { start: range.start, end: range.end }, diagnostics: diagnostics as Diagnostic[], only: only as string[] | undefined };
}

/** The query of a workspace/symbol request; required by the protocol, as in every client's requests. */
export function readQuery(params: { query?: unknown } | undefined): string {
	if (typeof params?.query !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, 'expected query: string');
	return params.query;
}

/** The item a call-hierarchy request continues from (its `data`, else its name and uri). */
export function readItem(params: { item?: CallHierarchyItem }): ItemRef {
	const data = params?.item?.data as Partial<ItemRef> | undefined;
	const name = data?.name ?? params?.item?.name;
	const file = data?.file ?? (typeof params?.item?.uri === 'string' ? URI.parse(params.item.uri).fsPath : undefined);
	if (typeof name !== 'string' || typeof file !== 'string') {
		throw new ResponseError(ErrorCodes.InvalidParams, 'expected a call hierarchy item from prepareCallHierarchy');
	}
	return { name, file };
}
