/**
 * Open documents with their tree-sitter trees. Each change is described to the old tree
 * (tree.edit) as the span where the parsed text differs, so the next parse is incremental;
 * replaced trees are deleted at once, since wasm memory is not garbage-collected.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import type { Engine } from '../engine/engine';
import { editTree, isLive, release, type Tree } from '../engine/syntax/parser';
import { prepareSource } from '../engine/syntax/prepare';

export interface OpenDocument {
	uri: string;
	/** Absolute path for file: URIs; the URI itself otherwise. */
	file: string;
	doc: TextDocument;
	/** The text as parsed: kernel annotations blanked (same length and lines as the text). */
	prepared: string;
	/** None when the engine does not parse it (too large, the parser failed or is restarting). */
	readonly tree?: Tree;
}

class Entry implements OpenDocument {
	/** The tree as parsed, which dies with its runtime: until `reparseAll`, `tree` hides it. */
	parsed?: Tree;

	constructor(
		readonly uri: string,
		readonly file: string,
		public doc: TextDocument,
		public prepared: string,
	) {}

	get tree(): Tree | undefined {
		return this.parsed && isLive(this.parsed) ? this.parsed : undefined;
	}
}

export function fileOf(uri: string): string {
	const parsed = URI.parse(uri);
	return parsed.scheme === 'file' ? parsed.fsPath : uri;
}

/** UTF-16 index → tree-sitter point; web-tree-sitter counts columns in UTF-16 units too. */
function point(doc: TextDocument, offset: number): { row: number; column: number } {
	const p = doc.positionAt(offset);
	return { row: p.line, column: p.character };
}

export class DocumentStore {
	private readonly docs = new Map<string, Entry>();

	constructor(private readonly engine: Engine) {}

	get(uri: string): OpenDocument | undefined {
		return this.docs.get(uri);
	}

	all(): OpenDocument[] {
		return [...this.docs.values()];
	}

	open(uri: string, languageId: string, version: number, text: string): OpenDocument {
		this.close(uri);
		const file = fileOf(uri);
		const prepared = prepareSource(text);
		const entry = new Entry(uri, file, TextDocument.create(uri, languageId, version, text), prepared);
		entry.parsed = this.engine.parseDocument(file, text, prepared);
		this.docs.set(uri, entry);
		this.engine.setOverlay(file, text);
		return entry;
	}

	change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): OpenDocument | undefined {
		const entry = this.docs.get(uri);
		if (!entry) return undefined;
		const oldDoc = entry.doc;
		const doc = TextDocument.update(oldDoc, changes, version);
		const text = doc.getText();
		const prepared = prepareSource(text);
		// The tree was parsed from the prepared text, so the edit must describe how that text
		// changed: blanking an annotation can change characters outside the edited range.
		const before = entry.prepared;
		const limit = Math.min(before.length, prepared.length);
		let start = 0;
		while (start < limit && before.charCodeAt(start) === prepared.charCodeAt(start)) start++;
		let tail = 0;
		while (
			tail < limit - start &&
			before.charCodeAt(before.length - 1 - tail) === prepared.charCodeAt(prepared.length - 1 - tail)
		) {
			tail++;
		}
		let previous = entry.tree;
		const edit = {
			startIndex: start,
			oldEndIndex: before.length - tail,
			newEndIndex: prepared.length - tail,
			startPosition: point(oldDoc, start),
			oldEndPosition: point(oldDoc, before.length - tail),
			newEndPosition: point(doc, prepared.length - tail),
		};
		if (previous && !editTree(previous, edit)) previous = undefined;
		const old = entry.parsed;
		entry.parsed = this.engine.parseDocument(entry.file, text, prepared, previous);
		if (old) release(old);
		entry.doc = doc;
		entry.prepared = prepared;
		this.engine.setOverlay(entry.file, text);
		return entry;
	}

	/** Returns false when the document was not open (a client closing it twice). */
	close(uri: string): boolean {
		const entry = this.docs.get(uri);
		if (!entry) return false;
		if (entry.parsed) release(entry.parsed);
		this.docs.delete(uri);
		this.engine.setOverlay(entry.file, undefined);
		return true;
	}

	/**
	 * After the parser's restart: every tree held was of the failed runtime. Smallest first:
	 * when the open documents exhaust the new runtime too, the most of them have trees by then.
	 */
	reparseAll(): void {
		for (const entry of [...this.docs.values()].sort((a, b) => a.prepared.length - b.prepared.length)) {
			if (entry.parsed) release(entry.parsed);
			entry.parsed = this.engine.parseDocument(entry.file, entry.doc.getText(), entry.prepared);
		}
	}

	dispose(): void {
		for (const uri of [...this.docs.keys()]) this.close(uri);
	}
}
