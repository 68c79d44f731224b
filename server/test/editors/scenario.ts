/**
 * The scenario both real-editor tests play, and its assertions. The editor opens
 * pdev-proprietary/pdev.c (two gpl-only-symbol errors; hover on devm_memremap_pages), then
 * ns-missing/nsuser.c, applies the missing-namespace-import quick fix through its own UI,
 * saves, and waits for the server's new diagnostics. The driver (Lua or Elisp) writes a
 * JSON record of what the editor saw; these assertions read it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { pathToFileURL } from 'node:url';
import { expectedFindings } from '../helpers/expected';
import { DRIVERS } from '../helpers/paths';
import { describeRun, type EditorRun } from './helpers';

export const DIAG_DRIVER = 'pdev-proprietary';
export const DIAG_FILE = 'pdev.c';
export const HOVER = { symbol: 'devm_memremap_pages', line: 38 };
export const FIX_DRIVER = 'ns-missing';
export const FIX_FILE = 'nsuser.c';
export const FIX_TITLE = 'Add MODULE_IMPORT_NS(FAKEMEM)';
export const FIX_LINE = 'MODULE_IMPORT_NS(FAKEMEM);';

/** One diagnostic as the driver reports it: 0-based line, columns in the line's characters. */
export interface SeenDiagnostic {
	lnum: number;
	col: number;
	end_lnum: number;
	end_col: number;
	code: string | null;
	source: string | null;
	severity: number;
	message: string;
}

interface CodeActionSeen {
	title: string;
	kind?: string;
	isPreferred?: boolean;
	diagnostics?: { code?: string; range: unknown }[];
	edit?: { changes?: Record<string, { newText: string; range: unknown }[]> };
}

/** What both drivers write (the editor-specific extras are optional). */
export interface ScenarioRecord {
	error?: string;
	ms: number;
	steps: { name: string; ms: number }[];
	diagnostics_arrived: boolean;
	diagnostics: SeenDiagnostic[];
	capabilities: { hoverProvider: unknown; codeActionProvider: unknown };
	hover_position?: { line: number; character: number };
	hover?: { contents?: unknown; error?: unknown } | null;
	fix_diagnostics_arrived: boolean;
	fix_diagnostics: SeenDiagnostic[];
	code_actions: CodeActionSeen[] | { error: unknown };
	menu?: string[];
	edit_applied: boolean;
	after_arrived: boolean;
	after_diagnostics: SeenDiagnostic[];
	server_exit?: { code: number; live?: boolean; status?: string };
}

/** The text a hover result carries, whatever its shape (MarkupContent, MarkedString[]…). */
export function hoverText(contents: unknown): string {
	if (contents == null) return '';
	if (typeof contents === 'string') return contents;
	if (Array.isArray(contents)) return contents.map(hoverText).join('\n');
	if (typeof contents === 'object' && 'value' in contents) return String((contents as { value: unknown }).value);
	return JSON.stringify(contents);
}

function expectedAt(file: string, driver: string) {
	return expectedFindings(join(DRIVERS, driver))
		.filter((f) => f.file === file)
		.map((f) => ({ line: f.line, code: f.code, symbol: f.symbol }))
		.sort((a, b) => a.line - b.line || a.code.localeCompare(b.code));
}

/** Each diagnostic's line and code match EXPECTED, and its range covers the symbol. */
function assertDiagnosticsMatch(seen: SeenDiagnostic[], text: string, file: string, driver: string, context: string): void {
	const lines = text.split('\n');
	const expected = expectedAt(file, driver);
	assert.deepEqual(
		seen.map((d) => ({ line: d.lnum + 1, code: d.code })),
		expected.map((e) => ({ line: e.line, code: e.code })),
		`${context}: diagnostics by line and code`,
	);
	for (const [i, d] of seen.entries()) {
		const e = expected[i];
		assert.equal(d.source, 'kmm', `${context}: source of ${JSON.stringify(d)}`);
		assert.equal(d.severity, 1, `${context}: an error: ${JSON.stringify(d)}`);
		assert.equal(d.end_lnum, d.lnum, `${context}: one-line range: ${JSON.stringify(d)}`);
		if (e.symbol) {
			assert.equal(lines[d.lnum].slice(d.col, d.end_col), e.symbol, `${context}: the range covers the symbol: ${JSON.stringify(d)}`);
			assert.ok(d.message.includes(e.symbol), `${context}: the message names ${e.symbol}: ${d.message}`);
		}
	}
}

/**
 * Runs the scenario's checks as subtests of t. `dir` holds the copied drivers (after the
 * run); `extraHover` checks what the editor rendered of the hover.
 */
