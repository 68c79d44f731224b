/** Runs the engine over one file of a module and keeps the findings of one check. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../../src/engine/engine';
import type { Finding } from '../../src/engine/checks/types';
import type { KernelIndex } from '../../src/engine/kernel/index';

export async function findingsOf(kernel: KernelIndex, dir: string, file: string, code: string): Promise<Finding[]> {
	const engine = await Engine.create(kernel);
	const path = join(dir, file);
	return engine.analyze(path, readFileSync(path, 'utf8')).filter((f) => f.code === code);
}

/** Applies a fix's edits to one file's text (edits given in LSP positions). */
export function applyEdits(text: string, edits: { range: { start: { line: number; character: number } }; newText: string }[]): string {
	const lines = text.split('\n');
	const offset = (p: { line: number; character: number }) =>
		lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
	return [...edits]
		.sort((a, b) => offset(b.range.start) - offset(a.range.start))
		.reduce((t, e) => t.slice(0, offset(e.range.start)) + e.newText + t.slice(offset(e.range.start)), text);
}
