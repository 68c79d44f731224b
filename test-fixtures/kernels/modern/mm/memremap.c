// SPDX-License-Identifier: GPL-2.0
/*
 * ZONE_DEVICE: give struct pages to device memory.
 *
 * A driver fills a struct dev_pagemap and calls memremap_pages() (or the
 * devm_ variant); the pages stay pinned by pgmap->ref until teardown.
 */
#include <linux/container_of.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/ioport.h>
#include <linux/jump_label.h>
#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/percpu-refcount.h>

#include "internal.h"

#define PGMAP_TABLE_SIZE	16

/* Registered maps, looked up by pfn in get_dev_pagemap(). */
static struct dev_pagemap *pgmap_table[PGMAP_TABLE_SIZE];

/* Enabled while any FS_DAX or GENERIC map needs put_page() interception. */
DEFINE_STATIC_KEY_FALSE(devmap_managed_key);
EXPORT_SYMBOL(devmap_managed_key);

unsigned long memremap_compat_align(void)
{
	return PAGE_SIZE << 9;
}
EXPORT_SYMBOL_GPL(memremap_compat_align);

static unsigned long pfn_first(struct dev_pagemap *pgmap, int range_id)
{
	struct range *range = &pgmap->ranges[range_id];
	unsigned long pfn = PHYS_PFN(range->start);

	if (pgmap_altmap(pgmap))
		pfn += pgmap->altmap.reserve + pgmap->altmap.free;
	return pfn;
}

static unsigned long pfn_len(struct dev_pagemap *pgmap, int range_id)
{
	struct range *range = &pgmap->ranges[range_id];

	return PHYS_PFN(range_len(range));
}

static void dev_pagemap_percpu_release(struct percpu_ref *ref)
{
	struct dev_pagemap *pgmap = container_of(ref, struct dev_pagemap, ref);

	complete(&pgmap->done);
}

static int pgmap_table_insert(struct dev_pagemap *pgmap)
{
	int i;

	for (i = 0; i < PGMAP_TABLE_SIZE; i++) {
		if (!pgmap_table[i]) {
			pgmap_table[i] = pgmap;
			return 0;
		}
	}
	return -ENOSPC;
}

static void pgmap_table_remove(struct dev_pagemap *pgmap)
{
	int i;

	for (i = 0; i < PGMAP_TABLE_SIZE; i++)
		if (pgmap_table[i] == pgmap)
			pgmap_table[i] = NULL;
}

/* Create the struct pages for one range and move them to ZONE_DEVICE. */
static int pagemap_range(struct dev_pagemap *pgmap, int range_id, int nid)
{
	struct range *range = &pgmap->ranges[range_id];
	int is_ram;

	is_ram = region_intersects(range->start, range_len(range),
				   IORESOURCE_MEM, IORES_DESC_NONE);
	if (is_ram != REGION_DISJOINT)
		return -ENXIO;

	if (pgmap->type == MEMORY_DEVICE_PRIVATE)
		__add_pages(nid, PHYS_PFN(range->start), PHYS_PFN(range_len(range)));

	move_pfn_range_to_zone(nid, pfn_first(pgmap, range_id),
			       pfn_len(pgmap, range_id), pgmap_altmap(pgmap));
	return 0;
}

static void pageunmap_range(struct dev_pagemap *pgmap, int range_id)
{
	struct range *range = &pgmap->ranges[range_id];

	__remove_pages(PHYS_PFN(range->start), PHYS_PFN(range_len(range)));
}

void *memremap_pages(struct dev_pagemap *pgmap, int nid)
{
	const struct dev_pagemap_ops *ops = pgmap->ops;
	int i, error;

	if (pgmap->type == MEMORY_DEVICE_PRIVATE) {
		/* private pages are useless without a way back to RAM */
		if (!ops || !ops->page_free || !ops->migrate_to_ram ||
		    !pgmap->owner)
			return ERR_PTR(-EINVAL);
	}

	init_completion(&pgmap->done);
	error = percpu_ref_init(&pgmap->ref, dev_pagemap_percpu_release, 0,
				GFP_KERNEL);
	if (error)
		return ERR_PTR(error);

	error = pgmap_table_insert(pgmap);
	if (error)
		goto err_ref;

	for (i = 0; i < pgmap->nr_range; i++) {
		error = pagemap_range(pgmap, i, nid);
		if (error)
			goto err_range;
	}

	return __va(pgmap->ranges[0].start);

err_range:
	while (--i >= 0)
		pageunmap_range(pgmap, i);
	pgmap_table_remove(pgmap);
err_ref:
	percpu_ref_exit(&pgmap->ref);
	return ERR_PTR(error);
}
EXPORT_SYMBOL_GPL(memremap_pages);

void memunmap_pages(struct dev_pagemap *pgmap)
{
	int i;

	percpu_ref_kill(&pgmap->ref);
	wait_for_completion(&pgmap->done);

	for (i = 0; i < pgmap->nr_range; i++)
		pageunmap_range(pgmap, i);

	pgmap_table_remove(pgmap);
	percpu_ref_exit(&pgmap->ref);
}
EXPORT_SYMBOL_GPL(memunmap_pages);

static void devm_memremap_pages_release(void *data)
{
	memunmap_pages(data);
}

void *devm_memremap_pages(struct device *dev, struct dev_pagemap *pgmap)
{
	void *ret;
	int error;

	ret = memremap_pages(pgmap, dev_to_node(dev));
	if (IS_ERR(ret))
		return ret;

	error = devm_add_action_or_reset(dev, devm_memremap_pages_release,
					 pgmap);
	if (error)
		return ERR_PTR(error);
	return ret;
}
EXPORT_SYMBOL_GPL(devm_memremap_pages);

void devm_memunmap_pages(struct device *dev, struct dev_pagemap *pgmap)
{
	/* the devm action does the work when @dev unbinds */
	memunmap_pages(pgmap);
}
EXPORT_SYMBOL_GPL(devm_memunmap_pages);

/*
 * Find the dev_pagemap covering @pfn and take a reference on it. A caller
 * that already holds @pgmap and finds @pfn inside it gets it back as is.
 */
struct dev_pagemap *get_dev_pagemap(unsigned long pfn,
				    struct dev_pagemap *pgmap)
{
	int i;

	if (pgmap && pfn >= PHYS_PFN(pgmap->range.start) &&
	    pfn <= PHYS_PFN(pgmap->range.end))
		return pgmap;

	for (i = 0; i < PGMAP_TABLE_SIZE; i++) {
		pgmap = pgmap_table[i];
		if (!pgmap || pfn < PHYS_PFN(pgmap->range.start) ||
		    pfn > PHYS_PFN(pgmap->range.end))
			continue;
		if (percpu_ref_tryget_live(&pgmap->ref))
			return pgmap;
	}
	return NULL;
}
EXPORT_SYMBOL_GPL(get_dev_pagemap);

/* Prepare a free device page for reuse by its driver. */
void zone_device_page_init(struct page *page)
{
	percpu_ref_get(&page->pgmap->ref);
	page->private = 0;
}
EXPORT_SYMBOL_GPL(zone_device_page_init);

/* Drop @refs references on a devmap-managed page; true if it was one. */
bool __put_devmap_managed_page_refs(struct page *page, int refs)
{
	if (page->pgmap->type != MEMORY_DEVICE_FS_DAX &&
	    page->pgmap->type != MEMORY_DEVICE_GENERIC)
		return false;

	while (refs--)
		put_dev_pagemap(page->pgmap);
	return true;
}
EXPORT_SYMBOL(__put_devmap_managed_page_refs);
