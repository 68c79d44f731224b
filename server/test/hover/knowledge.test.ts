import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseKernelVersion, compareVersion, type KernelVersion } from '../../src/engine/version';
import { existsIn, fieldsIn, memoryTypesIn, ZONE_DEVICE, type ZoneDeviceEntry } from '../../src/engine/knowledge/zone-device';

function v(s: string): KernelVersion {
	const [a, b, c = '0'] = s.split('.');
	return parseKernelVersion(`VERSION = ${a}\nPATCHLEVEL = ${b}\nSUBLEVEL = ${c}\n`)!;
}

function entry(key: string): ZoneDeviceEntry {
	const e = ZONE_DEVICE.get(key);
	assert.ok(e, key);
	return e;
}

const sorted = (xs: string[]) => [...xs].sort();

// kernel-facts.md, "struct dev_pagemap over time": one row per version.
const PAGEMAP_ROWS: [string, string[]][] = [
	['4.16', ['page_fault', 'page_free', 'altmap', 'altmap_valid', 'res', 'ref', 'dev', 'data', 'type']],
	['4.19', ['page_fault', 'page_free', 'altmap', 'altmap_valid', 'res', 'ref', 'dev', 'data', 'type']],
	['5.0', ['page_free', 'altmap', 'altmap_valid', 'res', 'ref', 'kill', 'dev', 'data', 'type', 'pci_p2pdma_bus_offset']],
	['5.3', ['altmap', 'res', 'ref', 'internal_ref', 'done', 'dev', 'type', 'flags', 'pci_p2pdma_bus_offset', 'ops']],
	['5.4', ['altmap', 'res', 'ref', 'internal_ref', 'done', 'type', 'flags', 'ops']],
	['5.8', ['altmap', 'res', 'ref', 'internal_ref', 'done', 'type', 'flags', 'ops', 'owner']],
	['5.10', ['altmap', 'ref', 'internal_ref', 'done', 'type', 'flags', 'ops', 'owner', 'nr_range', 'range', 'ranges']],
	['5.19', ['altmap', 'ref', 'done', 'type', 'flags', 'vmemmap_shift', 'ops', 'owner', 'nr_range', 'range', 'ranges']],
	['6.1', ['altmap', 'ref', 'done', 'type', 'flags', 'vmemmap_shift', 'ops', 'owner', 'nr_range', 'range', 'ranges']],
];

test('struct dev_pagemap has the fields of each version in kernel-facts.md', () => {
	for (const [version, fields] of PAGEMAP_ROWS) {
		assert.deepEqual(sorted(fieldsIn('dev_pagemap', v(version))), sorted(fields), version);
	}
});

test('altmap_valid became the PGMAP_ALTMAP_VALID flag in 5.3', () => {
	assert.ok(existsIn(entry('dev_pagemap.altmap_valid'), v('5.2')));
	assert.ok(!existsIn(entry('PGMAP_ALTMAP_VALID'), v('5.2')));
	assert.ok(!existsIn(entry('dev_pagemap.altmap_valid'), v('5.3')));
	assert.ok(existsIn(entry('PGMAP_ALTMAP_VALID'), v('5.3')));
	assert.ok(existsIn(entry('dev_pagemap.flags'), v('5.3')));
	assert.match(entry('dev_pagemap.altmap_valid').replacement!, /PGMAP_ALTMAP_VALID/);
});

test('res became range/nr_range in 5.10', () => {
	assert.ok(existsIn(entry('dev_pagemap.res'), v('5.9')));
	assert.ok(!existsIn(entry('dev_pagemap.range'), v('5.9')));
	assert.ok(!existsIn(entry('dev_pagemap.res'), v('5.10')));
	for (const f of ['range', 'ranges', 'nr_range']) assert.ok(existsIn(entry(`dev_pagemap.${f}`), v('5.10')), f);
});

