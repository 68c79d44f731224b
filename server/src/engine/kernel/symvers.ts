/**
 * Module.symvers, as modpost writes it: one line per export of the build,
 * `crc<TAB>symbol<TAB>module path<TAB>EXPORT_SYMBOL[_GPL]<TAB>namespace`. It is the build's own
 * truth about what a module may link, so it is taken exactly; malformed lines are counted,
 * never guessed at.
 */
import type { ExportRecord } from './exports';

/** The file name, relative to the build directory; export records point into it. */
export const SYMVERS_FILE = 'Module.symvers';

export interface SymversEntry {
	crc: string;
	symbol: string;
	/** `vmlinux` or a module path without `.ko` (`drivers/cxl/core/cxl_core`). */
	module: string;
	macro: string;
	namespace?: string;
	/** 0-based line in the file. */
	line: number;
}

export interface Symvers {
	entries: SymversEntry[];
	/** 1-based numbers of lines that are not five tab-separated fields with a symbol. */
	malformed: number[];
}

/** The macros modpost writes whose exports only GPL-compatible modules may link. */
const GPL_ONLY = new Set(['EXPORT_SYMBOL_GPL', 'EXPORT_UNUSED_SYMBOL_GPL']);

export function parseSymvers(text: string): Symvers {
	const entries: SymversEntry[] = [];
	const malformed: number[] = [];
	const lines = text.split('\n');
	lines.forEach((raw, line) => {
		const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
		if (text === '') return;
		// Before 5.4 there was no namespace column; the crc, symbol, module and type always are.
		const [crc, symbol, module, macro, namespace = '', ...rest] = text.split('\t');
		if (!symbol || !module || !macro || rest.length > 0 || !/^EXPORT_\w+$/.test(macro)) {
			malformed.push(line + 1);
			return;
		}
		entries.push({ crc, symbol, module, macro, line, ...(namespace ? { namespace } : {}) });
	});
	return { entries, malformed };
}

/** An entry as an export record of the index, pointing at its line of Module.symvers. */
export function symversRecord(entry: SymversEntry): ExportRecord {
	return {
		symbol: entry.symbol,
		macro: entry.macro,
		gplOnly: GPL_ONLY.has(entry.macro),
		...(entry.namespace ? { namespace: entry.namespace } : {}),
		file: SYMVERS_FILE,
		line: entry.line,
		character: 0,
	};
}
