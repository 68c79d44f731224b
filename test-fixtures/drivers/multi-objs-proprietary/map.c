// SPDX-License-Identifier: GPL-2.0
/*
 * mobjp: memory half.
 * No license line of its own: glue.c's "Proprietary" applies here.
 */
#include <linux/err.h>
#include <linux/memremap.h>
#include <linux/module.h>
#include <linux/numa.h>

#include "mobjp.h"

int mobjp_map(struct mobjp *m, u64 start, u64 size)
{
	m->pgmap.type = MEMORY_DEVICE_GENERIC;
	m->pgmap.range.start = start;
	m->pgmap.range.end = start + size - 1;
	m->pgmap.nr_range = 1;

	m->addr = memremap_pages(&m->pgmap, NUMA_NO_NODE);
	return PTR_ERR_OR_ZERO(m->addr);
}

void mobjp_unmap(struct mobjp *m)
{
	memunmap_pages(&m->pgmap);
}
