// SPDX-License-Identifier: GPL-2.0
/*
 * fakemem core: built into vmlinux (bool Kconfig option), so it may
 * use GPL-only exports without a MODULE_LICENSE() of its own.
 */
#include <linux/device.h>
#include <linux/err.h>
#include <linux/fakemem.h>
#include <linux/memremap.h>

static struct dev_pagemap fakemem_core_pgmap;

/* Called by board setup code with the range the firmware described. */
int fakemem_core_register(struct device *dev, phys_addr_t base, size_t size)
{
	void *addr;

	if (fakemem_core_pgmap.nr_range)
		return -EBUSY;

	fakemem_core_pgmap.type = MEMORY_DEVICE_GENERIC;
	fakemem_core_pgmap.range.start = base;
	fakemem_core_pgmap.range.end = base + size - 1;
	fakemem_core_pgmap.nr_range = 1;

	addr = devm_memremap_pages(dev, &fakemem_core_pgmap);
	if (IS_ERR(addr)) {
		fakemem_core_pgmap.nr_range = 0;
		return PTR_ERR(addr);
	}
	return 0;
}
