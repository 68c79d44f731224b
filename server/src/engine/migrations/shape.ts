/**
 * What the indexed kernel's ZONE_DEVICE API looks like, as far as a migration needs it: the
 * fields of struct dev_pagemap (read from the tree's own memremap.h when it has one, else
 * from knowledge/zone-device.ts for its version), the memory types, and whether the
 * replacements of the hmm_devmem API exist at all.
 *
 * Sources: kernel-facts.md "struct dev_pagemap over time" (res ≤5.9, range + nr_range
 * ≥5.10, owner ≥5.7/5.8, ops ≥5.3), "Migrating a caller" (devm_request_free_mem_region and
 * page->zone_device_data from 5.3), and "enum memory_type" (COHERENT from 6.0).
 */
import type { Language } from 'web-tree-sitter';
import { compareVersion, type KernelVersion } from '../version';
import type { KernelIndex } from '../kernel/index';
import { kernelDecls, type KernelDecls } from '../headers/structs';
import { fieldsIn, memoryTypesIn } from '../knowledge/zone-device';

export interface KernelShape {
	version?: KernelVersion;
	/** dev_pagemap has `ops` (5.3+): the driver-owned pagemap migration applies. */
	hasOps: boolean;
	/** `range` + `nr_range` (5.10+) rather than `struct resource res`. */
	hasRange: boolean;
	/** `owner` (5.7+); required for PRIVATE/COHERENT from 6.1. */
	hasOwner: boolean;
	/** enum memory_type's enumerators. */
	memoryTypes: Set<string>;
	/** ioport.h still has IORES_DESC_DEVICE_PUBLIC_MEMORY (gone with MEMORY_DEVICE_PUBLIC). */
	hasPublicDesc: boolean;
	/** Where the struct came from, for messages. */
	from: 'tree' | 'knowledge';
	/** struct dev_pagemap's members: the tree's, else the knowledge base's for its version. */
	pagemapFields: Set<string>;
	/** The tree's headers, for the types of expressions (headers/expr-types.ts); undefined when unreadable. */
	decls?: KernelDecls;
}

export function kernelShape(kernel: KernelIndex, language: Language): KernelShape {
	const version = kernel.version;
	let fields: Set<string> | undefined;
	let types: Set<string> | undefined;
	let publicDesc: boolean | undefined;
	let decls: KernelDecls | undefined;
	try {
		decls = kernelDecls(kernel, language);
		const record = decls.record('dev_pagemap');
		if (record && record.fields.size > 0) fields = new Set(record.fields.keys());
		const memType = decls.record('memory_type');
		if (memType && memType.enumerators.size > 0) types = new Set(memType.enumerators.keys());
		if (decls.record('ioport') !== undefined || decls.enumerator('IORES_DESC_NONE')) publicDesc = !!decls.enumerator('IORES_DESC_DEVICE_PUBLIC_MEMORY');
	} catch {
		fields = undefined;
	}
	const from = fields ? 'tree' : 'knowledge';
	fields ??= new Set(fieldsIn('dev_pagemap', version));
	types ??= new Set(memoryTypesIn(version).map((t) => t.name));
	return {
		version,
		hasOps: fields.has('ops') || (version !== undefined && compareVersion(version, '5.3') >= 0 && !fields.has('page_free')),
		hasRange: fields.has('range') && fields.has('nr_range'),
		hasOwner: fields.has('owner'),
		memoryTypes: types,
		hasPublicDesc: publicDesc ?? types.has('MEMORY_DEVICE_PUBLIC'),
		from,
		pagemapFields: fields,
		decls: from === 'tree' ? decls : undefined,
	};
}

/** `enum memory_type`'s closest match for the old MEMORY_DEVICE_PUBLIC (CPU-addressable, coherent). */
export function publicMemoryType(shape: KernelShape): string {
	for (const t of ['MEMORY_DEVICE_PUBLIC', 'MEMORY_DEVICE_COHERENT', 'MEMORY_DEVICE_GENERIC', 'MEMORY_DEVICE_DEVDAX']) {
		if (shape.memoryTypes.has(t)) return t;
	}
	return 'MEMORY_DEVICE_PRIVATE';
}
