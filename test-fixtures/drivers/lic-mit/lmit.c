// SPDX-License-Identifier: GPL-2.0
/*
 * lmit: maps a fixed window of device memory at load time, under
 * MODULE_LICENSE("MIT").
 * MIT alone is not in the kernel's list.
 */
#include <linux/err.h>
#include <linux/init.h>
#include <linux/memremap.h>
#include <linux/module.h>
#include <linux/numa.h>

#define LMIT_BASE		0x1000000000ULL
#define LMIT_SIZE		(256ULL << 20)

static struct dev_pagemap lmit_pgmap;
static void *lmit_addr;

static int __init lmit_init(void)
{
	lmit_pgmap.type = MEMORY_DEVICE_GENERIC;
	lmit_pgmap.range.start = LMIT_BASE;
	lmit_pgmap.range.end = LMIT_BASE + LMIT_SIZE - 1;
	lmit_pgmap.nr_range = 1;

	lmit_addr = memremap_pages(&lmit_pgmap, NUMA_NO_NODE);
	return PTR_ERR_OR_ZERO(lmit_addr);
}

static void __exit lmit_exit(void)
{
	memunmap_pages(&lmit_pgmap);
}

module_init(lmit_init);
module_exit(lmit_exit);

MODULE_DESCRIPTION("License fixture: MIT");
MODULE_LICENSE("MIT");
