// SPDX-License-Identifier: GPL-2.0
/*
 * ldualmpl: maps a fixed window of device memory at load time, under
 * MODULE_LICENSE("Dual MPL/GPL").
 * GPL-compatible.
 */
#include <linux/err.h>
#include <linux/init.h>
#include <linux/memremap.h>
#include <linux/module.h>
#include <linux/numa.h>

#define LDUALMPL_BASE		0x1000000000ULL
#define LDUALMPL_SIZE		(256ULL << 20)

static struct dev_pagemap ldualmpl_pgmap;
static void *ldualmpl_addr;

static int __init ldualmpl_init(void)
{
	ldualmpl_pgmap.type = MEMORY_DEVICE_GENERIC;
	ldualmpl_pgmap.range.start = LDUALMPL_BASE;
	ldualmpl_pgmap.range.end = LDUALMPL_BASE + LDUALMPL_SIZE - 1;
	ldualmpl_pgmap.nr_range = 1;

	ldualmpl_addr = memremap_pages(&ldualmpl_pgmap, NUMA_NO_NODE);
	return PTR_ERR_OR_ZERO(ldualmpl_addr);
}

static void __exit ldualmpl_exit(void)
{
	memunmap_pages(&ldualmpl_pgmap);
}

module_init(ldualmpl_init);
module_exit(ldualmpl_exit);

MODULE_DESCRIPTION("License fixture: Dual MPL/GPL");
MODULE_LICENSE("Dual MPL/GPL");
