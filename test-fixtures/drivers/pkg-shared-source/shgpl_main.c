// SPDX-License-Identifier: GPL-2.0
/*
 * shgpl: one of two modules that link shcommon.c, under
 * MODULE_LICENSE("GPL").
 */
#include <linux/init.h>
#include <linux/memremap.h>
#include <linux/module.h>

#include "shcommon.h"

static struct dev_pagemap shgpl_pgmap = {
	.type		= MEMORY_DEVICE_GENERIC,
	.range		= {
		.start	= 0x3200000000ULL,
		.end	= 0x3200000000ULL + (16ULL << 20) - 1,
	},
	.nr_range	= 1,
};

static int __init shgpl_init(void)
{
	return shcommon_map(&shgpl_pgmap);
}

static void __exit shgpl_exit(void)
{
	shcommon_unmap(&shgpl_pgmap);
}

module_init(shgpl_init);
module_exit(shgpl_exit);

MODULE_DESCRIPTION("Shared source, two modules: GPL half");
MODULE_LICENSE("GPL");
