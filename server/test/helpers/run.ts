/** Runs the bundled CLI and captures what it prints. */
import { spawnSync } from 'node:child_process';
import { KMM } from './paths';

export interface RunResult {
	status: number | null;
	stdout: string;
	stderr: string;
}

export function kmm(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): RunResult {
	const r = spawnSync(process.execPath, [KMM, ...args], {
		cwd: options.cwd,
		env: { ...process.env, KDIR: '', ...options.env },
		encoding: 'utf8',
		timeout: 60_000,
	});
	return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
