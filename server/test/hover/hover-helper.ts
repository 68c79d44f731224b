/** Hovers and definitions on a document, through the Engine the way the front ends drive it. */
import { readFileSync } from 'node:fs';
import { Engine } from '../../src/engine/engine';
import type { KernelIndex } from '../../src/engine/kernel/index';
import { definitionAt, hoverAt, type HoverInput } from '../../src/engine/hover/index';
import type { Location, Position } from '../../src/engine/types';

const engines = new Map<KernelIndex, Promise<Engine>>();

export function engineFor(kernel: KernelIndex): Promise<Engine> {
	let engine = engines.get(kernel);
	if (!engine) {
		engine = Engine.create(kernel);
		engines.set(kernel, engine);
	}
	return engine;
}

/** Position of the `nth` occurrence of `needle` in `text`, `offset` characters into it. */
export function positionOf(text: string, needle: string, offset = 0, nth = 0): Position {
	let at = -1;
	for (let i = 0; i <= nth; i++) {
		at = text.indexOf(needle, at + 1);
		if (at < 0) throw new Error(`'${needle}' (#${nth}) not found`);
	}
	const before = text.slice(0, at + offset);
	const line = before.split('\n').length - 1;
	return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}

export interface Doc {
	input(position: Position): HoverInput;
	hover(needle: string, offset?: number, nth?: number): string | undefined;
	definition(needle: string, offset?: number, nth?: number): Location[];
	text: string;
	dispose(): void;
}

/** Opens `file` (its text from disk unless given) against `kernel`. */
export async function openDoc(kernel: KernelIndex, file: string, text = readFileSync(file, 'utf8')): Promise<Doc> {
	const engine = await engineFor(kernel);
	const tree = engine.parse(text);
	const module = engine.moduleOf(file, { facts: engine.facts(tree, text) });
	const input = (position: Position): HoverInput => ({ kernel, module, tree, text, position, file });
	// Hover a few characters into the word, as a mouse would.
	return {
		text,
		input,
		hover: (needle, offset = 1, nth = 0) => hoverAt(input(positionOf(text, needle, offset, nth)))?.markdown,
		definition: (needle, offset = 1, nth = 0) => definitionAt(input(positionOf(text, needle, offset, nth))),
		dispose: () => tree.delete(),
	};
}
