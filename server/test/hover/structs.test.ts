import { test } from 'node:test';
import assert from 'node:assert/strict';
import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildKernelIndex } from '../../src/engine/kernel/build';
import { KernelDecls } from '../../src/engine/headers/structs';
import { createCParser } from '../../src/engine/syntax/parser';
import { MODERN, V419 } from '../helpers/paths';
import { writeModule } from '../helpers/module';

async function declsOf(root: string): Promise<KernelDecls> {
	const parser = await createCParser();
	return new KernelDecls(buildKernelIndex(root), parser.language!);
}

test('reads dev_pagemap, enum values and comments from each era\'s header', async () => {
	const modern = await declsOf(MODERN);
	const pgmap = modern.record('dev_pagemap')!;
	assert.deepEqual([...pgmap.fields.keys()], ['altmap', 'ref', 'done', 'type', 'flags', 'vmemmap_shift', 'ops', 'owner', 'nr_range', 'range', 'ranges']);
	assert.equal(pgmap.fields.get('range')!.nested, true);
	assert.deepEqual(pgmap.fields.get('altmap')!.type, { kind: 'struct', tag: 'vmem_altmap' });
	assert.equal(pgmap.fields.get('owner')!.comment, 'driver cookie for migration and hmm');
	assert.equal(modern.enumerator('MEMORY_DEVICE_PCI_P2PDMA')!.value, 5);
	assert.equal(modern.enumerator('MEMORY_DEVICE_PRIVATE')!.comment, 'not addressable by the CPU; pages are migrated back to RAM when the CPU touches them.');
	assert.equal(modern.declarations('PGMAP_ALTMAP_VALID')[0].kind, 'macro');
	assert.equal(modern.declarations('put_dev_pagemap')[0].kind, 'function');
	const old = await declsOf(V419);
	assert.deepEqual([...old.record('dev_pagemap')!.fields.keys()], ['page_fault', 'page_free', 'altmap', 'altmap_valid', 'res', 'ref', 'dev', 'data', 'type']);
	assert.equal(old.enumerator('MEMORY_DEVICE_FS_DAX')!.value, 3);
	assert.equal(old.enumerator('MEMORY_DEVICE_COHERENT'), undefined);
	assert.deepEqual([...old.record('hmm_devmem_ops')!.fields.keys()], ['free', 'fault']);
});

test('a changed header is read again; an unchanged one is not', async () => {
	const root = writeModule({
		Makefile: 'VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\n',
		'include/linux/memremap.h': 'struct dev_pagemap {\n\tint type;\n};\n',
	});
	const decls = await declsOf(root);
	const first = decls.record('dev_pagemap')!;
	assert.deepEqual([...first.fields.keys()], ['type']);
	assert.equal(decls.record('dev_pagemap'), first, 'cached');
	const header = join(root, 'include/linux/memremap.h');
	writeFileSync(header, 'struct dev_pagemap {\n\tint type;\n\tvoid *owner;\n};\n');
	utimesSync(header, new Date(), new Date(Date.now() + 5000));
	assert.deepEqual([...decls.record('dev_pagemap')!.fields.keys()], ['type', 'owner']);
});

test('members under #ifdef are members: a struct is read with every branch', async () => {
	const root = writeModule({
		Makefile: 'VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\n',
		'include/linux/memremap.h':
			'struct dev_pagemap {\n\tint type;\n#ifdef CONFIG_X\n\tvoid *owner;\n#else\n\tlong cookie;\n#endif\n\tint nr_range;\n};\n',
	});
	const decls = await declsOf(root);
	assert.deepEqual([...decls.record('dev_pagemap')!.fields.keys()], ['type', 'owner', 'cookie', 'nr_range']);
});

test('the definition of an export is the unindented line above it that names it', async () => {
	const modern = await declsOf(MODERN);
	const exp = modern.kernel.exportOf('devm_memremap_pages')!;
	const def = modern.sourceDefinition(exp)!;
	assert.ok(def.site.line < exp.line);
	assert.match(def.signature, /^void \*devm_memremap_pages\(struct device \*dev, struct dev_pagemap \*pgmap\)$/);
	const key = modern.kernel.exportOf('devmap_managed_key')!;
	assert.match(modern.sourceDefinition(key)!.signature, /DEFINE_STATIC_KEY_FALSE\(devmap_managed_key\)/);
});

test('a DECLARE_FLEX_ARRAY member (6.x headers) is a field of its record', async () => {
	const root = writeModule({
		Makefile: 'VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 0\n',
		'include/linux/memremap.h':
			'/**\n * struct dev_pagemap - a map\n * @ranges: array of ranges to be mapped when nr_range > 1\n */\n' +
			'struct dev_pagemap {\n\tint nr_range;\n\tunion {\n\t\tstruct range range;\n\t\tDECLARE_FLEX_ARRAY(struct range, ranges);\n\t};\n};\n',
	});
	const pgmap = (await declsOf(root)).record('dev_pagemap')!;
	assert.deepEqual([...pgmap.fields.keys()], ['nr_range', 'range', 'ranges']);
	const ranges = pgmap.fields.get('ranges')!;
	assert.equal(ranges.text, 'DECLARE_FLEX_ARRAY(struct range, ranges);');
	assert.equal(ranges.nested, true);
	assert.deepEqual(ranges.type, { kind: 'struct', tag: 'range' });
	assert.equal(ranges.comment, 'array of ranges to be mapped when nr_range > 1');
	assert.deepEqual(ranges.site, { file: 'include/linux/memremap.h', line: 8, character: 35, length: 6 });
});
