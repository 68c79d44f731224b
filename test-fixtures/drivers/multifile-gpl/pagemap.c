// SPDX-License-Identifier: GPL-2.0
/*
 * mfgpl: memory half, with GPL-only calls. Allowed: the license line
 * in core.c is GPL-compatible.
 */
#include <linux/device.h>
#include <linux/err.h>
#include <linux/memremap.h>
#include <linux/mm.h>

#include "mfgpl.h"

int mfgpl_pagemap_setup(struct mfgpl *mg)
{
	struct device *dev = &mg->pdev->dev;
	struct dev_pagemap *check;
	void *addr;

	mg->pgmap.type = MEMORY_DEVICE_GENERIC;
	mg->pgmap.range.start = pci_resource_start(mg->pdev, MFGPL_MEM_BAR);
	mg->pgmap.range.end = pci_resource_end(mg->pdev, MFGPL_MEM_BAR);
	mg->pgmap.nr_range = 1;

	addr = devm_memremap_pages(dev, &mg->pgmap);
	if (IS_ERR(addr))
		return PTR_ERR(addr);

	check = get_dev_pagemap(PHYS_PFN(mg->pgmap.range.start), NULL);
	if (check != &mg->pgmap)
		return -ENXIO;
	put_dev_pagemap(check);
	return 0;
}
