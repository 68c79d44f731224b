// SPDX-License-Identifier: GPL-2.0
/*
 * lcddl: maps a fixed window of device memory at load time, under
 * MODULE_LICENSE("CDDL").
 * Not in the kernel's list.
 */
#include <linux/err.h>
#include <linux/init.h>
#include <linux/memremap.h>
#include <linux/module.h>
#include <linux/numa.h>

#define LCDDL_BASE		0x1000000000ULL
#define LCDDL_SIZE		(256ULL << 20)

static struct dev_pagemap lcddl_pgmap;
static void *lcddl_addr;

static int __init lcddl_init(void)
{
	lcddl_pgmap.type = MEMORY_DEVICE_GENERIC;
	lcddl_pgmap.range.start = LCDDL_BASE;
	lcddl_pgmap.range.end = LCDDL_BASE + LCDDL_SIZE - 1;
	lcddl_pgmap.nr_range = 1;

	lcddl_addr = memremap_pages(&lcddl_pgmap, NUMA_NO_NODE);
	return PTR_ERR_OR_ZERO(lcddl_addr);
}

static void __exit lcddl_exit(void)
{
	memunmap_pages(&lcddl_pgmap);
}

module_init(lcddl_init);
module_exit(lcddl_exit);

MODULE_DESCRIPTION("License fixture: CDDL");
MODULE_LICENSE("CDDL");
