/**
 * Where a fix adds a module macro line (MODULE_LICENSE, MODULE_IMPORT_NS): right after the
 * module's last such line, wherever it is, so related metadata stays together in kernel
 * style; else at the end of the current document.
 */
import type { Position } from '../types';
import type { ModuleContext, TextEdit } from './types';

function endOfText(text: string): { position: Position; prefix: string } {
	const lines = text.split('\n');
	const last = lines.length - 1;
	// A file that lacks its final newline gets one before the new line.
	return lines[last] === ''
		? { position: { line: last, character: 0 }, prefix: '' }
		: { position: { line: last, character: lines[last].length }, prefix: '\n' };
}

export function insertModuleLine(module: ModuleContext, file: string, text: string, line: string): TextEdit {
	const anchors = [...module.licenses, ...module.imports].map((m) => m.location);
	const inFile = anchors.filter((a) => a.file === file);
	const pick = (inFile.length > 0 ? inFile : anchors).reduce<(typeof anchors)[number] | undefined>(
		(best, a) => (!best || a.range.end.line > best.range.end.line ? a : best),
		undefined,
	);
	if (pick) {
		const at = { line: pick.range.end.line + 1, character: 0 };
		return { file: pick.file, range: { start: at, end: at }, newText: `${line}\n` };
	}
	const end = endOfText(text);
	return { file, range: { start: end.position, end: end.position }, newText: `${end.prefix}${line}\n` };
}
