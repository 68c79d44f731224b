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

/* Claim [start, start + n) under @parent until @dev is unbound. */
struct resource *__devm_request_region(struct device *dev,
				       struct resource *parent,
				       resource_size_t start,
				       resource_size_t n, const char *name)
{
	struct resource *res;

	if (region_intersects(start, n, 0, IORES_DESC_NONE) != REGION_DISJOINT)
		return NULL;

	res = devm_kzalloc(dev, sizeof(*res), GFP_KERNEL);
	if (!res)
		return NULL;
	res->start = start;
	res->end = start + n - 1;
	res->name = name;
	res->flags = IORESOURCE_MEM;
	res->parent = parent;
	return res;
}
EXPORT_SYMBOL(__devm_request_region);
