// SPDX-License-Identifier: GPL-2.0
/*
 * Adding and removing struct pages for hotplugged ranges. Used by
 * memremap.c; nothing here is exported.
 */
#include <linux/mm.h>
#include <linux/memremap.h>

#include "internal.h"

int __add_pages(int nid, unsigned long start_pfn, unsigned long nr_pages)
{
	unsigned long pfn;

	for (pfn = start_pfn; pfn < start_pfn + nr_pages; pfn++)
		pfn_to_page(pfn)->flags = 0;
	return 0;
}

void __remove_pages(unsigned long start_pfn, unsigned long nr_pages)
{
	unsigned long pfn;

	for (pfn = start_pfn; pfn < start_pfn + nr_pages; pfn++)
		pfn_to_page(pfn)->pgmap = NULL;
}

/* Hand the pfns over to ZONE_DEVICE, skipping any altmap-hosted memmap. */
void move_pfn_range_to_zone(int nid, unsigned long start_pfn,
			    unsigned long nr_pages, struct vmem_altmap *altmap)
{
	if (altmap)
		start_pfn += altmap->reserve;
	__add_pages(nid, start_pfn, nr_pages);
}
