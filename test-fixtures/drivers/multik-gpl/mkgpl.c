// SPDX-License-Identifier: GPL-2.0
/*
 * mkgpl: a "Proprietary" device-memory driver built for 6.1 and 6.12 alike.
 * Its compat guard for recalibrate_cpu_khz() is right on 6.1, where the
 * export is plain, and wrong on 6.12: the author expected the GPL-only
 * marking in 6.13, but 6.12's Module.symvers already has it. The
 * devm_memremap_pages() call is refused on both kernels.
 */
#include <linux/err.h>
#include <linux/init.h>
#include <linux/memremap.h>
#include <linux/module.h>
#include <linux/version.h>
#include <asm/timer.h>

#define MKGPL_BASE	0x6000000000ULL
#define MKGPL_SIZE	(64ULL << 20)

static struct dev_pagemap mkgpl_pgmap;

static int __init mkgpl_init(void)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 13, 0)
	/* before the (supposed) GPL-only marking: resync the TSC rate */
	recalibrate_cpu_khz();
#endif
	mkgpl_pgmap.type = MEMORY_DEVICE_GENERIC;
	mkgpl_pgmap.range.start = MKGPL_BASE;
	mkgpl_pgmap.range.end = MKGPL_BASE + MKGPL_SIZE - 1;
	mkgpl_pgmap.nr_range = 1;
	return PTR_ERR_OR_ZERO(devm_memremap_pages(NULL, &mkgpl_pgmap));
}

module_init(mkgpl_init);

MODULE_DESCRIPTION("A compat guard right on 6.1 and wrong on 6.12");
MODULE_LICENSE("Proprietary");
