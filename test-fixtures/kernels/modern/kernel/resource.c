// SPDX-License-Identifier: GPL-2.0
/*
 * The iomem resource tree: who owns which physical address range.
 */
#include <linux/device.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/ioport.h>
#include <linux/slab.h>

struct resource iomem_resource = {
	.name	= "PCI mem",
	.start	= 0,
	.end	= (1ULL << 46) - 1,
	.flags	= IORESOURCE_MEM,
};
EXPORT_SYMBOL(iomem_resource);

static bool resource_overlaps(const struct resource *r, resource_size_t start,
			      resource_size_t end)
{
	return r->start <= end && start <= r->end;
}

/*
 * Does [start, start + size) overlap resources matching @flags and @desc?
 * Answers REGION_DISJOINT, REGION_INTERSECTS or REGION_MIXED.
 */
int region_intersects(resource_size_t start, size_t size, unsigned long flags,
		      unsigned long desc)
{
	resource_size_t end = start + size - 1;
	int type = 0, other = 0;
	struct resource *p;

	for (p = iomem_resource.child; p; p = p->sibling) {
		if (!resource_overlaps(p, start, end))
			continue;
		if ((p->flags & flags) == flags &&
		    (desc == IORES_DESC_NONE || desc == p->desc))
			type++;
		else
			other++;
	}

	if (type == 0)
		return REGION_DISJOINT;
	return other ? REGION_MIXED : REGION_INTERSECTS;
}
EXPORT_SYMBOL_GPL(region_intersects);

/* Search @base from the top down for a free, section-aligned hole. */
static struct resource *get_free_mem_region(struct device *dev,
					    struct resource *base,
					    unsigned long size,
					    const char *name)
{
	resource_size_t addr;
	struct resource *res;

	res = kzalloc(sizeof(*res), GFP_KERNEL);
	if (!res)
		return ERR_PTR(-ENOMEM);

	for (addr = base->end - size + 1; addr > base->start; addr -= size) {
		if (region_intersects(addr, size, 0, IORES_DESC_NONE) !=
		    REGION_DISJOINT)
			continue;
		res->start = addr;
		res->end = addr + size - 1;
		res->name = name;
		res->desc = IORES_DESC_DEVICE_PRIVATE_MEMORY;
		res->parent = base;
		return res;
	}

	kfree(res);
	return ERR_PTR(-ERANGE);
}

struct resource *devm_request_free_mem_region(struct device *dev,
					      struct resource *base,
					      unsigned long size)
{
	return get_free_mem_region(dev, base, size, dev_name(dev));
}
EXPORT_SYMBOL_GPL(devm_request_free_mem_region);

struct resource *request_free_mem_region(struct resource *base,
					 unsigned long size, const char *name)
{
	return get_free_mem_region(NULL, base, size, name);
}
EXPORT_SYMBOL_GPL(request_free_mem_region);
