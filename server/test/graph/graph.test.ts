/**
 * The call graph on the fixture trees: ops dispatch (toygpu's dev_pagemap_ops reached from
 * mm/memory.c), the ZONE_DEVICE map, the export audit (the v4.19 hmm_devmem_add leak), and
 * the CLI commands printing them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildKernelIndex } from '../../src/engine/kernel/build';
import { callTree, incomingEdges, outgoingEdges } from '../../src/engine/graph/calltree';
import { scanOps } from '../../src/engine/kernel/opsscan';
import { zoneDeviceMap } from '../../src/engine/graph/zoneDevice';
import { auditExport } from '../../src/engine/graph/audit';
import { symbolsOf } from '../../src/engine/graph/symbols';
import { MODERN, V419 } from '../helpers/paths';
import { kmm } from '../helpers/run';

const modern = buildKernelIndex(MODERN);
const v419 = buildKernelIndex(V419);

test('scanOps: tables, nested initializers, assignments, member calls and their base types', () => {
	const text = [
		'struct a_ops { int (*go)(int); };',
		'static const struct a_ops tbl[] = { [0] = { .go = f1 }, { .go = &f2, .inner = { .go = f3 } } };',
		'void g(struct a_ops *ops, struct b *b) { ops->go(1); b->x.go(2); (*ops->go)(3); /* ops->stop(4) */ b->ops->go = f4; }',
	].join('\n');
	const scan = scanOps(text);
	assert.deepEqual(
		scan.bindings.map((b) => [b.member, b.fn, b.struct ?? '?', b.kind]),
		[['go', 'f1', 'a_ops', 'initializer'], ['go', 'f2', 'a_ops', 'initializer'], ['go', 'f3', '?', 'initializer'], ['go', 'f4', 'a_ops', 'assignment']],
	);
	assert.deepEqual(scan.calls.map((c) => [c.member, c.base, c.baseType ?? '?']), [['go', 'ops', 'a_ops'], ['go', 'x', '?'], ['go', 'ops', 'a_ops']]);
});

test('ops dispatch: do_swap_page reaches toygpu_migrate_to_ram through dev_pagemap_ops, both ways', () => {
	const incoming = incomingEdges(modern, 'toygpu_migrate_to_ram', 'drivers/gpu/toygpu/toygpu_dmem.c');
	const dispatch = incoming.filter((e) => e.kind === 'dispatch');
	assert.deepEqual(dispatch.map((e) => [e.name, e.site.file, e.site.line + 1, e.via?.struct, e.via?.member, e.via?.table, e.via?.typed]), [
		['do_swap_page', 'mm/memory.c', 20, 'dev_pagemap_ops', 'migrate_to_ram', 'toygpu_dmem_ops', true],
	]);
	assert.ok(incoming.some((e) => e.kind === 'reference' && e.table && e.name === 'toygpu_dmem_ops'));
	const outgoing = outgoingEdges(modern, 'do_swap_page', 'mm/memory.c').filter((e) => e.kind === 'dispatch');
	assert.deepEqual(outgoing.map((e) => [e.name, e.file]), [['toygpu_migrate_to_ram', 'drivers/gpu/toygpu/toygpu_dmem.c']]);
	assert.deepEqual(outgoingEdges(modern, 'do_swap_page', 'mm/memory.c', { ops: false }).filter((e) => e.kind === 'dispatch'), []);
});

test('call trees: callers of memremap_pages two levels up', () => {
	const { root } = callTree(modern, 'memremap_pages', 'incoming', { depth: 2 });
	const devm = root.children.find((c) => c.name === 'devm_memremap_pages');
	assert.deepEqual(devm?.children.map((c) => c.name).sort(), ['dev_dax_probe', 'fakemem_core_register']);
	assert.deepEqual(root.children.find((c) => c.name === 'toygpu_dmem_init')?.children.map((c) => c.name), ['toygpu_probe']);
	assert.deepEqual(new Set(root.children.map((c) => c.name)), new Set(['toygpu_dmem_init', 'devm_memremap_pages']));
});

