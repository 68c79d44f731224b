// SPDX-License-Identifier: GPL-2.0
/*
 * shadow: a "Proprietary" module that
 *  - defines its own static get_dev_pagemap(): calls bind to it, not to
 *    the kernel's GPL-only export of the same name;
 *  - reaches devm_memremap_pages() through a macro: that use counts.
 *
 * (A real build would reject the static redefinition against the
 * prototype in <linux/memremap.h>; the fixture only tests name lookup.)
 */
#include <linux/device.h>
#include <linux/err.h>
#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pci.h>

#define SHADOW_BAR		0
#define MAP_PAGES(d, p)		devm_memremap_pages(d, p)

static struct dev_pagemap pgmap;

/* Our own lookup: only knows about the single map this driver owns. */
static struct dev_pagemap *get_dev_pagemap(unsigned long pfn,
					   struct dev_pagemap *hint)
{
	if (pfn < PHYS_PFN(pgmap.range.start) ||
	    pfn > PHYS_PFN(pgmap.range.end))
		return NULL;
	return hint ? hint : &pgmap;
}

static int shadow_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct device *dev = &pdev->dev;
	void *addr;

	pgmap.type = MEMORY_DEVICE_GENERIC;
	pgmap.range.start = pci_resource_start(pdev, SHADOW_BAR);
	pgmap.range.end = pci_resource_end(pdev, SHADOW_BAR);
	pgmap.nr_range = 1;

	addr = MAP_PAGES(dev, &pgmap);
	if (IS_ERR(addr))
		return PTR_ERR(addr);

	if (!get_dev_pagemap(PHYS_PFN(pgmap.range.start), NULL))
		return -ENXIO;
	return 0;
}

static const struct pci_device_id shadow_ids[] = {
	{ PCI_DEVICE(0x1f1f, 0x0d01) },
	{ }
};
MODULE_DEVICE_TABLE(pci, shadow_ids);

static struct pci_driver shadow_driver = {
	.name		= "shadow",
	.id_table	= shadow_ids,
	.probe		= shadow_probe,
};
module_pci_driver(shadow_driver);

MODULE_DESCRIPTION("Local definitions and macros around kernel names");
MODULE_LICENSE("Proprietary");
