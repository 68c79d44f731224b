/** Shared value types of the engine. Positions are 0-based lines and UTF-16 columns, as in LSP. */

export interface Position {
	line: number;
	character: number;
}

export interface Range {
	start: Position;
	end: Position;
}

/** A place in a file; `file` is absolute. */
export interface Location {
	file: string;
	range: Range;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export function pointRange(line: number, character: number, length: number): Range {
	return { start: { line, character }, end: { line, character: character + length } };
}
