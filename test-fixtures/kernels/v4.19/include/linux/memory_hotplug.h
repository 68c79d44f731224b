/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __LINUX_MEMORY_HOTPLUG_H
#define __LINUX_MEMORY_HOTPLUG_H

#include <linux/types.h>

struct vmem_altmap;

/* Hotplug works in whole sections of physical memory. */
#define PA_SECTION_SHIFT	27
#define PA_SECTION_SIZE		(1UL << PA_SECTION_SHIFT)

/* Implemented by each architecture. */
int arch_add_memory(int nid, u64 start, u64 size, struct vmem_altmap *altmap,
		    bool want_memblock);
int arch_remove_memory(u64 start, u64 size, struct vmem_altmap *altmap);

int __add_pages(int nid, unsigned long start_pfn, unsigned long nr_pages,
		struct vmem_altmap *altmap);
void move_pfn_range_to_zone(int nid, unsigned long start_pfn,
			    unsigned long nr_pages, struct vmem_altmap *altmap);

#endif /* __LINUX_MEMORY_HOTPLUG_H */
