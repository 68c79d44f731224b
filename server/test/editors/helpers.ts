/**
 * Shared by the real-editor tests: finding the editor, skipping loudly when it is missing
 * (failing instead under KMM_REAL_EDITORS=required), copying fixture drivers into a temp
 * dir, and running an editor as its own process group so nothing it started outlives it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { DRIVERS } from '../helpers/paths';

export const INSTALL_HINT = 'scripts/install-editors.sh';

/** The editor's path on PATH, or undefined. */
export function which(binary: string): string | undefined {
	const r = spawnSync('sh', ['-c', `command -v ${binary}`], { encoding: 'utf8' });
	const path = r.stdout.trim();
	return r.status === 0 && path ? path : undefined;
}

/**
 * True when the test may go on. When the editor is missing it fails under
 * KMM_REAL_EDITORS=required, else marks the test skipped and says so on stderr.
 */
export function requireEditor(t: TestContext, what: string, present: boolean, missing: string): boolean {
	if (present) return true;
	const message = `${what}: ${missing}; install it with ${INSTALL_HINT}`;
	if (process.env.KMM_REAL_EDITORS === 'required') assert.fail(`${message} (KMM_REAL_EDITORS=required)`);
	process.stderr.write(`\n*** SKIPPED ${message} ***\n\n`);
	t.skip(message);
	return false;
}

/** A temp dir with copies of fixture drivers (test-fixtures/drivers/NAME → DIR/NAME). */
export function copyDrivers(...names: string[]): { dir: string; cleanup: () => void } {
	const dir = mkdtempSync(join(tmpdir(), 'kmm-editor-'));
	for (const name of names) cpSync(join(DRIVERS, name), join(dir, basename(name)), { recursive: true });
	return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface EditorRun {
	code: number | null;
	signal: NodeJS.Signals | null;
	timedOut: boolean;
	ms: number;
	stdout: string;
	stderr: string;
	/** Processes of the editor's group still alive when it exited (killed afterwards). */
	leftovers: string[];
	/** The driver's JSON record, or undefined when it wrote none. */
	record: unknown;
}

function groupMembers(pgid: number): string[] {
	const r = spawnSync('ps', ['-o', 'pid=,args=', '-g', String(pgid)], { encoding: 'utf8' });
	return r.stdout
		.split('\n')
		.map((l) => l.trim())
		.filter(Boolean);
}

/**
 * Runs an editor in its own process group, waits for it (at most timeoutMs), then kills
 * whatever of the group is left and reports it. Reads the driver's JSON record from `out`.
 */
export async function runEditor(
	command: string,
	args: string[],
	options: { cwd: string; env: NodeJS.ProcessEnv; out: string; timeoutMs: number },
): Promise<EditorRun> {
	const started = Date.now();
	const child = spawn(command, args, {
		cwd: options.cwd,
		env: options.env,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const pgid = child.pid!;
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
	child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		try {
			process.kill(-pgid, 'SIGKILL');
		} catch {
			/* already gone */
		}
	}, options.timeoutMs);
	const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
		child.on('error', reject);
		child.on('close', (c, s) => resolve([c, s]));
	});
	clearTimeout(timer);
	const ms = Date.now() - started;
	// The server is the editor's child in the same group; anything still there outlived it.
	let leftovers = groupMembers(pgid);
	if (leftovers.length > 0) {
		// Give a server that is exiting a moment, then kill what is left.
		await new Promise((resolve) => setTimeout(resolve, 500));
		leftovers = groupMembers(pgid);
		try {
			process.kill(-pgid, 'SIGKILL');
		} catch {
			/* gone */
		}
	}
	let record: unknown;
	if (existsSync(options.out)) {
		try {
			record = JSON.parse(readFileSync(options.out, 'utf8'));
		} catch {
			record = undefined;
		}
	}
	return { code, signal, timedOut, ms, stdout, stderr, leftovers, record };
}

/** A one-paragraph account of a run for assertion messages. */
export function describeRun(run: EditorRun): string {
	return [
		`exit ${run.code ?? run.signal}${run.timedOut ? ' (timed out, killed)' : ''} after ${run.ms} ms`,
		run.stderr.trim() && `stderr: ${run.stderr.trim().slice(-2000)}`,
		run.stdout.trim() && `stdout: ${run.stdout.trim().slice(-2000)}`,
		`record: ${JSON.stringify(run.record)?.slice(0, 4000)}`,
	]
		.filter(Boolean)
		.join('\n');
}
