/**
 * Hover and go-to-definition for kernel code: ZONE_DEVICE structs, fields, memory types,
 * ops and functions explained for the indexed kernel's version, export status of any
 * exported symbol, and MODULE_LICENSE verdicts. Pure functions of their input plus the
 * tree's headers, which kernel/structs.ts reads on demand and caches.
 */
import type { ModuleContext } from '../checks/types';
import type { KernelIndex } from '../kernel/index';
import { kernelDecls, type DeclSite, type KernelDecls } from '../headers/structs';
import { ZONE_DEVICE } from '../knowledge/zone-device';
import type { Tree } from '../syntax/parser';
import type { Location, Position, Range } from '../types';
import { fieldOwner, renderHover } from './hover';
import { targetAt, type Target } from './resolve';

export interface HoverInput {
	kernel: KernelIndex;
	/** The document's module (Engine.moduleOf); license and imports decide export verdicts. */
	module?: ModuleContext;
	/** The document's current tree, parsed from prepareSource(text) as the Engine does. */
	tree: Tree;
	/** The document's text as the user sees it (not the prepared text). */
	text: string;
	position: Position;
	/** Absolute path of the document. */
	file: string;
}

export interface Hover {
	markdown: string;
	/** The word or MODULE_LICENSE invocation the hover is about. */
	range: Range;
}

/**
 * The hover at `position`, or undefined when there is nothing kernel-specific to say.
 * Needs the document's tree and text, the kernel index, and the module when one is known
 * (without it, export verdicts cannot name a license). Reads family headers of the tree
 * on first use; later hovers on the same index only stat them.
 */
export function hoverAt(input: HoverInput): Hover | undefined {
	const decls = kernelDecls(input.kernel, input.tree.language);
	const target = targetAt(input.tree, input.text, input.position, decls);
	if (!target) return undefined;
	const markdown = renderHover(target, { ...input, decls });
	return markdown ? { markdown, range: target.range } : undefined;
}

/**
 * Where the thing at `position` is defined in the indexed tree: struct, union and enum
 * definitions, fields and enumerators of the family headers, macros, typedefs and header
 * functions, and for exported symbols the definition above the export in its .c file
 * (then any header declaration). Same input as hoverAt; empty when nothing is found.
 */
export function definitionAt(input: HoverInput): Location[] {
	const decls = kernelDecls(input.kernel, input.tree.language);
	const target = targetAt(input.tree, input.text, input.position, decls);
	if (!target) return [];
	return unique(definitionSites(target, decls, input).map((s) => decls.location(s)));
}

function definitionSites(target: Target, decls: KernelDecls, input: HoverInput): DeclSite[] {
	switch (target.kind) {
		case 'license':
			return [];
		case 'record': {
			const record = decls.record(target.tag);
			return record ? [record.site] : [];
		}
		case 'field': {
			const owner = fieldOwner(target.name, target.container);
			const field = owner && decls.record(owner.container)?.fields.get(target.name);
			return field ? [field.site] : [];
		}
		case 'symbol': {
			const name = target.name;
			const record = ZONE_DEVICE.get(name)?.kind === 'struct' ? decls.record(name) : undefined;
			if (record) return [record.site];
			const enumerator = decls.enumerator(name);
			if (enumerator) return [enumerator.site];
			if (input.module?.definitions.has(name)) return [];
			const sites: DeclSite[] = [];
			const exp = input.kernel.exportOf(name);
			if (exp) {
				const def = decls.sourceDefinition(exp);
				sites.push(def?.site ?? { file: exp.file, line: exp.line, character: exp.character, length: 0 });
			}
			const others = decls.declarations(name);
			// Bodies and macros before prototypes: a prototype is where to look last.
			for (const d of others) if (d.kind !== 'prototype') sites.push(d.site);
			for (const d of others) if (d.kind === 'prototype') sites.push(d.site);
			return sites;
		}
	}
}

function unique(locations: Location[]): Location[] {
	const seen = new Set<string>();
	return locations.filter((l) => {
		const key = `${l.file}:${l.range.start.line}:${l.range.start.character}`;
		if (seen.has(key)) return false;
		seen.add(key);
		return true;
	});
}
