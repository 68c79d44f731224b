/** A GPL driver's hover targets: fields, enumerators, functions, the struct, the license. */
export const GPL_DRIVER = `#include <linux/hmm.h>
#include <linux/memremap.h>
#include <linux/module.h>

static struct dev_pagemap drv_pgmap = {
	.type = MEMORY_DEVICE_PRIVATE,
	.nr_range = 1,
};

static int drv_map(struct device *dev, struct dev_pagemap *pgmap, struct hmm_range *range)
{
	pgmap->altmap.free = 0;
	pgmap->flags |= PGMAP_ALTMAP_VALID;
	pgmap->range.start = 0;
	if (hmm_range_fault(range))
		return -EBUSY;
	return PTR_ERR_OR_ZERO(devm_memremap_pages(dev, pgmap));
}
MODULE_LICENSE("GPL");
`;

export const GPL_DRIVER_TARGETS: [string, number][] = [
	['altmap.free', 2],
	['altmap.free', 8],
	['MEMORY_DEVICE_PRIVATE', 3],
	['devm_memremap_pages', 3],
	['hmm_range_fault', 3],
	['dev_pagemap drv_pgmap', 3],
	['.type', 2],
	['PGMAP_ALTMAP_VALID', 3],
	['range.start', 2],
	['MODULE_LICENSE', 3],
];
