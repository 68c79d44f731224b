// SPDX-License-Identifier: GPL-2.0
/*
 * ZONE_DEVICE (4.19 layout: this code still lives in kernel/).
 *
 * The caller owns pgmap->ref; pfns are tracked in a radix tree keyed
 * by section so that get_dev_pagemap() can find the map of any pfn.
 */
#include <linux/device.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/memory_hotplug.h>
#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/percpu-refcount.h>
#include <linux/radix-tree.h>

static RADIX_TREE(pgmap_radix, GFP_KERNEL);

#define SECTION_MASK	(~(PA_SECTION_SIZE - 1))

static unsigned long pfn_first(struct dev_pagemap *pgmap)
{
	unsigned long pfn = PHYS_PFN(pgmap->res.start);

	if (pgmap->altmap_valid)
		pfn += vmem_altmap_offset(&pgmap->altmap);
	return pfn;
}

static unsigned long pfn_end(struct dev_pagemap *pgmap)
{
	return PHYS_PFN(pgmap->res.start + resource_size(&pgmap->res));
}

static void pgmap_radix_release(struct resource *res, unsigned long end_key)
{
	unsigned long key;

	for (key = res->start >> PA_SECTION_SHIFT; key < end_key; key++)
		radix_tree_delete(&pgmap_radix, key);
}

static void devm_memremap_pages_release(void *data)
{
	struct dev_pagemap *pgmap = data;
	struct resource *res = &pgmap->res;
	resource_size_t align_start, align_size;

	percpu_ref_kill(pgmap->ref);

	align_start = res->start & SECTION_MASK;
	align_size = ALIGN(res->start + resource_size(res), PA_SECTION_SIZE) -
		     align_start;
	arch_remove_memory(align_start, align_size,
			   pgmap->altmap_valid ? &pgmap->altmap : NULL);

	pgmap_radix_release(res, (res->end >> PA_SECTION_SHIFT) + 1);
}

/*
 * Map @pgmap->res with struct pages in ZONE_DEVICE. @pgmap->ref must
 * be live; it is killed (not exited) when @dev is unbound.
 */
void *devm_memremap_pages(struct device *dev, struct dev_pagemap *pgmap)
{
	struct vmem_altmap *altmap = pgmap->altmap_valid ? &pgmap->altmap : NULL;
	struct resource *res = &pgmap->res;
	resource_size_t align_start, align_size;
	unsigned long key, pfn;
	int error, is_ram, nid = dev_to_node(dev);

	if (!pgmap->ref)
		return ERR_PTR(-EINVAL);

	align_start = res->start & SECTION_MASK;
	align_size = ALIGN(res->start + resource_size(res), PA_SECTION_SIZE) -
		     align_start;

	is_ram = region_intersects(align_start, align_size, IORESOURCE_MEM,
				   IORES_DESC_NONE);
	if (is_ram != REGION_DISJOINT)
		return ERR_PTR(-ENXIO);

	pgmap->dev = dev;

	for (key = align_start >> PA_SECTION_SHIFT;
	     key <= (res->end >> PA_SECTION_SHIFT); key++) {
		error = radix_tree_insert(&pgmap_radix, key, pgmap);
		if (error)
			goto err_radix;
	}

	error = arch_add_memory(nid, align_start, align_size, altmap, false);
	if (error)
		goto err_radix;
	move_pfn_range_to_zone(nid, PHYS_PFN(align_start),
			       PHYS_PFN(align_size), altmap);

	for (pfn = pfn_first(pgmap); pfn < pfn_end(pgmap); pfn++) {
		pfn_to_page(pfn)->pgmap = pgmap;
		percpu_ref_get(pgmap->ref);
	}

	error = devm_add_action(dev, devm_memremap_pages_release, pgmap);
	if (error)
		return ERR_PTR(error);

	return __va(res->start);

err_radix:
	pgmap_radix_release(res, key);
	return ERR_PTR(error);
}
EXPORT_SYMBOL(devm_memremap_pages);

unsigned long vmem_altmap_offset(struct vmem_altmap *altmap)
{
	/* pfns at the start of the range that host the memmap itself */
	return altmap->reserve + altmap->free;
}

/*
 * Find the dev_pagemap covering @pfn and take a reference on it. A caller
 * that already holds @pgmap and finds @pfn inside it gets it back as is.
 */
struct dev_pagemap *get_dev_pagemap(unsigned long pfn,
				    struct dev_pagemap *pgmap)
{
	resource_size_t phys = PFN_PHYS(pfn);

	if (pgmap && phys >= pgmap->res.start && phys <= pgmap->res.end)
		return pgmap;

	pgmap = radix_tree_lookup(&pgmap_radix, phys >> PA_SECTION_SHIFT);
	if (pgmap && !percpu_ref_tryget_live(pgmap->ref))
		pgmap = NULL;
	return pgmap;
}
EXPORT_SYMBOL_GPL(get_dev_pagemap);
