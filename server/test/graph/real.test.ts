/**
 * The call graph against Debian's real 6.1 tree. The expected callers were read from the
 * source (grep for the two names, then each hit read by hand: calls, not comments or
 * prototypes). tools/testing/nvdimm's --wrap shim also calls devm_memremap_pages, but tools/
 * is not kernel code (kernel/walk.ts): it must not appear.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildKernelIndexAsync } from '../../src/engine/kernel/build';
import { incomingEdges } from '../../src/engine/graph/calltree';
import { zoneDeviceMap } from '../../src/engine/graph/zoneDevice';
import { requireRealKernel } from '../helpers/real-kernel';

const DEVM_CALLERS = [
	'dev_dax_probe drivers/dax/device.c:454',
	'svm_migrate_init drivers/gpu/drm/amd/amdkfd/kfd_migrate.c:1048',
	'pmem_attach_disk drivers/nvdimm/pmem.c:533',
	'pmem_attach_disk drivers/nvdimm/pmem.c:547',
	'pci_p2pdma_add_resource drivers/pci/p2pdma.c:206',
	'virtio_fs_setup_dax fs/fuse/virtio_fs.c:851',
];
const MEMREMAP_CALLERS = [
	'kvmppc_uvmem_init arch/powerpc/kvm/book3s_hv_uvmem.c:1188',
	'nouveau_dmem_chunk_alloc drivers/gpu/drm/nouveau/nouveau_dmem.c:269',
	'fill_list drivers/xen/unpopulated-alloc.c:121',
	'dmirror_allocate_chunk lib/test_hmm.c:606',
	'devm_memremap_pages mm/memremap.c:407',
];
/** function file: memory types, ops table (from each file's pgmap setup). */
const CREATORS = [
	'kvmppc_uvmem_init arch/powerpc/kvm/book3s_hv_uvmem.c: MEMORY_DEVICE_PRIVATE ops=kvmppc_uvmem_ops',
	'dev_dax_probe drivers/dax/device.c: MEMORY_DEVICE_GENERIC ops=',
	'svm_migrate_init drivers/gpu/drm/amd/amdkfd/kfd_migrate.c: MEMORY_DEVICE_COHERENT,MEMORY_DEVICE_PRIVATE ops=svm_migrate_pgmap_ops',
	'nouveau_dmem_chunk_alloc drivers/gpu/drm/nouveau/nouveau_dmem.c: MEMORY_DEVICE_PRIVATE ops=nouveau_dmem_pagemap_ops',
	'pmem_attach_disk drivers/nvdimm/pmem.c: MEMORY_DEVICE_FS_DAX ops=fsdax_pagemap_ops',
	'pci_p2pdma_add_resource drivers/pci/p2pdma.c: MEMORY_DEVICE_PCI_P2PDMA ops=',
	'fill_list drivers/xen/unpopulated-alloc.c: MEMORY_DEVICE_GENERIC ops=',
	'virtio_fs_setup_dax fs/fuse/virtio_fs.c: MEMORY_DEVICE_FS_DAX ops=',
	'dmirror_allocate_chunk lib/test_hmm.c: MEMORY_DEVICE_COHERENT,MEMORY_DEVICE_PRIVATE ops=dmirror_devmem_ops',
];

test('real 6.1: callers of devm_memremap_pages and memremap_pages, and the zone-device map', async (t) => {
	const kernel = requireRealKernel(t);
	if (!kernel) return;
	const index = await buildKernelIndexAsync(kernel.src);
	index.graph.prepare();
	const callers = (name: string) =>
		incomingEdges(index, name, undefined, { ops: false })
			.map((e) => `${e.name} ${e.site.file}:${e.site.line + 1}`)
			.sort();
	assert.deepEqual(callers('devm_memremap_pages'), [...DEVM_CALLERS].sort());
	assert.deepEqual(callers('memremap_pages'), [...MEMREMAP_CALLERS].sort());

	const map = zoneDeviceMap(index);
	assert.deepEqual(
		map.creators.map((c) => `${c.function} ${c.at.file}: ${c.memoryTypes.map((m) => m.type).sort().join(',')} ops=${c.ops.map((o) => o.table).join(',')}`),
		CREATORS,
	);
	const nouveau = map.creators.find((c) => c.function === 'nouveau_dmem_chunk_alloc');
	assert.deepEqual(nouveau?.ops[0].members.map((m) => `${m.member}=${m.fn}`), ['page_free=nouveau_dmem_page_free', 'migrate_to_ram=nouveau_dmem_migrate_to_ram']);
	assert.deepEqual(nouveau?.licenses, ['GPL and additional rights']);
	assert.equal(map.creators.find((c) => c.function === 'pci_p2pdma_add_resource')?.kind, 'builtin');
});
