import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildKernelIndex } from '../../src/engine/kernel/build';
import { removedApi } from '../../src/engine/checks/removed-api';
import { REMOVED_APIS } from '../../src/engine/knowledge/removed-apis';
import { DRIVERS, MODERN, V419 } from '../helpers/paths';
import { kernelAs, writeModule } from '../helpers/module';
import { findingsOf } from '../helpers/analyze';

const CODE = removedApi.meta.code;

test('the hmm_devmem API is removed on 6.1 and present on 4.19', async () => {
	const onModern = await findingsOf(buildKernelIndex(MODERN), `${DRIVERS}/hmm-legacy`, 'hmmdrv.c', CODE);
	assert.deepEqual(
		onModern.map((f) => f.message.slice(0, f.message.indexOf('(') )),
		['hmm_devmem_page_set_drvdata', 'hmm_devmem_page_get_drvdata', 'hmm_vma_alloc_locked_page', 'hmm_devmem_add', 'hmm_devmem_page_set_drvdata', 'hmm_devmem_remove'],
	);
	const add = onModern.find((f) => f.message.startsWith('hmm_devmem_add('));
	assert.match(add?.message ?? '', /removed in Linux 5\.3 \(this tree is 6\.1\.0\): .*devm_request_free_mem_region\(\).*devm_memremap_pages\(\)/);
	assert.deepEqual(await findingsOf(buildKernelIndex(V419), `${DRIVERS}/hmm-legacy`, 'hmmdrv.c', CODE), []);
});

test('the version boundary is exact: 5.2 still has hmm_devmem_add, 5.3 does not', async () => {
	const dir = writeModule({ Kbuild: 'obj-m := d.o\n', 'd.c': 'int f(void)\n{\n\treturn hmm_devmem_add(0, 0, 0) != 0;\n}\n' });
	assert.equal((await findingsOf(buildKernelIndex(kernelAs(MODERN, 5, 2)), dir, 'd.c', CODE)).length, 0);
	assert.equal((await findingsOf(buildKernelIndex(kernelAs(MODERN, 5, 3)), dir, 'd.c', CODE)).length, 1);
});

test('every entry has a source, a replacement and a sane version range', () => {
	for (const api of REMOVED_APIS) {
		assert.ok(api.source.length > 10 && api.replacement.length > 10, api.name);
		const [a, b] = [api.since, api.removedIn].map((v) => v.split('.').map(Number));
		assert.ok(a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]), api.name);
	}
});
