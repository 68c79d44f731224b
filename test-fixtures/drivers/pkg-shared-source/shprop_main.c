// SPDX-License-Identifier: GPL-2.0
/*
 * shprop: one of two modules that link shcommon.c, under
 * MODULE_LICENSE("Proprietary").
 */
#include <linux/init.h>
#include <linux/memremap.h>
#include <linux/module.h>

#include "shcommon.h"

static struct dev_pagemap shprop_pgmap = {
	.type		= MEMORY_DEVICE_GENERIC,
	.range		= {
		.start	= 0x3300000000ULL,
		.end	= 0x3300000000ULL + (16ULL << 20) - 1,
	},
	.nr_range	= 1,
};

static int __init shprop_init(void)
{
	return shcommon_map(&shprop_pgmap);
}

static void __exit shprop_exit(void)
{
	shcommon_unmap(&shprop_pgmap);
}

module_init(shprop_init);
module_exit(shprop_exit);

MODULE_DESCRIPTION("Shared source, two modules: Proprietary half");
MODULE_LICENSE("Proprietary");
