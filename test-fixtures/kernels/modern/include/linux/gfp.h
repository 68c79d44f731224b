/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_GFP_H
#define _LINUX_GFP_H

#include <linux/types.h>

struct page;

#define __GFP_ZERO	0x100u
#define __GFP_HIGHMEM	0x02u
#define GFP_KERNEL	0xcc0u
#define GFP_HIGHUSER	(GFP_KERNEL | __GFP_HIGHMEM)

struct page *alloc_pages(gfp_t gfp, unsigned int order);
void __free_pages(struct page *page, unsigned int order);

#define alloc_page(gfp)		alloc_pages(gfp, 0)
#define __free_page(page)	__free_pages((page), 0)

#endif /* _LINUX_GFP_H */
