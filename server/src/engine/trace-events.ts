/**
 * The uses a file makes by creating trace events: `#define CREATE_TRACE_POINTS` followed by
 * `#include <trace/events/nbd.h>` (or the module's own `"trace.h"`) compiles, per event class
 * of that header, the functions and tables knowledge/trace-events.ts lists, and the class's
 * TP_fast_assign and TP_printk bodies (null_blk prints with blk_op_str, a GPL-only export).
 * Each becomes a use at the `#include` line, read through macros and inlines like any other.
 * Only headers the file includes itself after the #define, which include define_trace.h, on
 * lines this build compiles; without a .config, or on an older layout, nothing is claimed.
 */
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { KernelIndex } from './kernel/index';
import { identityKey, readText } from './read';
import { blankComments, LineMap } from './lex';
import { EVENT_CLASS_MACROS, TP_PRINTK_HELPERS, TRACE_EXPANSION, traceExpansionKnown } from './knowledge/trace-events';
import { callArguments } from './syntax/choices';
import { conditionals, moduleBuildEnv } from './syntax/conditionals';
import { macroBody, type DocumentFacts, type IncludeUse, type SymbolUse } from './syntax/facts';
import { pointRange } from './types';

/** One event class of a trace header: its TP_ARGS count and what its assign and print bodies call. */
interface EventClass {
	argCount: number;
	calls: string[];
}

const CLASS_RE = new RegExp(`(?<![\\w#])(${[...EVENT_CLASS_MACROS].join('|')})\\s*\\(`, 'g');
const DEFINE_TRACE_RE = /^[ \t]*#[ \t]*include[ \t]*<trace\/define_trace\.h>/m;

/** Parsed trace headers by path, kept while their identity stays. */
const parsed = new Map<string, { key: string; classes: EventClass[] | undefined }>();

/** The event classes of a trace header (undefined: not one, unreadable, or a class this build may not compile). */
function eventClasses(path: string, kernel: KernelIndex): EventClass[] | undefined {
	let st;
	try {
		st = statSync(path);
	} catch {
		return undefined;
	}
	const key = identityKey(st);
	const known = parsed.get(path);
	if (known?.key === key) return known.classes;
	const text = readText(path, 'source');
	const classes = text === undefined ? undefined : readClasses(text, kernel);
	parsed.set(path, { key, classes });
	return classes;
}

function readClasses(text: string, kernel: KernelIndex): EventClass[] | undefined {
	const code = blankComments(text);
	if (!DEFINE_TRACE_RE.test(code)) return undefined;
	const config = kernel.dotConfig;
	// The expansion reads the header with TRACE_HEADER_MULTI_READ defined (define_trace.h), past its guard.
	const reread = text.replace(/\bdefined\s*(\(\s*TRACE_HEADER_MULTI_READ\s*\)|TRACE_HEADER_MULTI_READ\b)/g, '1');
	const { dead, uncertain } = conditionals(reread, kernel.version, moduleBuildEnv(config));
	const lines = new LineMap(code);
	const classes: EventClass[] = [];
	for (const m of code.matchAll(CLASS_RE)) {
		const line = lines.position(m.index ?? 0).line;
		if (dead.some((s) => s.start <= line && line <= s.end)) continue;
		if (uncertain.some((s) => s.start <= line && line <= s.end)) return undefined;
		const args = callArguments(code.slice(m.index), m[1]);
		if (!args) return undefined;
		let argCount = 0;
		const calls: string[] = [];
		for (const arg of args) {
			const piece = /^\s*(TP_ARGS|TP_fast_assign|TP_printk)\s*\(/.exec(arg)?.[1];
			if (piece === 'TP_ARGS') {
				const inner = callArguments(arg, 'TP_ARGS') ?? [];
				argCount = inner.length === 1 && /^\s*(void)?\s*$/.test(inner[0]) ? 0 : inner.length;
			} else if (piece) {
				for (const name of macroBody(arg.replace(/^\s*\w+\s*\(/, '').replace(/\)\s*$/, ''), new Set()).calls) {
					calls.push(name);
					const helper = TP_PRINTK_HELPERS.get(name);
					if (helper) calls.push(helper);
				}
			}
		}
		classes.push({ argCount, calls });
	}
	return classes;
}

/** Where a file's `#include` finds its header: next to the file when quoted, else in the kernel's include/. */
function headerPath(file: string, inc: IncludeUse, kernel: KernelIndex): string {
	return inc.quoted ? resolve(dirname(file), inc.path) : kernel.absolutePath(`include/${inc.path}`);
}

/** The uses `file` makes through the trace events it creates (see the file comment). */
export function traceEventUses(file: string, facts: DocumentFacts, kernel: KernelIndex): SymbolUse[] {
	const create = facts.macros.get('CREATE_TRACE_POINTS');
	const config = kernel.dotConfig;
	if (!create || !config || !traceExpansionKnown(kernel.version)) return [];
	const enabled = (option: string) => config.get(option) === 'y';
	const out: SymbolUse[] = [];
	for (const inc of facts.includes) {
		if (inc.line <= create.range.start.line || facts.dead.some((s) => s.start <= inc.line && inc.line <= s.end)) continue;
		const classes = eventClasses(headerPath(file, inc, kernel), kernel);
		if (!classes?.length) continue;
		const range = pointRange(inc.line, 0, `#include <${inc.path}>`.length);
		const viaMacro = `TRACE_EVENT (${inc.path} with CREATE_TRACE_POINTS)`;
		const seen = new Set<string>();
		const use = (name: string, kind: SymbolUse['kind']) => {
			if (seen.has(name)) return;
			seen.add(name);
			out.push({ name, kind, range, viaMacro });
		};
		for (const piece of TRACE_EXPANSION) {
			if (!enabled(piece.option)) continue;
			for (const name of piece.calls) use(name, 'call');
			for (const name of piece.references) use(name, 'reference');
			if (piece.perArgCount) for (const c of classes) if (c.argCount > 0) use(`${piece.perArgCount}${c.argCount}`, 'call');
		}
		if (enabled('TRACEPOINTS')) for (const c of classes) for (const name of c.calls) use(name, 'call');
	}
	return out;
}
