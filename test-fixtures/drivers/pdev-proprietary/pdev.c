// SPDX-License-Identifier: GPL-2.0
/*
 * pdev: a vendor PCI driver that gives its memory BAR struct pages.
 * The module is licensed "Proprietary" below, whatever the SPDX line
 * says: modpost only reads MODULE_LICENSE().
 */
#include <linux/err.h>
#include <linux/hmm.h>
#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pci.h>

#define PDEV_BAR	2

struct mmu_interval_notifier;

/* Vendor code sometimes re-declares what it uses; still not a call. */
void *devm_memremap_pages(struct device *dev, struct dev_pagemap *pgmap);

int pdev_snapshot(struct mmu_interval_notifier *mni, unsigned long start,
		  unsigned long *pfns);

static struct dev_pagemap pdev_pgmap;

static int pdev_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct device *dev = &pdev->dev;
	struct dev_pagemap *found;
	void *addr;

	pdev_pgmap.type = MEMORY_DEVICE_GENERIC;
	pdev_pgmap.range.start = pci_resource_start(pdev, PDEV_BAR);
	pdev_pgmap.range.end = pci_resource_end(pdev, PDEV_BAR);
	pdev_pgmap.nr_range = 1;

	/* devm_memremap_pages() ties the mapping to the device's lifetime */
	addr = devm_memremap_pages(dev, &pdev_pgmap);
	if (IS_ERR(addr)) {
		dev_err(dev, "devm_memremap_pages failed: %ld\n", PTR_ERR(addr));
		return PTR_ERR(addr);
	}

	found = get_dev_pagemap(PHYS_PFN(pdev_pgmap.range.start), NULL);
	if (!found)
		return -ENXIO;
	put_dev_pagemap(found);

	dev_info(dev, "BAR%d mapped at %p\n", PDEV_BAR, addr);
	return 0;
}

/* Snapshot one page of a process for the device (hmm_range_fault is plain). */
int pdev_snapshot(struct mmu_interval_notifier *mni, unsigned long start,
		  unsigned long *pfns)
{
	struct hmm_range range = {
		.notifier	= mni,
		.start		= start,
		.end		= start + PAGE_SIZE,
		.hmm_pfns	= pfns,
		.default_flags	= HMM_PFN_REQ_FAULT,
	};

	return hmm_range_fault(&range);
}

static const struct pci_device_id pdev_ids[] = {
	{ PCI_DEVICE(0x1f1f, 0x0b01) },
	{ }
};
MODULE_DEVICE_TABLE(pci, pdev_ids);

static struct pci_driver pdev_driver = {
	.name		= "pdev",
	.id_table	= pdev_ids,
	.probe		= pdev_probe,
};
module_pci_driver(pdev_driver);

MODULE_AUTHOR("Example Vendor");
MODULE_DESCRIPTION("Vendor BAR as ZONE_DEVICE memory");
MODULE_LICENSE("Proprietary");
