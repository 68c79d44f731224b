// SPDX-License-Identifier: GPL-2.0
/*
 * twogpl: one of two modules built from this directory, under
 * MODULE_LICENSE("GPL").
 */
#include <linux/err.h>
#include <linux/init.h>
#include <linux/memremap.h>
#include <linux/module.h>
#include <linux/numa.h>

static struct dev_pagemap twogpl_pgmap = {
	.type		= MEMORY_DEVICE_GENERIC,
	.range		= {
		.start	= 0x3000000000ULL,
		.end	= 0x3000000000ULL + (16ULL << 20) - 1,
	},
	.nr_range	= 1,
};

static int __init twogpl_init(void)
{
	return PTR_ERR_OR_ZERO(memremap_pages(&twogpl_pgmap, NUMA_NO_NODE));
}

static void __exit twogpl_exit(void)
{
	memunmap_pages(&twogpl_pgmap);
}

module_init(twogpl_init);
module_exit(twogpl_exit);

MODULE_DESCRIPTION("Two modules, one directory: GPL half");
MODULE_LICENSE("GPL");
