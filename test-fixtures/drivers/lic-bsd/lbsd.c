// SPDX-License-Identifier: GPL-2.0
/*
 * lbsd: maps a fixed window of device memory at load time, under
 * MODULE_LICENSE("BSD").
 * BSD alone is not in the kernel's list.
 */
#include <linux/err.h>
#include <linux/init.h>
#include <linux/memremap.h>
#include <linux/module.h>
#include <linux/numa.h>

#define LBSD_BASE		0x1000000000ULL
#define LBSD_SIZE		(256ULL << 20)

static struct dev_pagemap lbsd_pgmap;
static void *lbsd_addr;

static int __init lbsd_init(void)
{
	lbsd_pgmap.type = MEMORY_DEVICE_GENERIC;
	lbsd_pgmap.range.start = LBSD_BASE;
	lbsd_pgmap.range.end = LBSD_BASE + LBSD_SIZE - 1;
	lbsd_pgmap.nr_range = 1;

	lbsd_addr = memremap_pages(&lbsd_pgmap, NUMA_NO_NODE);
	return PTR_ERR_OR_ZERO(lbsd_addr);
}

static void __exit lbsd_exit(void)
{
	memunmap_pages(&lbsd_pgmap);
}

module_init(lbsd_init);
module_exit(lbsd_exit);

MODULE_DESCRIPTION("License fixture: BSD");
MODULE_LICENSE("BSD");
