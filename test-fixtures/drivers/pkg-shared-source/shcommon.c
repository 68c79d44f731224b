// SPDX-License-Identifier: GPL-2.0
/*
 * shcommon: device memory helpers linked into two modules, shgpl
 * (GPL) and shprop (Proprietary). memremap_pages and memunmap_pages are
 * GPL-only: fine for shgpl, refused for shprop.
 */
#include <linux/err.h>
#include <linux/memremap.h>
#include <linux/numa.h>

#include "shcommon.h"

int shcommon_map(struct dev_pagemap *pgmap)
{
	return PTR_ERR_OR_ZERO(memremap_pages(pgmap, NUMA_NO_NODE));
}

void shcommon_unmap(struct dev_pagemap *pgmap)
{
	memunmap_pages(pgmap);
}
