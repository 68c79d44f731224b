/**
 * Reads a fixture driver's EXPECTED file: one finding a line, `FILE:LINE CODE SYMBOL`,
 * or `none`. A code that no check has is an error.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_CHECKS } from '../../src/engine/checks/index';

export interface ExpectedFinding {
	file: string;
	line: number;
	code: string;
	symbol?: string;
}

const IMPLEMENTED = new Set(ALL_CHECKS.map((c) => c.meta.code));

export function expectedFindings(driverDir: string): ExpectedFinding[] {
	const out: ExpectedFinding[] = [];
	for (const raw of readFileSync(join(driverDir, 'EXPECTED'), 'utf8').split('\n')) {
		const line = raw.replace(/#.*/, '').trim();
		if (!line || line === 'none') continue;
		const m = /^(\S+):(\d+)\s+(\S+)(?:\s+(\S+))?/.exec(line);
		if (!m) throw new Error(`${driverDir}/EXPECTED: cannot read '${raw}'`);
		// A code no check has is a typo in the fixture, not a finding to skip.
		if (!IMPLEMENTED.has(m[3])) throw new Error(`${driverDir}/EXPECTED: unknown code '${m[3]}' in '${raw}'`);
		out.push({ file: m[1], line: Number(m[2]), code: m[3], symbol: m[4] });
	}
	return out;
}

export function implementedCodes(): ReadonlySet<string> {
	return IMPLEMENTED;
}
