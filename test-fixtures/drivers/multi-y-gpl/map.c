// SPDX-License-Identifier: GPL-2.0
/*
 * mygpl: memory half.
 * GPL-only calls, allowed by glue.c's "GPL v2".
 */
#include <linux/err.h>
#include <linux/memremap.h>
#include <linux/module.h>
#include <linux/numa.h>

#include "mygpl.h"

int mygpl_map(struct mygpl *m, u64 start, u64 size)
{
	m->pgmap.type = MEMORY_DEVICE_GENERIC;
	m->pgmap.range.start = start;
	m->pgmap.range.end = start + size - 1;
	m->pgmap.nr_range = 1;

	m->addr = memremap_pages(&m->pgmap, NUMA_NO_NODE);
	return PTR_ERR_OR_ZERO(m->addr);
}

void mygpl_unmap(struct mygpl *m)
{
	memunmap_pages(&m->pgmap);
}
