/**
 * Loads web-tree-sitter and the C grammar once per process. The wasm files live in
 * grammars/ at the package root (the build copies them there); bundles and sources sit at
 * different depths below it, so it is found by walking up from this file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Language, Parser, Query } from 'web-tree-sitter';

export type { Tree, TreeCursor, Node as SyntaxNode } from 'web-tree-sitter';
export { Edit } from 'web-tree-sitter';

let ready: Promise<Language> | undefined;

export function grammarsDir(): string {
	if (process.env.KMM_GRAMMARS_DIR) return process.env.KMM_GRAMMARS_DIR;
	for (let dir = __dirname; ; dir = dirname(dir)) {
		const candidate = join(dir, 'grammars');
		if (existsSync(join(candidate, 'tree-sitter-c.wasm'))) return candidate;
		if (dirname(dir) === dir) {
			throw new Error(`grammars/tree-sitter-c.wasm not found above ${__dirname}; run \`npm run build\``);
		}
	}
}

function loadLanguage(): Promise<Language> {
	ready ??= (async () => {
		const dir = grammarsDir();
		await Parser.init({ locateFile: (name: string) => join(dir, name) });
		return Language.load(join(dir, 'tree-sitter-c.wasm'));
	})();
	return ready;
}

/** A parser for C. Callers own the trees it returns and must `delete()` them. */
export async function createCParser(): Promise<Parser> {
	const language = await loadLanguage();
	for (const name of QUERY_NAMES) {
		if (!queries.has(name)) queries.set(name, new Query(language, readFileSync(join(grammarsDir(), `${name}.scm`), 'utf8')));
	}
	const parser = new Parser();
	parser.setLanguage(language);
	return parser;
}

/** The queries in grammars/*.scm that the facts use, compiled when the first parser is made. */
export type QueryName = 'ops-tables';
const QUERY_NAMES: readonly QueryName[] = ['ops-tables'];
const queries = new Map<QueryName, Query>();

/** A compiled query; valid once any createCParser() has resolved. */
export function query(name: QueryName): Query {
	const q = queries.get(name);
	if (!q) throw new Error(`query ${name} used before createCParser()`);
	return q;
}
