/** The name table behind the call graph's name ids: every name found, none invented, across growth. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NameTable } from '../../src/engine/kernel/name-table';
import { SiteTable } from '../../src/engine/kernel/headerscan';

test('NameTable: ids of restored and interned names, across growth', () => {
	const restored = Array.from({ length: 3000 }, (_, k) => `fn_${k}`);
	const table = new NameTable([...restored]);
	restored.forEach((name, k) => assert.equal(table.get(name), k));
	assert.equal(table.get('fn_3000'), undefined);
	assert.equal(table.get(''), undefined);
	// Interning grows the table past its first slot count; old and new ids stay put.
	for (let k = 3000; k < 9000; k++) assert.equal(table.intern(`fn_${k}`), k);
	assert.equal(table.intern('fn_17'), 17);
	assert.equal(table.names.length, 9000);
	for (let k = 0; k < 9000; k += 7) assert.equal(table.get(`fn_${k}`), k);
	assert.equal(table.get('fn_9000'), undefined);
});

test('NameTable: a table restored from its slots answers as the one that made them, and keeps growing', () => {
	const names = Array.from({ length: 5000 }, (_, k) => `sym_${k}`);
	const made = new NameTable([...names]);
	const restored = new NameTable([...names], made.slotArray.slice());
	for (let k = 0; k < 5000; k += 3) assert.equal(restored.get(`sym_${k}`), k);
	assert.equal(restored.get('sym_5000'), undefined);
	for (let k = 5000; k < 12000; k++) assert.equal(restored.intern(`sym_${k}`), k);
	assert.equal(restored.get('sym_11999'), 11999);
	// Slots sized for another number of names are not trusted: the table is hashed again.
	const other = new NameTable([...names, ...Array.from({ length: 5000 }, (_, k) => `more_${k}`)], made.slotArray.slice());
	assert.equal(other.get('more_4999'), 9999);
});

test('SiteTable.reserve: a presized table answers as a grown one', () => {
	const grown = new SiteTable();
	const reserved = new SiteTable();
	reserved.reserve(4000);
	for (const t of [grown, reserved]) {
		for (let f = 0; f < 40; f++) {
			const names = Array.from({ length: 100 }, (_, k) => `M_${(f * 37 + k) % 2500}`);
			t.add(`include/f${f}.h`, names.join('\n'), Int32Array.from(names, (_, k) => k + 1));
		}
	}
	for (let k = 0; k < 2600; k += 13) assert.deepEqual(reserved.sites(`M_${k}`), grown.sites(`M_${k}`));
	assert.equal(reserved.has('M_2500'), false);
	assert.ok(reserved.sites('M_0').length > 0);
});
