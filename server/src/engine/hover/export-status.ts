/**
 * Whether a module may link against an export, in modpost's terms: the license decides
 * GPL-only exports, MODULE_IMPORT_NS decides namespaced ones, and built-in code is checked
 * for neither.
 */
import { basename } from 'node:path';
import type { ModuleContext } from '../checks/types';
import type { ExportRecord } from '../kernel/index';
import { compareVersion, type KernelVersion } from '../version';
import { isGplCompatible } from '../knowledge/licenses';

export interface ExportVerdict {
	/** Undefined when no module is known (the file is not built by any Kbuild file). */
	allowed?: boolean;
	/** One sentence: may this module use it, and why. */
	verdict: string;
	/** What else applies (namespace import, how modpost words the error). */
	details: string[];
}

export function exportKind(exp: ExportRecord): string {
	const gpl = exp.gplOnly ? 'GPL-only' : 'plain';
	return exp.namespace ? `${gpl} export in namespace \`${exp.namespace}\`` : `${gpl} export`;
}

export function exportVerdict(exp: ExportRecord, module: ModuleContext | undefined, version?: KernelVersion): ExportVerdict {
	if (!module) {
		return {
			verdict: exp.gplOnly
				? 'only modules with a GPL-compatible license may use it (no Kbuild file builds this file, so its module is unknown).'
				: exp.namespace
					? 'any module that imports its namespace may use it (no Kbuild file builds this file).'
					: 'any module may use it.',
			details: [],
		};
	}
	if (module.kind === 'builtin') {
		return { allowed: true, verdict: 'built-in code: no license check (linked into vmlinux).', details: [] };
	}
	const ko = `${module.name}.ko`;
	const details: string[] = [];
	let allowed = true;
	const reasons: string[] = [];
	if (exp.gplOnly) {
		const bad = module.licenses.find((l) => !isGplCompatible(l.license));
		if (module.licenses.length === 0) {
			allowed = false;
			reasons.push('the module has no `MODULE_LICENSE()`');
			details.push(`modpost: "missing MODULE_LICENSE() in ${ko.replace(/\.ko$/, '.o')}"; without a GPL-compatible license it may not use GPL-only exports.`);
		} else if (bad) {
			allowed = false;
			reasons.push(`\`MODULE_LICENSE("${bad.license}")\` is not GPL-compatible`);
			details.push(`modpost: "GPL-incompatible module ${ko} uses GPL-only symbol '${exp.symbol}'".`);
		} else {
			reasons.push(`\`MODULE_LICENSE("${module.licenses[0].license}")\` is GPL-compatible`);
		}
	}
	const ns = exp.namespace;
	if (ns?.startsWith('module:')) {
		const listed = ns.slice('module:'.length).split(',').some((glob) => globMatch(glob.trim(), basename(module.name)));
		if (!listed) allowed = false;
		reasons.push(listed ? `\`${module.name}\` is among the modules it is exported for` : `it is exported only for \`${ns.slice(7)}\``);
	} else if (ns) {
		const imported = module.imports.some((i) => i.namespace === ns);
		if (imported) reasons.push(`the module imports \`${ns}\``);
		else {
			allowed = false;
			const quoted = version && compareVersion(version, '6.13') >= 0;
			reasons.push(`the module does not import \`${ns}\``);
			details.push(
				`Add \`MODULE_IMPORT_NS(${quoted ? `"${ns}"` : ns})\`; modpost: "module ${module.name} uses symbol ${exp.symbol} from namespace ${ns}, but does not import it."`,
			);
		}
	}
	const who = `${ko}${module.kind === 'maybe-module' ? ' (a module when its option is =m)' : ''}`;
	const why = reasons.length > 0 ? `: ${reasons.join('; ')}` : '';
	return {
		allowed,
		verdict: allowed ? `${who} may use it${why || ' (any module may)'}.` : `${who} may **not** use it${why}.`,
		details,
	};
}

/** modpost's glob for EXPORT_SYMBOL_FOR_MODULES lists: `*` at the tail only. */
function globMatch(glob: string, name: string): boolean {
	return glob.endsWith('*') ? name.startsWith(glob.slice(0, -1)) : glob === name;
}
