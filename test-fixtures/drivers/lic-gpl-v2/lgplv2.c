// SPDX-License-Identifier: GPL-2.0
/*
 * lgplv2: maps a fixed window of device memory at load time, under
 * MODULE_LICENSE("GPL v2").
 * GPL-compatible.
 */
#include <linux/err.h>
#include <linux/init.h>
#include <linux/memremap.h>
#include <linux/module.h>
#include <linux/numa.h>

#define LGPLV2_BASE		0x1000000000ULL
#define LGPLV2_SIZE		(256ULL << 20)

static struct dev_pagemap lgplv2_pgmap;
static void *lgplv2_addr;

static int __init lgplv2_init(void)
{
	lgplv2_pgmap.type = MEMORY_DEVICE_GENERIC;
	lgplv2_pgmap.range.start = LGPLV2_BASE;
	lgplv2_pgmap.range.end = LGPLV2_BASE + LGPLV2_SIZE - 1;
	lgplv2_pgmap.nr_range = 1;

	lgplv2_addr = memremap_pages(&lgplv2_pgmap, NUMA_NO_NODE);
	return PTR_ERR_OR_ZERO(lgplv2_addr);
}

static void __exit lgplv2_exit(void)
{
	memunmap_pages(&lgplv2_pgmap);
}

module_init(lgplv2_init);
module_exit(lgplv2_exit);

MODULE_DESCRIPTION("License fixture: GPL v2");
MODULE_LICENSE("GPL v2");
