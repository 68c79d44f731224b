// SPDX-License-Identifier: GPL-2.0
/*
 * unexpmm: a GPL module that calls two core-mm functions.
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

static struct dev_pagemap unexpmm_pgmap;

/* The page mapped at @addr in @vma, if it is a normal one. */
struct page *unexpmm_page_at(struct vm_area_struct *vma, unsigned long addr,
				 pte_t pte)
{
	return vm_normal_page(vma, addr, pte);
}
EXPORT_SYMBOL_GPL(unexpmm_page_at);

static int __init unexpmm_init(void)
{
	lru_add_drain_all();
	unexpmm_pgmap.type = MEMORY_DEVICE_GENERIC;
	unexpmm_pgmap.range.start = 0x4000000000ULL;
	unexpmm_pgmap.range.end = 0x4000000000ULL + (16ULL << 20) - 1;
	unexpmm_pgmap.nr_range = 1;
	return PTR_ERR_OR_ZERO(memremap_pages(&unexpmm_pgmap, NUMA_NO_NODE));
}

static void __exit unexpmm_exit(void)
{
	memunmap_pages(&unexpmm_pgmap);
}

module_init(unexpmm_init);
module_exit(unexpmm_exit);

MODULE_DESCRIPTION("Calls kernel functions that are not exported");
MODULE_LICENSE("GPL");
