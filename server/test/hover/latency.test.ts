import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { buildKernelIndex } from '../../src/engine/kernel/index';
import { MODERN } from '../helpers/paths';
import { writeModule } from '../helpers/module';
import { openDoc } from './hover-helper';
import { GPL_DRIVER, GPL_DRIVER_TARGETS, measureHovers } from './latency';

test('hover p95 ≤ 5 ms over 200 hovers with a warm index (fixture tree)', async () => {
	const dir = writeModule({ Kbuild: 'obj-m := drv.o\n', 'drv.c': GPL_DRIVER });
	const doc = await openDoc(buildKernelIndex(MODERN), join(dir, 'drv.c'));
	for (const [needle, offset] of GPL_DRIVER_TARGETS) assert.ok(doc.hover(needle, offset), needle);
	const { median, p95, max } = measureHovers(doc, GPL_DRIVER_TARGETS);
	console.log(`fixture hover latency: median ${median.toFixed(3)} ms, p95 ${p95.toFixed(3)} ms, max ${max.toFixed(3)} ms`);
	assert.ok(p95 <= 5, `p95 ${p95} ms`);
});
