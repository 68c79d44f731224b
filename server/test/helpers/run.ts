/** Runs the bundled CLI and captures what it prints. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KMM } from './paths';

export interface RunResult {
	status: number | null;
	stdout: string;
	stderr: string;
}

/** `timeout` (ms, default 60 s): a run that hangs ends with status null. */
export function kmm(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {}): RunResult {
	const r = spawnSync(process.execPath, [KMM, ...args], {
		cwd: options.cwd,
		// Each run gets its own index cache unless the test says otherwise.
		env: { ...process.env, KDIR: '', XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'kmm-cli-cache-')), ...options.env },
		encoding: 'utf8',
		timeout: options.timeout ?? 60_000,
	});
	return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
