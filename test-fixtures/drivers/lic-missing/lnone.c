// SPDX-License-Identifier: GPL-2.0
/*
 * lnone: maps a fixed window of device memory at load time, but has no
 * MODULE_LICENSE(). modpost refuses the module for that alone: without a
 * license line it does not report the GPL-only calls as well.
 */
#include <linux/err.h>
#include <linux/init.h>
#include <linux/memremap.h>
#include <linux/module.h>
#include <linux/numa.h>

#define LNONE_BASE		0x1000000000ULL
#define LNONE_SIZE		(256ULL << 20)

static struct dev_pagemap lnone_pgmap;
static void *lnone_addr;

static int __init lnone_init(void)
{
	lnone_pgmap.type = MEMORY_DEVICE_GENERIC;
	lnone_pgmap.range.start = LNONE_BASE;
	lnone_pgmap.range.end = LNONE_BASE + LNONE_SIZE - 1;
	lnone_pgmap.nr_range = 1;

	lnone_addr = memremap_pages(&lnone_pgmap, NUMA_NO_NODE);
	return PTR_ERR_OR_ZERO(lnone_addr);
}

static void __exit lnone_exit(void)
{
	memunmap_pages(&lnone_pgmap);
}

module_init(lnone_init);
module_exit(lnone_exit);

MODULE_DESCRIPTION("License fixture: none");
