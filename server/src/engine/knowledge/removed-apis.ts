/**
 * APIs that older kernels had and newer ones removed, with what replaced them. Data with
 * versions and sources; the removed-api check and the migrations read it.
 */
export interface RemovedApi {
	name: string;
	/** First version without it ("major.minor"). */
	removedIn: string;
	/** First version that had it. */
	since: string;
	/** What to use instead, one sentence. */
	replacement: string;
	/** Where the fact comes from. */
	source: string;
}

const HMM_SERIES = 'kernel-facts.md: the old HMM device-memory API (4.14 – 5.2); "mm: remove hmm_devmem_add" (5.3)';

export const REMOVED_APIS: readonly RemovedApi[] = [
	{
		name: 'hmm_devmem_add',
		since: '4.14',
		removedIn: '5.3',
		replacement:
			'request a range with devm_request_free_mem_region(), fill a driver-owned struct dev_pagemap ' +
			'(type MEMORY_DEVICE_PRIVATE, the range, ops, owner) and call devm_memremap_pages() or memremap_pages()',
		source: HMM_SERIES,
	},
	{
		name: 'hmm_devmem_add_resource',
		since: '4.14',
		removedIn: '5.3',
		replacement:
			'fill a driver-owned struct dev_pagemap for the resource (MEMORY_DEVICE_PUBLIC is gone: ' +
			'MEMORY_DEVICE_COHERENT from 6.0, else decide) and call devm_memremap_pages()',
		source: HMM_SERIES,
	},
	{
		name: 'hmm_devmem_remove',
		since: '4.14',
		removedIn: '5.0',
		replacement: 'let devm teardown unmap the pages, or call devm_memunmap_pages(dev, &pagemap) / memunmap_pages(&pagemap)',
		source: `${HMM_SERIES}; hmm_devmem_remove existed until 4.20`,
	},
	{
		name: 'hmm_devmem_page_get_drvdata',
		since: '4.14',
		removedIn: '5.3',
		replacement: 'read page->zone_device_data',
		source: `${HMM_SERIES}; the drvdata helpers became page->zone_device_data in 5.3`,
	},
	{
		name: 'hmm_devmem_page_set_drvdata',
		since: '4.14',
		removedIn: '5.3',
		replacement: 'assign page->zone_device_data',
		source: `${HMM_SERIES}; the drvdata helpers became page->zone_device_data in 5.3`,
	},
	{
		name: 'hmm_devmem_pages_create',
		since: '4.14',
		removedIn: '5.0',
		replacement: 'fill devmem->pagemap and call devm_memremap_pages(devmem->device, &devmem->pagemap)',
		source: 'kernel-facts.md: the 2018 series, patch 6/7, deleted it from mm/hmm.c',
	},
	{
		name: 'hmm_vma_alloc_locked_page',
		since: '4.14',
		removedIn: '5.3',
		replacement: 'allocate with alloc_page_vma() and lock_page() in the driver, as nouveau did in 5.3',
		source: 'the 5.3 nouveau conversion away from the hmm_devmem API',
	},
];

export const REMOVED_API_BY_NAME: ReadonlyMap<string, RemovedApi> = new Map(REMOVED_APIS.map((a) => [a.name, a]));
