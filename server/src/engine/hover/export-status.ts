/**
 * Whether a module may link against an export, in modpost's terms: the license decides
 * GPL-only exports, MODULE_IMPORT_NS decides namespaced ones, and built-in code is checked
 * for neither.
 */
import type { ModuleContext } from '../checks/types';
import { incompatibleLicense, namespaceStanding } from '../export-use';
import type { ExportRecord, KernelIndex } from '../kernel/index';
import { importSpelling } from '../knowledge/namespaces';
import { isOwnExport } from '../uses';

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

export function exportVerdict(exp: ExportRecord, module: ModuleContext | undefined, kernel: KernelIndex): ExportVerdict {
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
		const bad = incompatibleLicense(module);
		if (isOwnExport(module, kernel, exp)) {
			reasons.push('it is the module\'s own export');
		} else if (bad) {
			allowed = false;
			reasons.push(`\`MODULE_LICENSE("${bad.license}")\` is not GPL-compatible`);
			details.push(`modpost: "GPL-incompatible module ${ko} uses GPL-only symbol '${exp.symbol}'".`);
		} else if (module.licenses.length === 0) {
			allowed = false;
			reasons.push('the module has no `MODULE_LICENSE()`');
			details.push(`modpost: "missing MODULE_LICENSE() in ${ko.replace(/\.ko$/, '.o')}"; without a GPL-compatible license it may not use GPL-only exports.`);
		} else {
			const known = module.licenses.find((l) => l.macro === undefined);
			reasons.push(known ? `\`MODULE_LICENSE("${known.license}")\` is GPL-compatible` : `its license (\`${module.licenses[0].macro}\`) is not known here`);
		}
	}
	const standing = namespaceStanding(exp, module, kernel);
	switch (standing.kind) {
		case 'listed':
			reasons.push(`\`${module.name}\` is among the modules it is exported for`);
			break;
		case 'unlisted':
			allowed = false;
			reasons.push(standing.outOfTree ? `it is exported only for the in-tree modules \`${standing.list}\`` : `it is exported only for \`${standing.list}\``);
			break;
		case 'imported':
			reasons.push(`the module imports \`${standing.namespace}\``);
			break;
		case 'own':
			reasons.push(`it is the module's own export in \`${standing.namespace}\``);
			break;
		case 'missing': {
			allowed = false;
			const ns = standing.namespace;
			reasons.push(`the module does not import \`${ns}\``);
			details.push(
				`Add \`MODULE_IMPORT_NS(${importSpelling(ns, kernel.version)})\`; modpost: "module ${module.name} uses symbol ${exp.symbol} from namespace ${ns}, but does not import it."`,
			);
			break;
		}
		case 'none':
			break;
	}
	const who = `${ko}${module.kind === 'maybe-module' ? ' (a module when its option is =m)' : ''}`;
	const why = reasons.length > 0 ? `: ${reasons.join('; ')}` : '';
	return {
		allowed,
		verdict: allowed ? `${who} may use it${why || ' (any module may)'}.` : `${who} may **not** use it${why}.`,
		details,
	};
}
