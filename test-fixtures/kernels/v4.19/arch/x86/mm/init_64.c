// SPDX-License-Identifier: GPL-2.0
/*
 * x86-64 memory hotplug hooks (fixture: page tables are not modelled).
 */
#include <linux/memory_hotplug.h>
#include <linux/mm.h>

int arch_add_memory(int nid, u64 start, u64 size, struct vmem_altmap *altmap,
		    bool want_memblock)
{
	/* map the range into the direct map, then create its memmap */
	return __add_pages(nid, PHYS_PFN(start), PHYS_PFN(size), altmap);
}

int arch_remove_memory(u64 start, u64 size, struct vmem_altmap *altmap)
{
	unsigned long pfn;

	for (pfn = PHYS_PFN(start); pfn < PHYS_PFN(start + size); pfn++)
		pfn_to_page(pfn)->flags = 0;
	return 0;
}
