// SPDX-License-Identifier: GPL-2.0
/*
 * twoprop: one of two modules built from this directory, under
 * MODULE_LICENSE("Proprietary").
 */
#include <linux/err.h>
#include <linux/init.h>
#include <linux/memremap.h>
#include <linux/module.h>
#include <linux/numa.h>

static struct dev_pagemap twoprop_pgmap = {
	.type		= MEMORY_DEVICE_GENERIC,
	.range		= {
		.start	= 0x3100000000ULL,
		.end	= 0x3100000000ULL + (16ULL << 20) - 1,
	},
	.nr_range	= 1,
};

static int __init twoprop_init(void)
{
	return PTR_ERR_OR_ZERO(memremap_pages(&twoprop_pgmap, NUMA_NO_NODE));
}

static void __exit twoprop_exit(void)
{
	memunmap_pages(&twoprop_pgmap);
}

module_init(twoprop_init);
module_exit(twoprop_exit);

MODULE_DESCRIPTION("Two modules, one directory: Proprietary half");
MODULE_LICENSE("Proprietary");
