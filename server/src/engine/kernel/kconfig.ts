/**
 * Kconfig symbol types. Only the type matters here: a `tristate` option may build its code
 * as a module, a `bool` one always links it into vmlinux. A symbol declared in several
 * places (arch Kconfigs do this) is tristate if any declaration is.
 */
export type KconfigType = 'bool' | 'tristate' | 'other';

const CONFIG_RE = /^[ \t]*(?:menu)?config[ \t]+([A-Za-z0-9_]+)[ \t]*$/;
const TYPE_RE = /^[ \t]*(bool|tristate|def_bool|def_tristate|string|hex|int)\b/;

export function parseKconfig(text: string, into: Map<string, KconfigType> = new Map()): Map<string, KconfigType> {
	let current: string | undefined;
	for (const line of text.split('\n')) {
		const c = CONFIG_RE.exec(line);
		if (c) {
			current = c[1];
			continue;
		}
		if (!current) continue;
		const t = TYPE_RE.exec(line);
		if (!t) continue;
		const type: KconfigType = t[1].endsWith('tristate') ? 'tristate' : t[1].endsWith('bool') ? 'bool' : 'other';
		if (into.get(current) !== 'tristate') into.set(current, type);
		current = undefined;
	}
	return into;
}

/** Values from a .config: `CONFIG_X=y|m|...`; `# CONFIG_X is not set` counts as unset. */
export function parseDotConfig(text: string): Map<string, string> {
	const values = new Map<string, string>();
	for (const m of text.matchAll(/^CONFIG_([A-Za-z0-9_]+)=(.*)$/gm)) values.set(m[1], m[2]);
	return values;
}
