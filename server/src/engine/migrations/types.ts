/**
 * The contract every migration follows, in the manner of clangd tweaks: a stable id, a title
 * and a description (`meta`), cheap `offers` read from one document, and a pure `run` over
 * the parsed documents of one module that returns the sites it can rewrite (each with its
 * text edits) and what it must leave to a person. Edits are offsets into the original
 * texts; index.ts turns them into LSP ranges.
 */
import type { Node, Tree } from 'web-tree-sitter';

export interface MigrationMeta {
	/** Stable id, e.g. `hmm-devmem-add`. */
	id: string;
	/** The code action's title. */
	title: string;
	/** One line: what it rewrites into what. */
	description: string;
}

/** One parsed document of the module (its tree is parsed from the prepared text). */
export interface Doc {
	file: string;
	text: string;
	tree: Tree;
}

/** A replacement of [start, end) of a document's original text. */
export interface Edit {
	file: string;
	start: number;
	end: number;
	text: string;
}

/** Something at a place: a decision left to a person, or what could not be migrated. */
export interface Remark {
	file: string;
	start: number;
	end: number;
	reason: string;
}

/** A code action a migration offers at a place, before its edits are computed. */
export interface Offer {
	migration: string;
	file: string;
	/** The span the code action is offered on (a call, an ops table, …). */
	start: number;
	end: number;
	title: string;
	/** A removed-api quick fix (the default fix for the diagnostic on this call). */
	preferred?: boolean;
}

/** One place a migration rewrites: the code action offered there and its edits. */
export interface Site extends Offer {
	edits: Edit[];
}

export interface MigrationOutput {
	sites: Site[];
	/** What it could not migrate, and why. */
	left: Remark[];
	/** Migrated, but a person must decide something (a `TODO(kmm)` comment marks it). */
	todos: Remark[];
}

export type SyntaxNode = Node;

export function emptyOutput(): MigrationOutput {
	return { sites: [], left: [], todos: [] };
}
