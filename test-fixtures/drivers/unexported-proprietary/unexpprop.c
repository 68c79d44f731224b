// SPDX-License-Identifier: GPL-2.0
/*
 * unexpprop: the same calls from a "Proprietary" module, which
 * also uses GPL-only exports: modpost reports both kinds.
 * vm_normal_page() (mm/memory.c, declared in <linux/mm.h>) and
 * lru_add_drain_all() (mm/swap.c, declared in <linux/swap.h>) are
 * defined by the kernel but not exported: the module cannot link.
 */
#include <linux/init.h>
#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/numa.h>
#include <linux/swap.h>

static struct dev_pagemap unexpprop_pgmap;

/* The page mapped at @addr in @vma, if it is a normal one. */
struct page *unexpprop_page_at(struct vm_area_struct *vma, unsigned long addr,
				 pte_t pte)
{
	return vm_normal_page(vma, addr, pte);
}
EXPORT_SYMBOL_GPL(unexpprop_page_at);

static int __init unexpprop_init(void)
{
	lru_add_drain_all();
	unexpprop_pgmap.type = MEMORY_DEVICE_GENERIC;
	unexpprop_pgmap.range.start = 0x4000000000ULL;
	unexpprop_pgmap.range.end = 0x4000000000ULL + (16ULL << 20) - 1;
	unexpprop_pgmap.nr_range = 1;
	return PTR_ERR_OR_ZERO(memremap_pages(&unexpprop_pgmap, NUMA_NO_NODE));
}

static void __exit unexpprop_exit(void)
{
	memunmap_pages(&unexpprop_pgmap);
}

module_init(unexpprop_init);
module_exit(unexpprop_exit);

MODULE_DESCRIPTION("Calls kernel functions that are not exported");
MODULE_LICENSE("Proprietary");
