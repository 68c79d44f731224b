// SPDX-License-Identifier: GPL-2.0
/*
 * NUMA placement of page allocations (fixture: a tiny static pool,
 * no policy at all).
 */
#include <linux/export.h>
#include <linux/gfp.h>
#include <linux/mm.h>

#define POOL_PAGES	64

static struct page pool[POOL_PAGES];
static unsigned long pool_next;

static struct page *pool_alloc(unsigned int order)
{
	unsigned long nr = 1UL << order;
	struct page *page;

	if (pool_next + nr > POOL_PAGES)
		return NULL;
	page = &pool[pool_next];
	pool_next += nr;
	return page;
}

/*
 * Allocate for a user mapping at @addr in @vma, following the VMA's
 * policy. Core mm only: deliberately not exported.
 */
struct page *alloc_pages_vma(gfp_t gfp, int order, struct vm_area_struct *vma,
			     unsigned long addr, int node, bool hugepage)
{
	if (addr < vma->vm_start || addr >= vma->vm_end)
		return NULL;
	return pool_alloc(order);
}

/* Allocate following the current task's policy. */
struct page *alloc_pages_current(gfp_t gfp, unsigned int order)
{
	return pool_alloc(order);
}
EXPORT_SYMBOL(alloc_pages_current);
