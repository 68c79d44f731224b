/**
 * What CREATE_TRACE_POINTS and a trace header compile into a file (engine/trace-events.ts),
 * against a trace header written here in kernel style, and the .config that decides the pieces.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KernelIndex } from '../../src/engine/kernel/index';
import type { DocumentFacts, MacroDef } from '../../src/engine/syntax/facts';
import { traceEventUses } from '../../src/engine/trace-events';

const HEADER = `/* SPDX-License-Identifier: GPL-2.0 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM pdev

#if !defined(_PDEV_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _PDEV_TRACE_H

#include <linux/tracepoint.h>

DECLARE_EVENT_CLASS(pdev_io,
	TP_PROTO(struct pdev *pdev, u64 addr),
	TP_ARGS(pdev, addr),
	TP_STRUCT__entry(__field(u64, addr)),
	TP_fast_assign(__entry->addr = addr;),
	TP_printk("addr=%llx op=%s", __entry->addr, pdev_op_name(__entry->addr))
);

TRACE_EVENT(pdev_reset,
	TP_PROTO(struct pdev *pdev, int why, int flags),
	TP_ARGS(pdev, why, flags),
	TP_STRUCT__entry(__field(int, why)),
	TP_fast_assign(__entry->why = why;),
	TP_printk("why=%s", __print_symbolic(__entry->why, { 0, "none" }))
);

#endif /* _PDEV_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
`;

function kernelWith(config: Record<string, string>): KernelIndex {
	return {
		version: { major: 6, minor: 1, patch: 0, extra: '' },
		dotConfig: new Map(Object.entries(config)),
		absolutePath: (rel: string) => `/nonexistent/${rel}`,
	} as unknown as KernelIndex;
}

function factsOf(defineLine: number | undefined, includeLine: number): DocumentFacts {
	const macros = new Map<string, MacroDef>();
	if (defineLine !== undefined) {
		const range = { start: { line: defineLine, character: 8 }, end: { line: defineLine, character: 27 } };
		macros.set('CREATE_TRACE_POINTS', { name: 'CREATE_TRACE_POINTS', range, calls: [], references: [], body: '' });
	}
	return { macros, includes: [{ path: 'trace.h', quoted: true, line: includeLine }], dead: [] } as unknown as DocumentFacts;
}

test('trace events: the pieces the .config compiles, bpf_trace_run<args> per class, and what TP_printk calls', (t) => {
	const dir = mkdtempSync(join(tmpdir(), 'kmm-trace-'));
	t.after(() => rmSync(dir, { recursive: true, force: true }));
	writeFileSync(join(dir, 'trace.h'), HEADER);
	const file = join(dir, 'pdev.c');
	const names = (kernel: KernelIndex, facts = factsOf(3, 4)) => traceEventUses(file, facts, kernel).map((u) => `${u.kind} ${u.name}`).sort();

	const all = names(kernelWith({ TRACEPOINTS: 'y', PERF_EVENTS: 'y', BPF_EVENTS: 'y' }));
	for (const want of ['call bpf_trace_run2', 'call bpf_trace_run3', 'call perf_trace_buf_alloc', 'call trace_event_buffer_reserve', 'call trace_trigger_soft_disabled', 'reference trace_event_reg', 'call pdev_op_name', 'call __print_symbolic', 'call trace_print_symbols_seq']) {
		assert.ok(all.includes(want), `${want} in ${all.join(', ')}`);
	}
	const uses = traceEventUses(file, factsOf(3, 4), kernelWith({ TRACEPOINTS: 'y' }));
	assert.equal(uses[0].range.start.line, 4, 'reported at the #include');
	assert.match(uses[0].viaMacro ?? '', /TRACE_EVENT \(trace\.h with CREATE_TRACE_POINTS\)/);

	// Options off: their pieces are not compiled.
	const noBpf = names(kernelWith({ TRACEPOINTS: 'y', PERF_EVENTS: 'y' }));
	assert.ok(!noBpf.some((n) => n.includes('bpf_trace_run')) && noBpf.includes('call perf_trace_buf_alloc'));
	assert.deepEqual(names(kernelWith({})), []);
	// No CREATE_TRACE_POINTS, or the include before it, or an older layout: nothing.
	assert.deepEqual(names(kernelWith({ TRACEPOINTS: 'y' }), factsOf(undefined, 4)), []);
	assert.deepEqual(names(kernelWith({ TRACEPOINTS: 'y' }), factsOf(5, 4)), []);
	assert.deepEqual(names({ ...kernelWith({ TRACEPOINTS: 'y' }), version: { major: 5, minor: 10, patch: 0, extra: '' } } as unknown as KernelIndex), []);
});
