// SPDX-License-Identifier: GPL-2.0
/*
 * Generic kmalloc()/kfree() entry points (fixture: a bump allocator).
 */
#include <linux/slab.h>
#include <linux/export.h>

static char arena[1 << 16];
static size_t arena_used;

void *__kmalloc(size_t size, gfp_t flags)
{
	void *p;

	size = (size + 7) & ~7UL;
	if (arena_used + size > sizeof(arena))
		return NULL;
	p = &arena[arena_used];
	arena_used += size;
	return p;
}
EXPORT_SYMBOL(__kmalloc);

void kfree(const void *objp)
{
	/* a bump allocator never gives memory back */
}
EXPORT_SYMBOL(kfree);
