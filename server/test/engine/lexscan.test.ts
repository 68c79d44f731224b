import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blankComments, scanFile } from '../../src/engine/kernel/lexscan';

test('blankComments keeps offsets and newlines, leaves strings alone', () => {
	const src = 'a /* x\ny */ b // c\n"/* not a comment */" \'/\'';
	const out = blankComments(src);
	assert.equal(out.length, src.length);
	assert.equal(out.split('\n').length, src.split('\n').length);
	assert.equal(out, 'a     \n     b     \n"/* not a comment */" \'/\'');
});

test('every export macro family is recognised with GPL-ness and namespace', () => {
	const meta = scanFile(
		[
			'EXPORT_SYMBOL(plain_fn);',
			'EXPORT_SYMBOL_GPL(gpl_fn);',
			'EXPORT_SYMBOL_GPL_FUTURE(future_fn);',
			'EXPORT_UNUSED_SYMBOL_GPL(unused_fn);',
			'EXPORT_SYMBOL_NS(ns_fn, DMA_BUF);',
			'EXPORT_SYMBOL_NS_GPL(ns_gpl_fn, "CXL");',
			'EXPORT_SYMBOL_GPL_FOR_MODULES(kvm_fn, "kvm,kvm-*");',
			'EXPORT_SYMBOL_IF_KUNIT(kunit_fn);',
			'EXPORT_TRACEPOINT_SYMBOL_GPL(mm_event);',
			'EXPORT_STATIC_CALL_TRAMP(pv_fn);',
			'\tEXPORT_PER_CPU_SYMBOL(cpu_var);',
		].join('\n'),
	);
	const byName = new Map(meta.exports.map((e) => [e.name, e]));
	assert.equal(byName.get('plain_fn')?.gplOnly, false);
	assert.equal(byName.get('gpl_fn')?.gplOnly, true);
	assert.equal(byName.get('future_fn')?.gplOnly, false);
	assert.equal(byName.get('unused_fn')?.gplOnly, true);
	assert.equal(byName.get('ns_fn')?.namespace, 'DMA_BUF');
	assert.equal(byName.get('ns_gpl_fn')?.namespace, 'CXL');
	assert.equal(byName.get('ns_gpl_fn')?.gplOnly, true);
	assert.equal(byName.get('kvm_fn')?.namespace, 'module:kvm,kvm-*');
	assert.equal(byName.get('kunit_fn')?.namespace, 'EXPORTED_FOR_KUNIT_TESTING');
	assert.deepEqual(byName.get('mm_event')?.symbols, ['__tracepoint_mm_event', '__traceiter_mm_event', '__SCK__tp_func_mm_event']);
	assert.deepEqual(byName.get('pv_fn')?.symbols, ['__SCT__pv_fn']);
	assert.equal(byName.get('cpu_var')?.range.start.line, 10);
	assert.equal(byName.get('cpu_var')?.range.start.character, 1);
});

test('exports in comments, unknown macros and macro definitions do not count', () => {
	const meta = scanFile(
		[
			'/* EXPORT_SYMBOL_GPL(in_block_comment); */',
			'// EXPORT_SYMBOL(in_line_comment);',
			'MY_EXPORT_SYMBOL(wrapped);',
			'EXPORT_SYMBOL_BOGUS(unknown_macro);',
			'#define EXPORT_SYMBOL(sym) __EXPORT_SYMBOL(sym, "")',
			'EXPORT_SYMBOL(real);',
		].join('\n'),
	);
	assert.deepEqual(
		meta.exports.map((e) => e.name),
		['real'],
	);
	assert.equal(meta.exports[0].range.start.line, 5);
});

test('licenses, namespace imports (both spellings) and a DEFAULT_SYMBOL_NAMESPACE define', () => {
	const meta = scanFile(
		[
			'#define DEFAULT_SYMBOL_NAMESPACE USB_STORAGE',
			'#include <linux/module.h>',
			'/* MODULE_LICENSE("GPL"); */',
			'MODULE_LICENSE("Proprietary");',
			'MODULE_IMPORT_NS(DMA_BUF);',
			'MODULE_IMPORT_NS("CXL");',
		].join('\n'),
	);
	assert.deepEqual(
		meta.licenses.map((l) => [l.license, l.range.start.line]),
		[['Proprietary', 3]],
	);
	assert.deepEqual(
		meta.imports.map((i) => [i.namespace, i.quoted]),
		[
			['DMA_BUF', false],
			['CXL', true],
		],
	);
	assert.equal(meta.defaultNamespace, 'USB_STORAGE');
});

test('a file with nothing of interest is not scanned at all', () => {
	assert.deepEqual(scanFile('int main(void) { return 0; }\n'), { exports: [], licenses: [], imports: [] });
});
