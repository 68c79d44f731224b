// SPDX-License-Identifier: GPL-2.0
/*
 * ldualbsd: maps a fixed window of device memory at load time, under
 * MODULE_LICENSE("Dual BSD/GPL").
 * GPL-compatible.
 */
#include <linux/err.h>
#include <linux/init.h>
#include <linux/memremap.h>
#include <linux/module.h>
#include <linux/numa.h>

#define LDUALBSD_BASE		0x1000000000ULL
#define LDUALBSD_SIZE		(256ULL << 20)

static struct dev_pagemap ldualbsd_pgmap;
static void *ldualbsd_addr;

static int __init ldualbsd_init(void)
{
	ldualbsd_pgmap.type = MEMORY_DEVICE_GENERIC;
	ldualbsd_pgmap.range.start = LDUALBSD_BASE;
	ldualbsd_pgmap.range.end = LDUALBSD_BASE + LDUALBSD_SIZE - 1;
	ldualbsd_pgmap.nr_range = 1;

	ldualbsd_addr = memremap_pages(&ldualbsd_pgmap, NUMA_NO_NODE);
	return PTR_ERR_OR_ZERO(ldualbsd_addr);
}

static void __exit ldualbsd_exit(void)
{
	memunmap_pages(&ldualbsd_pgmap);
}

module_init(ldualbsd_init);
module_exit(ldualbsd_exit);

MODULE_DESCRIPTION("License fixture: Dual BSD/GPL");
MODULE_LICENSE("Dual BSD/GPL");
