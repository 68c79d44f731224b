import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { buildKernelIndex } from '../../src/engine/kernel/index';
import { MODERN } from '../helpers/paths';
import { writeModule } from '../helpers/module';
import { openDoc } from './hover-helper';
import { GPL_DRIVER, GPL_DRIVER_TARGETS } from './gpl-driver';

// Latency is measured by the benchmark (npm run bench), at the LSP boundary on the real tree.
test('every hover target of the GPL driver answers on the fixture tree', async () => {
	const dir = writeModule({ Kbuild: 'obj-m := drv.o\n', 'drv.c': GPL_DRIVER });
	const doc = await openDoc(buildKernelIndex(MODERN), join(dir, 'drv.c'));
	for (const [needle, offset] of GPL_DRIVER_TARGETS) assert.ok(doc.hover(needle, offset), needle);
	doc.dispose();
});
