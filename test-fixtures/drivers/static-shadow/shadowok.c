// SPDX-License-Identifier: GPL-2.0
/*
 * shadowok: a "Proprietary" module with its own static functions named
 * get_dev_pagemap() and region_intersects(), like two GPL-only kernel
 * exports. Calls bind to the local definitions, so nothing is used
 * from the kernel. This compiles only because the file includes no
 * header that declares either name (<linux/memremap.h>, <linux/mm.h>).
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/types.h>

struct dev_pagemap;

static struct dev_pagemap *shadowok_map;
static u64 shadowok_start = 0x6000000000ULL;
static u64 shadowok_size = 16ULL << 20;

/* Our own lookup: only knows about the single map this module owns. */
static struct dev_pagemap *get_dev_pagemap(unsigned long pfn,
					   struct dev_pagemap *hint)
{
	if (pfn < (shadowok_start >> 12) ||
		pfn >= ((shadowok_start + shadowok_size) >> 12))
		return NULL;
	return hint ? hint : shadowok_map;
}

/* 1 when [start, start + size) overlaps our window, else 0. */
static int region_intersects(u64 start, size_t size)
{
	return start < shadowok_start + shadowok_size &&
		   shadowok_start < start + size;
}

static int __init shadowok_init(void)
{
	if (!region_intersects(shadowok_start, 4096))
		return -EINVAL;
	return get_dev_pagemap(shadowok_start >> 12, NULL) ? 0 : -ENXIO;
}

static void __exit shadowok_exit(void)
{
}

module_init(shadowok_init);
module_exit(shadowok_exit);

MODULE_DESCRIPTION("Local static functions named like GPL-only exports");
MODULE_LICENSE("Proprietary");