export async function assertScenario(
	t: TestContext,
	run: EditorRun,
	dir: string,
	extraHover?: (record: ScenarioRecord) => void,
): Promise<void> {
	const record = run.record as ScenarioRecord | undefined;
	t.diagnostic(`editor exited after ${run.ms} ms; driver steps: ${record?.steps?.map((s) => `${s.name} @${s.ms}ms`).join(', ')}`);
	assert.ok(record, `the driver wrote no record\n${describeRun(run)}`);
	assert.equal(record.error, undefined, `the driver failed\n${describeRun(run)}`);
	assert.equal(run.timedOut, false, `the editor was killed after a timeout\n${describeRun(run)}`);
	assert.equal(run.code, 0, `the editor's exit status\n${describeRun(run)}`);

	const diagFile = join(dir, DIAG_DRIVER, DIAG_FILE);
	const fixFile = join(dir, FIX_DRIVER, FIX_FILE);
	const fixOriginal = readFileSync(join(DRIVERS, FIX_DRIVER, FIX_FILE), 'utf8');

	await t.test('diagnostics: the gpl-only-symbol errors of EXPECTED, on the symbols, source kmm', () => {
		assert.ok(record.diagnostics_arrived, 'no diagnostics within 10 s');
		assertDiagnosticsMatch(record.diagnostics, readFileSync(diagFile, 'utf8'), DIAG_FILE, DIAG_DRIVER, DIAG_FILE);
	});

	await t.test(`hover on ${HOVER.symbol} says it is EXPORT_SYMBOL_GPL`, () => {
		assert.ok(record.capabilities?.hoverProvider, 'the server advertises hover');
		assert.ok(record.hover_position, `${HOVER.symbol} not found on line ${HOVER.line}`);
		assert.ok(record.hover && !record.hover.error, `no hover: ${JSON.stringify(record.hover)}`);
		const text = hoverText(record.hover.contents);
		assert.match(text, /EXPORT_SYMBOL_GPL/, `hover: ${text}`);
		extraHover?.(record);
	});

	await t.test('the namespace quick fix: offered for the round-tripped diagnostic, applied, saved', () => {
		assert.ok(record.fix_diagnostics_arrived, 'no missing-namespace-import diagnostic within 10 s');
		assertDiagnosticsMatch(record.fix_diagnostics, fixOriginal, FIX_FILE, FIX_DRIVER, FIX_FILE);
		assert.ok(Array.isArray(record.code_actions), `codeAction failed: ${JSON.stringify(record.code_actions)}`);
		const actions = record.code_actions;
		assert.deepEqual(
			actions.map((a) => a.title),
			[FIX_TITLE],
		);
		const [action] = actions;
		assert.equal(action.kind, 'quickfix');
		assert.equal(action.isPreferred, true);
		// The editor sent back the diagnostic it had stored; the server recognised it as its own.
		assert.equal(action.diagnostics?.[0]?.code, 'missing-namespace-import', `the action's diagnostics: ${JSON.stringify(action.diagnostics)}`);
		const uri = pathToFileURL(fixFile).href;
		assert.deepEqual(Object.keys(action.edit?.changes ?? {}), [uri]);
		assert.deepEqual(
			action.edit!.changes![uri].map((e) => e.newText),
			[`${FIX_LINE}\n`],
		);
		// Applied through the editor's own code-action menu.
		assert.ok(record.menu?.includes(FIX_TITLE), `the editor's menu: ${JSON.stringify(record.menu)}`);
		assert.ok(record.edit_applied, 'the buffer did not change');
		// On disk: exactly the original with the import after MODULE_LICENSE.
		const written = readFileSync(fixFile, 'utf8');
		assert.equal(
			written,
			fixOriginal.replace('MODULE_LICENSE("Proprietary");\n', `MODULE_LICENSE("Proprietary");\n${FIX_LINE}\n`),
		);
	});

	await t.test('after the fix: the namespace diagnostics are gone, the GPL one stays', () => {
		assert.ok(record.after_arrived, 'no diagnostics for the edited buffer within 10 s');
		const left = expectedAt(FIX_FILE, FIX_DRIVER).filter((e) => e.code !== 'missing-namespace-import');
		assert.ok(left.length > 0);
		assert.deepEqual(
			record.after_diagnostics.map((d) => ({ line: d.lnum + 1, code: d.code })),
			left.map((e) => ({ line: e.line, code: e.code })),
		);
	});

	await t.test('shutdown: the server exits with 0 and nothing is left running', () => {
		assert.equal(record.server_exit?.code, 0, `server exit: ${JSON.stringify(record.server_exit)}`);
		assert.deepEqual(run.leftovers, [], 'processes of the editor outlived it');
	});
}
