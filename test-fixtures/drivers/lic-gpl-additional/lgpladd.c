// SPDX-License-Identifier: GPL-2.0
/*
 * lgpladd: maps a fixed window of device memory at load time, under
 * MODULE_LICENSE("GPL and additional rights").
 * GPL-compatible.
 */
#include <linux/err.h>
#include <linux/init.h>
#include <linux/memremap.h>
#include <linux/module.h>
#include <linux/numa.h>

#define LGPLADD_BASE		0x1000000000ULL
#define LGPLADD_SIZE		(256ULL << 20)

static struct dev_pagemap lgpladd_pgmap;
static void *lgpladd_addr;

static int __init lgpladd_init(void)
{
	lgpladd_pgmap.type = MEMORY_DEVICE_GENERIC;
	lgpladd_pgmap.range.start = LGPLADD_BASE;
	lgpladd_pgmap.range.end = LGPLADD_BASE + LGPLADD_SIZE - 1;
	lgpladd_pgmap.nr_range = 1;

	lgpladd_addr = memremap_pages(&lgpladd_pgmap, NUMA_NO_NODE);
	return PTR_ERR_OR_ZERO(lgpladd_addr);
}

static void __exit lgpladd_exit(void)
{
	memunmap_pages(&lgpladd_pgmap);
}

module_init(lgpladd_init);
module_exit(lgpladd_exit);

MODULE_DESCRIPTION("License fixture: GPL and additional rights");
MODULE_LICENSE("GPL and additional rights");
