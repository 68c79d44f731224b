// SPDX-License-Identifier: GPL-2.0
/*
 * mnolic: memory half.
 * GPL-only calls in a module with no license line at all.
 */
#include <linux/err.h>
#include <linux/memremap.h>
#include <linux/module.h>
#include <linux/numa.h>

#include "mnolic.h"

int mnolic_map(struct mnolic *m, u64 start, u64 size)
{
	m->pgmap.type = MEMORY_DEVICE_GENERIC;
	m->pgmap.range.start = start;
	m->pgmap.range.end = start + size - 1;
	m->pgmap.nr_range = 1;

	m->addr = memremap_pages(&m->pgmap, NUMA_NO_NODE);
	return PTR_ERR_OR_ZERO(m->addr);
}

void mnolic_unmap(struct mnolic *m)
{
	memunmap_pages(&m->pgmap);
}