test('zone-device map of the modern fixture', () => {
	const map = zoneDeviceMap(modern);
	assert.deepEqual(
		map.creators.map((c) => [c.function, c.at.file, c.kind, c.licenses, c.memoryTypes.map((t) => t.type), c.calls.map((k) => k.api)]),
		[
			['dev_dax_probe', 'drivers/dax/device.c', 'maybe-module', ['GPL v2'], ['MEMORY_DEVICE_GENERIC'], ['devm_memremap_pages']],
			['toygpu_dmem_init', 'drivers/gpu/toygpu/toygpu_dmem.c', 'maybe-module', ['GPL'], ['MEMORY_DEVICE_PRIVATE'], ['memremap_pages']],
			['fakemem_core_register', 'drivers/misc/fakemem_core.c', 'builtin', [], ['MEMORY_DEVICE_GENERIC'], ['devm_memremap_pages']],
		],
	);
	const toy = map.creators[1];
	assert.deepEqual(
		toy.ops.map((o) => [o.table, o.struct, o.members.map((m) => `${m.member}=${m.fn}`)]),
		[['toygpu_dmem_ops', 'dev_pagemap_ops', ['page_free=toygpu_page_free', 'migrate_to_ram=toygpu_migrate_to_ram']]],
	);
});

test('audit: v4.19 hmm_devmem_add reaches region_intersects, percpu_ref_* and unexported internals', () => {
	const audit = auditExport(v419, 'hmm_devmem_add');
	const gpl = new Map(audit.gplOnly.map((r) => [r.symbol, r.path]));
	assert.ok(gpl.has('region_intersects'));
	assert.ok(gpl.has('percpu_ref_init'));
	assert.deepEqual(gpl.get('percpu_ref_init'), ['hmm_devmem_add', 'percpu_ref_init']);
	const unexported = new Map(audit.unexported.map((r) => [r.symbol, r.path]));
	assert.deepEqual(unexported.get('arch_add_memory'), ['hmm_devmem_add', 'hmm_devmem_pages_create', 'arch_add_memory']);
	assert.ok(unexported.has('move_pfn_range_to_zone'));
	const remove = auditExport(v419, 'hmm_devmem_remove');
	assert.deepEqual(
		remove.gplOnly.map((r) => r.symbol).sort(),
		['percpu_ref_exit', 'percpu_ref_kill_and_confirm'],
	);
	// Modern: the API is GPL-only and nothing plain leaks.
	assert.deepEqual(auditExport(modern, 'hmm_range_fault').gplOnly, []);
});

test('workspace symbols: exact, prefix, then fuzzy', () => {
	const hits = symbolsOf(modern, 'memremap_pages', 10).map((h) => h.name);
	assert.equal(hits[0], 'memremap_pages');
	assert.ok(hits.includes('devm_memremap_pages'));
	assert.ok(symbolsOf(modern, 'tgmtr', 10).some((h) => h.name === 'toygpu_migrate_to_ram'));
});

test('CLI: callers, callees, zone-device, audit-exports', () => {
	const callers = kmm(['callers', 'toygpu_migrate_to_ram', '--kernel', MODERN, '--cache-dir', '/tmp/kmm-graph-test-cache']);
	assert.equal(callers.status, 0, callers.stderr);
	assert.match(callers.stdout, /<- do_swap_page {2}mm\/memory\.c:15\n {5}dispatched at mm\/memory\.c:20 {2}via dev_pagemap_ops\.migrate_to_ram = toygpu_dmem_ops/);
	const json = kmm(['callees', 'do_swap_page', '--json', '--depth', '1', '--kernel', MODERN, '--cache-dir', '/tmp/kmm-graph-test-cache']);
	assert.equal(json.status, 0, json.stderr);
	const tree = JSON.parse(json.stdout);
	assert.deepEqual(tree.root.children.map((c: { name: string }) => c.name).sort(), ['is_device_private_page', 'toygpu_migrate_to_ram']);
	const zd = kmm(['zone-device', '--json', '--kernel', MODERN, '--cache-dir', '/tmp/kmm-graph-test-cache']);
	assert.equal(JSON.parse(zd.stdout).creators.length, 3);
	const audit = kmm(['audit-exports', '--kernel', V419, '--cache-dir', '/tmp/kmm-graph-test-cache']);
	assert.match(audit.stdout, /^hmm_devmem_add \(EXPORT_SYMBOL, mm\/hmm\.c:\d+\)$/m);
	assert.match(audit.stdout, /GPL-only export {2}region_intersects: hmm_devmem_add -> /);
	assert.equal(kmm(['callers', '--kernel', MODERN]).status, 2);
	assert.equal(kmm(['zone-device', 'extra', '--kernel', MODERN]).status, 2);
});
