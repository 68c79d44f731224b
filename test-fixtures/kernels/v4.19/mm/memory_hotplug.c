// SPDX-License-Identifier: GPL-2.0
/*
 * Adding struct pages for hotplugged ranges. Used by memremap and by
 * HMM's own copy of that code; nothing here is exported.
 */
#include <linux/memory_hotplug.h>
#include <linux/memremap.h>
#include <linux/mm.h>

int __add_pages(int nid, unsigned long start_pfn, unsigned long nr_pages,
		struct vmem_altmap *altmap)
{
	unsigned long pfn;

	for (pfn = start_pfn; pfn < start_pfn + nr_pages; pfn++)
		pfn_to_page(pfn)->flags = 0;
	return 0;
}

/* Hand the pfns over to ZONE_DEVICE, skipping any altmap-hosted memmap. */
void move_pfn_range_to_zone(int nid, unsigned long start_pfn,
			    unsigned long nr_pages, struct vmem_altmap *altmap)
{
	unsigned long pfn;

	if (altmap)
		start_pfn += vmem_altmap_offset(altmap);
	for (pfn = start_pfn; pfn < start_pfn + nr_pages; pfn++)
		pfn_to_page(pfn)->pgmap = NULL;
}
