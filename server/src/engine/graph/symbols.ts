/**
 * Workspace symbols: kernel functions and exports whose names match a query, best first —
 * exact, then prefix, then substring, then the query's letters in order (fuzzy), all
 * case-insensitive; shorter names first within a rank.
 */
import type { KernelIndex } from '../kernel/index';

export interface SymbolHit {
	name: string;
	kind: 'function' | 'export';
	/** Relative to the tree root; 0-based position of the name. */
	file: string;
	line: number;
	character: number;
	/** The export macro, or `static` for file-local functions. */
	detail: string;
}

/** 0 exact, 1 prefix, 2 substring, 3 fuzzy; undefined when `name` does not match. */
export function matchScore(name: string, query: string): number | undefined {
	const n = name.toLowerCase();
	const q = query.toLowerCase();
	if (n === q) return 0;
	if (n.startsWith(q)) return 1;
	if (n.includes(q)) return 2;
	let k = 0;
	for (let i = 0; i < n.length && k < q.length; i++) if (n.charCodeAt(i) === q.charCodeAt(k)) k++;
	return k === q.length ? 3 : undefined;
}

/** Candidates scanned before ranking: enough that the best `limit` are among them in practice. */
const CANDIDATES = 20_000;

/** Functions (every definition) and exports without a function definition, at most `limit`. */
export function symbolsOf(index: KernelIndex, query: string, limit: number): SymbolHit[] {
	const scored = new Map<string, number>();
	for (const name of index.graph.searchFunctions((n) => matchScore(n, query) !== undefined, CANDIDATES)) scored.set(name, matchScore(name, query) as number);
	for (const name of index.exports.keys()) {
		if (scored.size >= CANDIDATES * 2) break;
		const score = matchScore(name, query);
		if (score !== undefined) scored.set(name, score);
	}
	const ranked = [...scored].sort(([a, sa], [b, sb]) => sa - sb || a.length - b.length || a.localeCompare(b));
	const out: SymbolHit[] = [];
	for (const [name] of ranked) {
		if (out.length >= limit) break;
		const exp = index.exportOf(name);
		const defs = index.definitionsOf(name);
		for (const d of defs) out.push({ name, kind: 'function', file: d.file, line: d.line, character: d.character, detail: exp?.macro ?? (d.isStatic ? 'static' : '') });
		if (defs.length === 0 && exp) out.push({ name, kind: 'export', file: exp.file, line: exp.line, character: exp.character, detail: exp.macro });
	}
	return out.slice(0, limit);
}
