// SPDX-License-Identifier: GPL-2.0
/*
 * llower: maps a fixed window of device memory at load time, under
 * MODULE_LICENSE("gpl").
 * The comparison is case-sensitive.
 */
#include <linux/err.h>
#include <linux/init.h>
#include <linux/memremap.h>
#include <linux/module.h>
#include <linux/numa.h>

#define LLOWER_BASE		0x1000000000ULL
#define LLOWER_SIZE		(256ULL << 20)

static struct dev_pagemap llower_pgmap;
static void *llower_addr;

static int __init llower_init(void)
{
	llower_pgmap.type = MEMORY_DEVICE_GENERIC;
	llower_pgmap.range.start = LLOWER_BASE;
	llower_pgmap.range.end = LLOWER_BASE + LLOWER_SIZE - 1;
	llower_pgmap.nr_range = 1;

	llower_addr = memremap_pages(&llower_pgmap, NUMA_NO_NODE);
	return PTR_ERR_OR_ZERO(llower_addr);
}

static void __exit llower_exit(void)
{
	memunmap_pages(&llower_pgmap);
}

module_init(llower_init);
module_exit(llower_exit);

MODULE_DESCRIPTION("License fixture: gpl");
MODULE_LICENSE("gpl");
