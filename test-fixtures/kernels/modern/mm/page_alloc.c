// SPDX-License-Identifier: GPL-2.0
/*
 * Page allocator entry points (fixture: a tiny static pool).
 */
#include <linux/mm.h>
#include <linux/gfp.h>
#include <linux/export.h>

#define POOL_PAGES	64

static struct page pool[POOL_PAGES];
static unsigned long pool_next;

struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	unsigned long nr = 1UL << order;
	struct page *page;

	if (pool_next + nr > POOL_PAGES)
		return NULL;
	page = &pool[pool_next];
	pool_next += nr;
	return page;
}
EXPORT_SYMBOL(alloc_pages);

void __free_pages(struct page *page, unsigned int order)
{
	page->flags = 0;
}
EXPORT_SYMBOL(__free_pages);
