/**
 * document-too-large: a document kmm does not parse, said once on its first line instead of
 * checking it (or failing on every later document). Not a Check: it is decided before there
 * is a tree, by the engine, and it stands in for all the checks.
 */
import type { CheckMeta, Finding } from './types';

/**
 * 8 MiB: the largest hand-written kernel sources are about 1 MB, and the largest headers are
 * generated register lists. Parsing costs about 100 bytes of tree-sitter's 2 GB wasm heap
 * per byte of dense C, so a few documents of this size fit, and each still parses in
 * about a second.
 */
export const MAX_DOCUMENT_BYTES = 8 << 20;
/**
 * 64 KiB: no hand-written line comes near it. Generated data on one line (minified, a blob)
 * is where tree-sitter's error recovery and the per-line scans go slow: one 4 MB line of
 * calls took 4.5 s to parse and 9 s to analyze.
 */
export const MAX_LINE_CHARS = 64 << 10;

export const documentTooLarge: CheckMeta = {
	code: 'document-too-large',
	severity: 'warning',
	description: 'A document too large for kmm to parse (or one its parser failed on) is not checked.',
};

const AT_START = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
const finding = (message: string): Finding => ({ code: documentTooLarge.code, severity: documentTooLarge.severity, message, range: AT_START });
const mib = (n: number) => `${(n / (1 << 20)).toFixed(1)} MiB`;

/** The finding for a text beyond the bounds, or undefined when kmm parses it. */
export function tooLarge(text: string): Finding | undefined {
	// Bytes are at least the UTF-16 length and at most three times it: count only when in doubt.
	const bytes = text.length * 3 <= MAX_DOCUMENT_BYTES ? 0 : Buffer.byteLength(text, 'utf8');
	if (bytes > MAX_DOCUMENT_BYTES) {
		return finding(`kmm does not check this document: it has ${mib(bytes)}, more than the ${mib(MAX_DOCUMENT_BYTES)} it parses`);
	}
	let longest = 0;
	for (let start = 0; start <= text.length; ) {
		let end = text.indexOf('\n', start);
		if (end < 0) end = text.length;
		longest = Math.max(longest, end - start);
		start = end + 1;
	}
	if (longest > MAX_LINE_CHARS) {
		return finding(`kmm does not check this document: a line has ${longest.toLocaleString('en')} characters, more than the ${MAX_LINE_CHARS.toLocaleString('en')} it parses`);
	}
	return undefined;
}

/** The finding for a text the parser (or the analysis of its tree) failed on. */
export function parserFailed(err: unknown): Finding {
	const reason = err instanceof Error ? err.message.split('.')[0] : String(err);
	return finding(`kmm does not check this document: its C parser failed on it (${reason}, most likely out of memory); it tries again after the next change`);
}
