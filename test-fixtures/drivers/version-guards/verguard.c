// SPDX-License-Identifier: GPL-2.0
/*
 * verguard: a "Proprietary" driver with compat code for several kernel
 * eras. Only the branches LINUX_VERSION_CODE selects are compiled: on
 * 6.1 the pre-5.3 hmm_devmem code, the 5.3-5.9 devm code and the code
 * for kernels after 6.1 are all dead, and may even call what 6.1 does
 * not have. The live branch uses GPL-only exports and is reported.
 */
#include <linux/err.h>
#include <linux/init.h>
#include <linux/memremap.h>
#include <linux/module.h>
#include <linux/numa.h>
#include <linux/swap.h>
#include <linux/version.h>

#define VERGUARD_BASE	0x5000000000ULL
#define VERGUARD_SIZE	(32ULL << 20)

static struct dev_pagemap verguard_pgmap;

static int verguard_map(void)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 3, 0)
	struct hmm_devmem *devmem;

	devmem = hmm_devmem_add(&verguard_devmem_ops, NULL, VERGUARD_SIZE);
	return PTR_ERR_OR_ZERO(devmem);
#elif LINUX_VERSION_CODE < KERNEL_VERSION(5, 10, 0)
	verguard_pgmap.res.start = VERGUARD_BASE;
	verguard_pgmap.res.end = VERGUARD_BASE + VERGUARD_SIZE - 1;
	return PTR_ERR_OR_ZERO(devm_memremap_pages(NULL, &verguard_pgmap));
#else
	verguard_pgmap.type = MEMORY_DEVICE_GENERIC;
	verguard_pgmap.range.start = VERGUARD_BASE;
	verguard_pgmap.range.end = VERGUARD_BASE + VERGUARD_SIZE - 1;
	verguard_pgmap.nr_range = 1;
	return PTR_ERR_OR_ZERO(memremap_pages(&verguard_pgmap, NUMA_NO_NODE));
#endif
}

static int __init verguard_init(void)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
	/* not on 6.1: written for a kernel that does not exist here */
	lru_add_drain_all();
	get_dev_pagemap(0, NULL);
#endif
#if 0
	region_intersects(VERGUARD_BASE, VERGUARD_SIZE, 0, 0);
#endif
	return verguard_map();
}

static void __exit verguard_exit(void)
{
#if LINUX_VERSION_CODE > KERNEL_VERSION(5, 9, 0)
	memunmap_pages(&verguard_pgmap);
#else
	percpu_ref_exit(verguard_pgmap.ref);
#endif
}

module_init(verguard_init);
module_exit(verguard_exit);

MODULE_DESCRIPTION("Compat branches for several kernel eras");
MODULE_LICENSE("Proprietary");