test('enum memory_type values per version', () => {
	const names = (version: string) => memoryTypesIn(v(version)).map((e) => `${e.name.replace('MEMORY_DEVICE_', '')}=${e.value}`);
	assert.deepEqual(names('4.19'), ['PRIVATE=1', 'PUBLIC=2', 'FS_DAX=3']);
	assert.deepEqual(names('5.0'), ['PRIVATE=1', 'PUBLIC=2', 'FS_DAX=3', 'PCI_P2PDMA=4']);
	assert.deepEqual(names('5.3'), ['PRIVATE=1', 'FS_DAX=2', 'DEVDAX=3', 'PCI_P2PDMA=4']);
	assert.deepEqual(names('5.10'), ['PRIVATE=1', 'FS_DAX=2', 'GENERIC=3', 'PCI_P2PDMA=4']);
	assert.deepEqual(names('6.1'), ['PRIVATE=1', 'COHERENT=2', 'FS_DAX=3', 'GENERIC=4', 'PCI_P2PDMA=5']);
});

test('dev_pagemap_ops members: 5.3 and 6.1', () => {
	assert.deepEqual(sorted(fieldsIn('dev_pagemap_ops', v('5.3'))), sorted(['page_free', 'kill', 'cleanup', 'migrate_to_ram']));
	assert.deepEqual(sorted(fieldsIn('dev_pagemap_ops', v('6.1'))), sorted(['page_free', 'migrate_to_ram', 'memory_failure']));
	assert.deepEqual(fieldsIn('dev_pagemap_ops', v('5.2')), []);
});

test('struct vmem_altmap: end_pfn from 5.4, inaccessible from 6.8', () => {
	assert.deepEqual(sorted(fieldsIn('vmem_altmap', v('4.19'))), sorted(['base_pfn', 'reserve', 'free', 'align', 'alloc']));
	assert.deepEqual(sorted(fieldsIn('vmem_altmap', v('5.4'))), sorted(['base_pfn', 'end_pfn', 'reserve', 'free', 'align', 'alloc']));
	assert.ok(fieldsIn('vmem_altmap', v('6.8')).includes('inaccessible'));
	assert.ok(!fieldsIn('vmem_altmap', v('6.7')).includes('inaccessible'));
	assert.ok(entry('vmem_altmap').summary.includes('memmap'));
});

test('the old hmm_devmem API: gone in 5.3, hmm_devmem_remove already in 5.0; replacements named', () => {
	for (const name of ['hmm_devmem_add', 'hmm_devmem_add_resource', 'hmm_devmem_page_get_drvdata', 'hmm_devmem_page_set_drvdata', 'hmm_devmem', 'hmm_devmem_ops']) {
		assert.ok(existsIn(entry(name), v('5.2')), name);
		assert.ok(!existsIn(entry(name), v('5.3')), name);
		assert.ok(entry(name).replacement, name);
	}
	assert.ok(!existsIn(entry('hmm_devmem_remove'), v('5.0')));
	assert.match(entry('hmm_devmem_add').replacement!, /devm_request_free_mem_region/);
	assert.match(entry('hmm_devmem_page_get_drvdata').replacement!, /zone_device_data/);
	assert.match(entry('hmm_devmem_ops.fault').replacement!, /migrate_to_ram/);
	assert.match(entry('hmm_devmem_ops.free').replacement!, /page_free/);
	assert.ok(existsIn(entry('memremap_pages'), v('5.4')) && !existsIn(entry('memremap_pages'), v('5.3')));
});

test('every entry has a source, and since comes before until', () => {
	for (const [key, e] of ZONE_DEVICE) {
		assert.ok(e.source.length > 0, key);
		assert.ok(e.summary.length > 0, key);
		if (e.since && e.until) assert.ok(compareVersion(v(e.since), e.until) < 0, key);
		for (const n of e.notes ?? []) if (n.since && n.until) assert.ok(compareVersion(v(n.since), n.until) < 0, key);
	}
});
