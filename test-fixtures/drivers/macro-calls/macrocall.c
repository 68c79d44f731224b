// SPDX-License-Identifier: GPL-2.0
/*
 * macrocall: a "Proprietary" PCI driver that reaches GPL-only exports
 * only through its own macros, one of them nested. The use counts
 * where the macro is invoked. A macro that is never invoked (DROP)
 * calls nothing.
 */
#include <linux/err.h>
#include <linux/memremap.h>
#include <linux/module.h>
#include <linux/pci.h>

#define MACROCALL_BAR		2
#define MAP(dev, pgmap)		devm_memremap_pages(dev, pgmap)
#define LOOKUP(pfn)		get_dev_pagemap(pfn, NULL)
#define CHECK_MAPPED(pgmap)	(LOOKUP(PHYS_PFN((pgmap)->range.start)) == (pgmap))
#define DROP(pgmap)		memunmap_pages(pgmap)

static struct dev_pagemap macrocall_pgmap;

static int macrocall_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	void *addr;

	macrocall_pgmap.type = MEMORY_DEVICE_GENERIC;
	macrocall_pgmap.range.start = pci_resource_start(pdev, MACROCALL_BAR);
	macrocall_pgmap.range.end = pci_resource_end(pdev, MACROCALL_BAR);
	macrocall_pgmap.nr_range = 1;

	addr = MAP(&pdev->dev, &macrocall_pgmap);
	if (IS_ERR(addr))
		return PTR_ERR(addr);
	return CHECK_MAPPED(&macrocall_pgmap) ? 0 : -ENXIO;
}

static const struct pci_device_id macrocall_ids[] = {
	{ PCI_DEVICE(0x1f1f, 0x1101) },
	{ }
};
MODULE_DEVICE_TABLE(pci, macrocall_ids);

static struct pci_driver macrocall_driver = {
	.name		= "macrocall",
	.id_table	= macrocall_ids,
	.probe		= macrocall_probe,
};
module_pci_driver(macrocall_driver);

MODULE_DESCRIPTION("GPL-only calls hidden in the driver's own macros");
MODULE_LICENSE("Proprietary");
