import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandText, hasFacts, parseArgs, scanFile, substitute, type FileMeta } from '../../src/engine/kernel/lexscan';
import { collectExports } from '../../src/engine/kernel/exports';
import { blankComments } from '../../src/engine/lex';

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

/** Symbol → "GPL|plain [namespace] file:line" for a small tree given as path → text. */
function treeExports(files: Record<string, string>, withReader = true): Record<string, string> {
	const metas = new Map<string, FileMeta>();
	for (const [rel, text] of Object.entries(files)) {
		const meta = scanFile(text);
		if (hasFacts(meta)) metas.set(rel, meta);
	}
	const read = withReader ? (rel: string) => files[rel] : undefined;
	const out: Record<string, string> = {};
	for (const r of collectExports(metas, new Map(), read)) {
		out[r.symbol] = `${r.gplOnly ? 'GPL' : 'plain'}${r.namespace ? ` ${r.namespace}` : ''} ${r.file}:${r.line}`;
	}
	return out;
}

test('a file-local wrapper with token pasting exports one family per invocation', () => {
	const src = [
		'#define MAKE_ACCESSORS(kind, type)\t\t\\',
		'\ttype widget_get_##kind(void) { return 0; }\t\\',
		'\tEXPORT_SYMBOL(widget_get_##kind);\t\t\\',
		'\tEXPORT_SYMBOL_GPL(widget_set_ ## kind)',
		'MAKE_ACCESSORS(alpha, int);',
		'MAKE_ACCESSORS(beta, long);',
	].join('\n');
	// The wrapper's own body lines are a definition, not exports of `widget_get_##kind`.
	assert.deepEqual(scanFile(src).exports, []);
	assert.deepEqual(treeExports({ 'lib/widget.c': src }), {
		widget_get_alpha: 'plain lib/widget.c:4',
		widget_set_alpha: 'GPL lib/widget.c:4',
		widget_get_beta: 'plain lib/widget.c:5',
		widget_set_beta: 'GPL lib/widget.c:5',
	});
});

test('wrappers defined in headers apply tree-wide, through several layers and # stringification', () => {
	assert.deepEqual(
		treeExports({
			'drivers/frob/frob.h': '#define FROB_EXPORT(sym) EXPORT_SYMBOL_NS_GPL(sym, FROB)\n',
			'include/linux/things.h': [
				'#define _EXPORT_THING(name, sec, ns) __EXPORT_SYMBOL(name, sec, ns)',
				'#define EXPORT_NS_THING(name, ns) _EXPORT_THING(name, "_gpl", #ns)',
				'#define EXPORT_PLAIN_THING(name) _EXPORT_THING(name, "", "")',
			].join('\n'),
			'drivers/frob/core.c': 'FROB_EXPORT(frob_start);\nEXPORT_NS_THING(frob_ops, THINGS);\nEXPORT_PLAIN_THING(frob_table);\n',
			'drivers/other/main.c': 'UNKNOWN_EXPORT_THING(nobody_defines_me);\n',
		}),
		{
			frob_start: 'GPL FROB drivers/frob/core.c:0',
			frob_ops: 'GPL THINGS drivers/frob/core.c:1',
			frob_table: 'plain drivers/frob/core.c:2',
		},
	);
});

test("a tracepoint exports what the tree's own definition says, names may start with a digit", () => {
	const user = 'EXPORT_TRACEPOINT_SYMBOL_GPL(gizmo_event);\nEXPORT_TRACEPOINT_SYMBOL(9x_event);\n';
	const tree = {
		'include/linux/tracepoint.h': [
			'#define EXPORT_TRACEPOINT_SYMBOL_GPL(name) \\',
			'\tEXPORT_SYMBOL_GPL(__tracepoint_##name); \\',
			'\tEXPORT_STATIC_CALL_GPL(tp_func_##name)',
			'#define EXPORT_TRACEPOINT_SYMBOL(name) EXPORT_SYMBOL(__tracepoint_##name)',
			'#define EXPORT_TRACEPOINT_SYMBOL(name)',
		].join('\n'),
		'drivers/gizmo/trace.c': user,
	};
	assert.deepEqual(Object.keys(treeExports(tree)).sort(), [
		'__SCK__tp_func_gizmo_event',
		'__SCT__tp_func_gizmo_event',
		'__tracepoint_9x_event',
		'__tracepoint_gizmo_event',
	]);
	// Without the tree's definition the table's list applies.
	assert.deepEqual(scanFile(user).exports[1].symbols, ['__tracepoint_9x_event', '__traceiter_9x_event', '__SCK__tp_func_9x_event']);
});

test('an exported name that is itself a macro: on the next line, pasted, renamed, #undef', () => {
	const src = [
		'#define VARIANT(n) n##_fast',
		'#define do_thing real_do_thing',
		'EXPORT_SYMBOL(',
		'\tspread_out);',
		'EXPORT_SYMBOL_GPL(VARIANT(blit));',
		'EXPORT_SYMBOL(do_thing);',
		'#undef do_thing',
		'EXPORT_SYMBOL(do_thing);',
	].join('\n');
	assert.deepEqual(treeExports({ 'lib/thing.c': src }), {
		spread_out: 'plain lib/thing.c:2',
		blit_fast: 'GPL lib/thing.c:4',
		real_do_thing: 'plain lib/thing.c:5',
		do_thing: 'plain lib/thing.c:7',
	});
});

