// SPDX-License-Identifier: GPL-2.0
/*
 * pdev_gpl: the same driver as pdev, licensed "GPL": nothing to report.
 */
#include <linux/err.h>
#include <linux/hmm.h>
#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pci.h>

#define PDEV_GPL_BAR	2

struct mmu_interval_notifier;

/* Vendor code sometimes re-declares what it uses; still not a call. */
void *devm_memremap_pages(struct device *dev, struct dev_pagemap *pgmap);

int pdev_gpl_snapshot(struct mmu_interval_notifier *mni, unsigned long start,
		      unsigned long *pfns);

static struct dev_pagemap pdev_gpl_pgmap;

static int pdev_gpl_probe(struct pci_dev *pdev,
			  const struct pci_device_id *id)
{
	struct device *dev = &pdev->dev;
	struct dev_pagemap *found;
	void *addr;

	pdev_gpl_pgmap.type = MEMORY_DEVICE_GENERIC;
	pdev_gpl_pgmap.range.start = pci_resource_start(pdev, PDEV_GPL_BAR);
	pdev_gpl_pgmap.range.end = pci_resource_end(pdev, PDEV_GPL_BAR);
	pdev_gpl_pgmap.nr_range = 1;

	/* devm_memremap_pages() ties the mapping to the device's lifetime */
	addr = devm_memremap_pages(dev, &pdev_gpl_pgmap);
	if (IS_ERR(addr)) {
		dev_err(dev, "devm_memremap_pages failed: %ld\n", PTR_ERR(addr));
		return PTR_ERR(addr);
	}

	found = get_dev_pagemap(PHYS_PFN(pdev_gpl_pgmap.range.start), NULL);
	if (!found)
		return -ENXIO;
	put_dev_pagemap(found);

	dev_info(dev, "BAR%d mapped at %p\n", PDEV_GPL_BAR, addr);
	return 0;
}

/* Snapshot one page of a process for the device (hmm_range_fault is plain). */
int pdev_gpl_snapshot(struct mmu_interval_notifier *mni, unsigned long start,
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

static const struct pci_device_id pdev_gpl_ids[] = {
	{ PCI_DEVICE(0x1f1f, 0x0b02) },
	{ }
};
MODULE_DEVICE_TABLE(pci, pdev_gpl_ids);

static struct pci_driver pdev_gpl_driver = {
	.name		= "pdev_gpl",
	.id_table	= pdev_gpl_ids,
	.probe		= pdev_gpl_probe,
};
module_pci_driver(pdev_gpl_driver);

MODULE_AUTHOR("Example Vendor");
MODULE_DESCRIPTION("Vendor BAR as ZONE_DEVICE memory");
MODULE_LICENSE("GPL");
