// SPDX-License-Identifier: GPL-2.0
/*
 * lspdx: maps a fixed window of device memory at load time, under
 * MODULE_LICENSE("GPL-2.0").
 * An SPDX identifier is not one of the kernel's license strings.
 */
#include <linux/err.h>
#include <linux/init.h>
#include <linux/memremap.h>
#include <linux/module.h>
#include <linux/numa.h>

#define LSPDX_BASE		0x1000000000ULL
#define LSPDX_SIZE		(256ULL << 20)

static struct dev_pagemap lspdx_pgmap;
static void *lspdx_addr;

static int __init lspdx_init(void)
{
	lspdx_pgmap.type = MEMORY_DEVICE_GENERIC;
	lspdx_pgmap.range.start = LSPDX_BASE;
	lspdx_pgmap.range.end = LSPDX_BASE + LSPDX_SIZE - 1;
	lspdx_pgmap.nr_range = 1;

	lspdx_addr = memremap_pages(&lspdx_pgmap, NUMA_NO_NODE);
	return PTR_ERR_OR_ZERO(lspdx_addr);
}

static void __exit lspdx_exit(void)
{
	memunmap_pages(&lspdx_pgmap);
}

module_init(lspdx_init);
module_exit(lspdx_exit);

MODULE_DESCRIPTION("License fixture: GPL-2.0");
MODULE_LICENSE("GPL-2.0");
