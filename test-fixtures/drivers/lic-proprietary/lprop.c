// SPDX-License-Identifier: GPL-2.0
/*
 * lprop: maps a fixed window of device memory at load time, under
 * MODULE_LICENSE("Proprietary").
 * Not GPL-compatible: both calls are refused.
 */
#include <linux/err.h>
#include <linux/init.h>
#include <linux/memremap.h>
#include <linux/module.h>
#include <linux/numa.h>

#define LPROP_BASE		0x1000000000ULL
#define LPROP_SIZE		(256ULL << 20)

static struct dev_pagemap lprop_pgmap;
static void *lprop_addr;

static int __init lprop_init(void)
{
	lprop_pgmap.type = MEMORY_DEVICE_GENERIC;
	lprop_pgmap.range.start = LPROP_BASE;
	lprop_pgmap.range.end = LPROP_BASE + LPROP_SIZE - 1;
	lprop_pgmap.nr_range = 1;

	lprop_addr = memremap_pages(&lprop_pgmap, NUMA_NO_NODE);
	return PTR_ERR_OR_ZERO(lprop_addr);
}

static void __exit lprop_exit(void)
{
	memunmap_pages(&lprop_pgmap);
}

module_init(lprop_init);
module_exit(lprop_exit);

MODULE_DESCRIPTION("License fixture: Proprietary");
MODULE_LICENSE("Proprietary");
