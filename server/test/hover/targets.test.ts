import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { buildKernelIndex } from '../../src/engine/kernel/build';
import { MODERN } from '../helpers/paths';
import { writeModule } from '../helpers/module';
import { openDoc } from './hover-helper';
import { GPL_DRIVER, GPL_DRIVER_TARGETS } from './gpl-driver';

// Latency is measured by the benchmark (npm run bench), at the LSP boundary on the real tree.
test('every hover target of the GPL driver answers on the fixture tree', async () => {
	const dir = writeModule({ Kbuild: 'obj-m := drv.o\n', 'drv.c': GPL_DRIVER });
	const doc = await openDoc(buildKernelIndex(MODERN), join(dir, 'drv.c'));
	for (const [needle, offset] of GPL_DRIVER_TARGETS) {
		// The word under the cursor (`free` in `altmap.free` at 8) is what the hover explains.
		const word = /\w+/.exec(needle.slice(needle.slice(0, offset).search(/\w*$/)))?.[0] ?? needle;
		const hover = doc.hover(needle, offset);
		assert.ok(hover, `no hover on ${needle}@${offset}`);
		assert.match(hover, new RegExp(`\\b${word}\\b`), `the hover on ${needle}@${offset} does not name ${word}`);
	}
	doc.dispose();
});
