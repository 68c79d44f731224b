/**
 * Severity overrides, the same in every front end: a check's code → a severity or `off`.
 * They come from `.kmm.json` files (the kernel tree's, then the module's, nearer winning)
 * and from the front end (`kmm check --severity`, the `kmm.diagnostics` setting), which
 * wins over both. Unknown codes and levels are problems the front end reports, never
 * silently dropped: a typo must not look like a setting that took effect.
 */
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ALL_CODES } from './checks/index';
import type { Finding } from './checks/types';
import { identityKey, readBounded } from './read';
import type { Severity } from './types';

export type SeverityLevel = Severity | 'off';
export type SeverityOverrides = Readonly<Record<string, SeverityLevel>>;

/** The project settings file, looked for in the module's directory (and up) and the kernel tree. */
export const SETTINGS_FILE = '.kmm.json';

const LEVELS: readonly string[] = ['error', 'warning', 'information', 'hint', 'off'];
const CODES = new Set(ALL_CODES.map((c) => c.code));

export interface ParsedOverrides {
	overrides: SeverityOverrides;
	/** One line per entry that was not taken, naming `source`. */
	problems: string[];
}

/** One override, or the reason it is none. */
function checkEntry(code: string, level: unknown, source: string): string | undefined {
	if (!CODES.has(code)) return `${source}: unknown check '${code}' (known: ${[...CODES].join(', ')})`;
	if (typeof level !== 'string' || !LEVELS.includes(level)) {
		return `${source}: '${code}' must be one of ${LEVELS.join(', ')}, not ${JSON.stringify(level)}`;
	}
	return undefined;
}

/** `{"code": "level", ...}` as a setting or a file's `severity` holds it. */
export function parseOverrides(value: unknown, source: string): ParsedOverrides {
	const overrides: Record<string, SeverityLevel> = {};
	const problems: string[] = [];
	if (value === undefined || value === null) return { overrides, problems };
	if (typeof value !== 'object' || Array.isArray(value)) return { overrides, problems: [`${source}: expected an object of check codes to levels`] };
	for (const [code, level] of Object.entries(value)) {
		const problem = checkEntry(code, level, source);
		if (problem) problems.push(problem);
		else overrides[code] = level as SeverityLevel;
	}
	return { overrides, problems };
}

/** `code=level` pairs, as `kmm check --severity` takes them. */
export function parseOverridePairs(pairs: readonly string[], source: string): ParsedOverrides {
	const value: Record<string, string> = {};
	const problems: string[] = [];
	for (const pair of pairs) {
		const eq = pair.indexOf('=');
		if (eq <= 0) problems.push(`${source}: expected CODE=LEVEL, not '${pair}'`);
		else value[pair.slice(0, eq)] = pair.slice(eq + 1);
	}
	const parsed = parseOverrides(value, source);
	return { overrides: parsed.overrides, problems: [...problems, ...parsed.problems] };
}

/** Later layers win, code by code. */
export function mergeOverrides(...layers: SeverityOverrides[]): SeverityOverrides {
	return Object.assign({}, ...layers) as SeverityOverrides;
}

/** Findings as the overrides want them; switched-off ones are left out. */
export function applyOverrides(findings: readonly Finding[], overrides: SeverityOverrides): Finding[] {
	return findings.flatMap((f) => {
		const level = overrides[f.code];
		if (level === 'off') return [];
		return level ? [{ ...f, severity: level }] : [f];
	});
}

/**
 * The `.kmm.json` files that apply to a file: the kernel tree's, then the nearest one in the
 * file's directory or above (up to the kernel tree, or the file system's root for a module
 * outside it). Each file is re-read when its size or mtime changes.
 */
export class ProjectSettings {
	private readonly files = new Map<string, { key: string; parsed: ParsedOverrides }>();

	/** The overrides `.kmm.json` files give `file` (kernel tree first, nearer files win). */
	overridesFor(file: string, kernelRoot?: string): ParsedOverrides {
		const layers: ParsedOverrides[] = [];
		const fromTree = kernelRoot === undefined ? undefined : this.read(join(kernelRoot, SETTINGS_FILE));
		if (fromTree) layers.push(fromTree);
		const near = this.nearest(dirname(file), kernelRoot);
		if (near && near !== fromTree) layers.push(near);
		return {
			overrides: mergeOverrides(...layers.map((l) => l.overrides)),
			problems: layers.flatMap((l) => l.problems),
		};
	}

	private nearest(dir: string, stopAt?: string): ParsedOverrides | undefined {
		for (let d = dir; ; d = dirname(d)) {
			const found = this.read(join(d, SETTINGS_FILE));
			if (found) return found;
			if (d === stopAt || d === dirname(d)) return undefined;
		}
	}

	private read(path: string): ParsedOverrides | undefined {
		let key: string;
		try {
			key = identityKey(statSync(path));
		} catch {
			this.files.delete(path);
			return undefined;
		}
		const cached = this.files.get(path);
		if (cached?.key === key) return cached.parsed;
		const read = readBounded(path, 'settings');
		if (!('data' in read)) return { overrides: {}, problems: [`${path}: ${read.skipped}`] };
		let parsed: ParsedOverrides;
		try {
			const json: unknown = JSON.parse(read.data.toString('utf8'));
			parsed =
				typeof json === 'object' && json !== null && !Array.isArray(json)
					? parseOverrides((json as { severity?: unknown }).severity, path)
					: { overrides: {}, problems: [`${path}: expected a JSON object such as {"severity": {"removed-api": "warning"}}`] };
		} catch (err) {
			parsed = { overrides: {}, problems: [`${path}: ${err instanceof Error ? err.message : String(err)}`] };
		}
		this.files.set(path, { key, parsed });
		return parsed;
	}
}
