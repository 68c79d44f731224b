/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_GFP_H
#define _LINUX_GFP_H

#include <linux/types.h>

struct page;
struct vm_area_struct;

#define __GFP_ZERO	0x8000u
#define __GFP_HIGHMEM	0x02u
#define GFP_KERNEL	0x6000c0u
#define GFP_HIGHUSER	(GFP_KERNEL | __GFP_HIGHMEM)

struct page *alloc_pages_current(gfp_t gfp, unsigned int order);
struct page *alloc_pages_vma(gfp_t gfp, int order, struct vm_area_struct *vma,
			     unsigned long addr, int node, bool hugepage);

static inline struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	return alloc_pages_current(gfp, order);
}

#define alloc_page(gfp)	alloc_pages(gfp, 0)
#define alloc_page_vma(gfp, vma, addr) \
	alloc_pages_vma(gfp, 0, vma, addr, -1, false)

#endif /* _LINUX_GFP_H */
