// SPDX-License-Identifier: GPL-2.0
/*
 * lgpl: maps a fixed window of device memory at load time, under
 * MODULE_LICENSE("GPL").
 * The plainest GPL-compatible string.
 */
#include <linux/err.h>
#include <linux/init.h>
#include <linux/memremap.h>
#include <linux/module.h>
#include <linux/numa.h>

#define LGPL_BASE		0x1000000000ULL
#define LGPL_SIZE		(256ULL << 20)

static struct dev_pagemap lgpl_pgmap;
static void *lgpl_addr;

static int __init lgpl_init(void)
{
	lgpl_pgmap.type = MEMORY_DEVICE_GENERIC;
	lgpl_pgmap.range.start = LGPL_BASE;
	lgpl_pgmap.range.end = LGPL_BASE + LGPL_SIZE - 1;
	lgpl_pgmap.nr_range = 1;

	lgpl_addr = memremap_pages(&lgpl_pgmap, NUMA_NO_NODE);
	return PTR_ERR_OR_ZERO(lgpl_addr);
}

static void __exit lgpl_exit(void)
{
	memunmap_pages(&lgpl_pgmap);
}

module_init(lgpl_init);
module_exit(lgpl_exit);

MODULE_DESCRIPTION("License fixture: GPL");
MODULE_LICENSE("GPL");
