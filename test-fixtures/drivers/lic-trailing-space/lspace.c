// SPDX-License-Identifier: GPL-2.0
/*
 * lspace: maps a fixed window of device memory at load time, under
 * MODULE_LICENSE("GPL v2 ").
 * The comparison is exact: a trailing space makes it incompatible.
 */
#include <linux/err.h>
#include <linux/init.h>
#include <linux/memremap.h>
#include <linux/module.h>
#include <linux/numa.h>

#define LSPACE_BASE		0x1000000000ULL
#define LSPACE_SIZE		(256ULL << 20)

static struct dev_pagemap lspace_pgmap;
static void *lspace_addr;

static int __init lspace_init(void)
{
	lspace_pgmap.type = MEMORY_DEVICE_GENERIC;
	lspace_pgmap.range.start = LSPACE_BASE;
	lspace_pgmap.range.end = LSPACE_BASE + LSPACE_SIZE - 1;
	lspace_pgmap.nr_range = 1;

	lspace_addr = memremap_pages(&lspace_pgmap, NUMA_NO_NODE);
	return PTR_ERR_OR_ZERO(lspace_addr);
}

static void __exit lspace_exit(void)
{
	memunmap_pages(&lspace_pgmap);
}

module_init(lspace_init);
module_exit(lspace_exit);

MODULE_DESCRIPTION("License fixture: GPL v2 plus a trailing space");
MODULE_LICENSE("GPL v2 ");