test("an included .c file is re-expanded with the includer's macros", () => {
	assert.deepEqual(
		treeExports({
			'lib/pack/pack.c': '#ifndef SUFFIXED\n#define SUFFIXED(n) n\n#endif\nEXPORT_SYMBOL_GPL(SUFFIXED(pack));\n',
			'lib/pack/pack_safe.c': '#define SUFFIXED(n) n##_safe\n#include "pack.c"\n',
		}),
		{ pack: 'GPL lib/pack/pack.c:3', pack_safe: 'GPL lib/pack/pack_safe.c:1' },
	);
});

test('with a reader: X-macro headers expand the wrapper in force, local headers rename exports', () => {
	const files = {
		'kernel/items.c': [
			'#define ITEM(x) [x] = 1,',
			'#include <linux/items.h>',
			'#undef ITEM',
			'#define ITEM(x) EXPORT_SYMBOL_GPL(item_ ## x ## _key);',
			'#include <linux/items.h>',
			'#undef ITEM',
			'#include <linux/items.h>',
		].join('\n'),
		'include/linux/items.h': '/* no guard */\nITEM(one)\n#if IS_ENABLED(CONFIG_TWO)\nITEM(two)\n#endif\n',
		'drivers/netx/netx.h': '#ifndef NETX_H\n#define NETX_H\n#define netx_rx netx_rx_v2\n#define netx_pm NULL\n#endif\n',
		'drivers/netx/rx.c': '#include <linux/module.h>\n#include "netx.h"\nEXPORT_SYMBOL(netx_rx);\nEXPORT_SYMBOL(netx_pm);\n',
	};
	assert.deepEqual(treeExports(files), {
		item_one_key: 'GPL kernel/items.c:4',
		item_two_key: 'GPL kernel/items.c:4',
		netx_rx_v2: 'plain drivers/netx/rx.c:2',
		netx_pm: 'plain drivers/netx/rx.c:3',
	});
	assert.deepEqual(Object.keys(treeExports(files, false)).sort(), ['netx_pm', 'netx_rx']);
});

test('assembly: a local wrapper that emits several statements, `;`-separated', () => {
	const src = '#define EXPORT_STUB(sym) NOKPROBE(sym); EXPORT_SYMBOL(sym)\nSYM_FUNC_END(stub_ret)\nEXPORT_STUB(stub_ret)\n';
	assert.deepEqual(treeExports({ 'arch/x86/lib/stub.S': src }), { stub_ret: 'plain arch/x86/lib/stub.S:2' });
});

test('a backslash inside a comment still continues a #define', () => {
	const src = [
		'#define MAKE_POOL(t)\t\\',
		'struct pool_##t {\t/* a comment that\t\\',
		'\t * spans lines */\t\\',
		'\tt slot;\t\\',
		'};\t\\',
		'EXPORT_SYMBOL(pool_get_##t)',
		'MAKE_POOL(u8);',
	].join('\n');
	assert.equal(blankComments(src).split('\n')[1].endsWith('\\'), true);
	assert.deepEqual(treeExports({ 'lib/pool.c': src }), { pool_get_u8: 'plain lib/pool.c:6' });
});

test('a DEFAULT_SYMBOL_NAMESPACE defined after an #include comes too late for export.h', () => {
	const late = scanFile('#include <linux/module.h>\n#define DEFAULT_SYMBOL_NAMESPACE LATE\nEXPORT_SYMBOL(x);\n');
	assert.equal(late.defaultNamespace, undefined);
	const early = scanFile('#define DEFAULT_SYMBOL_NAMESPACE EARLY\n#include <linux/module.h>\nEXPORT_SYMBOL(x);\n');
	assert.equal(early.defaultNamespace, 'EARLY');
});

test('macro helpers: argument splitting, substitution, expansion', () => {
	assert.deepEqual(parseArgs('F(a, (b, c), "d,)", e)', 1), { args: ['a', '(b, c)', '"d,)"', 'e'], end: 22 });
	assert.equal(parseArgs('F(unbalanced', 1), undefined);
	const def = { name: 'W', params: ['a', '...'], body: 'f_##a(#a, __VA_ARGS__)', line: 0 };
	assert.equal(substitute(def, ['x', '1', '2']), 'f_x("x", 1, 2)');
	const defs = new Map([
		['ALIAS', { name: 'ALIAS', body: 'OTHER', line: 0 }],
		['OTHER', { name: 'OTHER', body: 'ALIAS', line: 0 }],
	]);
	// Self-reference stops, as in cpp.
	assert.equal(expandText('ALIAS', (n) => defs.get(n)), 'ALIAS');
});
