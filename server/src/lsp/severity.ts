/**
 * Per-check severity settings (`kmm.diagnostics.<code>`: error, warning, information, hint
 * or off). Unknown codes and values are ignored, so a typo never silences everything.
 */
import type { Finding } from '../engine/checks/types';
import type { Severity } from '../engine/types';

export type SeverityOverrides = Record<string, Severity | 'off'>;

const LEVELS = new Set(['error', 'warning', 'information', 'hint', 'off']);

export function readOverrides(value: unknown): SeverityOverrides {
	const out: SeverityOverrides = {};
	if (typeof value !== 'object' || value === null) return out;
	for (const [code, level] of Object.entries(value)) {
		if (typeof level === 'string' && LEVELS.has(level)) out[code] = level as Severity | 'off';
	}
	return out;
}

export function applyOverrides(findings: Finding[], overrides: SeverityOverrides): Finding[] {
	return findings.flatMap((f) => {
		const level = overrides[f.code];
		if (level === 'off') return [];
		return level ? [{ ...f, severity: level }] : [f];
	});
}
