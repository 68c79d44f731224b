// SPDX-License-Identifier: GPL-2.0
/*
 * ldualmit: maps a fixed window of device memory at load time, under
 * MODULE_LICENSE("Dual MIT/GPL").
 * GPL-compatible.
 */
#include <linux/err.h>
#include <linux/init.h>
#include <linux/memremap.h>
#include <linux/module.h>
#include <linux/numa.h>

#define LDUALMIT_BASE		0x1000000000ULL
#define LDUALMIT_SIZE		(256ULL << 20)

static struct dev_pagemap ldualmit_pgmap;
static void *ldualmit_addr;

static int __init ldualmit_init(void)
{
	ldualmit_pgmap.type = MEMORY_DEVICE_GENERIC;
	ldualmit_pgmap.range.start = LDUALMIT_BASE;
	ldualmit_pgmap.range.end = LDUALMIT_BASE + LDUALMIT_SIZE - 1;
	ldualmit_pgmap.nr_range = 1;

	ldualmit_addr = memremap_pages(&ldualmit_pgmap, NUMA_NO_NODE);
	return PTR_ERR_OR_ZERO(ldualmit_addr);
}

static void __exit ldualmit_exit(void)
{
	memunmap_pages(&ldualmit_pgmap);
}

module_init(ldualmit_init);
module_exit(ldualmit_exit);

MODULE_DESCRIPTION("License fixture: Dual MIT/GPL");
MODULE_LICENSE("Dual MIT/GPL");
