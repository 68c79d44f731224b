// SPDX-License-Identifier: GPL-2.0
/*
 * mtwo: memory half.
 * Makes the GPL-only calls and carries a second, incompatible, license
 * line.
 */
#include <linux/err.h>
#include <linux/memremap.h>
#include <linux/module.h>
#include <linux/numa.h>

#include "mtwo.h"

int mtwo_map(struct mtwo *m, u64 start, u64 size)
{
	m->pgmap.type = MEMORY_DEVICE_GENERIC;
	m->pgmap.range.start = start;
	m->pgmap.range.end = start + size - 1;
	m->pgmap.nr_range = 1;

	m->addr = memremap_pages(&m->pgmap, NUMA_NO_NODE);
	return PTR_ERR_OR_ZERO(m->addr);
}

void mtwo_unmap(struct mtwo *m)
{
	memunmap_pages(&m->pgmap);
}

MODULE_LICENSE("Proprietary");
