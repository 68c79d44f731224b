/**
 * Whether a module may link against an export, decided once as modpost decides it: the
 * license for GPL-only exports, MODULE_IMPORT_NS for namespaced ones, the module list of an
 * export made for some modules only. The checks, the hover and the quick fixes all ask here.
 */
import type { ModuleContext } from './checks/types';
import type { ExportRecord, KernelIndex } from './kernel/index';
import { isGplCompatible } from './knowledge/licenses';
import { moduleList, moduleListed, moduleListInTreeOnly } from './knowledge/namespaces';
import { isOwnExport } from './uses';

export type ModuleLicense = ModuleContext['licenses'][number];

/**
 * The license that makes the module GPL-incompatible for modpost: any one of its
 * MODULE_LICENSEs is enough. One behind a macro nobody resolves is unknown, not incompatible;
 * a module without any is refused for that (missing-module-license), not for GPL-only uses.
 */
export function incompatibleLicense(module: ModuleContext): ModuleLicense | undefined {
	return module.licenses.find((l) => l.macro === undefined && !isGplCompatible(l.license));
}

/** Where a module stands with an export's namespace. */
export type NamespaceStanding =
	| { kind: 'none' }
	| { kind: 'imported'; namespace: string }
	/** Its own export (reached through its own header): it links inside the module. */
	| { kind: 'own'; namespace: string }
	| { kind: 'missing'; namespace: string }
	/** Exported for the modules of `list` only, which names this one. */
	| { kind: 'listed'; list: string }
	/** Exported for the modules of `list` only: not this one, or (`outOfTree`) no module outside the tree. */
	| { kind: 'unlisted'; list: string; outOfTree: boolean };

export function namespaceStanding(exp: ExportRecord, module: ModuleContext, kernel: KernelIndex): NamespaceStanding {
	const ns = exp.namespace;
	if (!ns) return { kind: 'none' };
	const list = moduleList(ns);
	if (list !== undefined) {
		const outOfTree = moduleListInTreeOnly(kernel.version) && kernel.relativePath(module.kbuild.file) === undefined;
		return !outOfTree && moduleListed(list, module.name) ? { kind: 'listed', list } : { kind: 'unlisted', list, outOfTree };
	}
	if (module.imports.some((i) => i.namespace === ns)) return { kind: 'imported', namespace: ns };
	if (isOwnExport(module, kernel, exp)) return { kind: 'own', namespace: ns };
	return { kind: 'missing', namespace: ns };
}
