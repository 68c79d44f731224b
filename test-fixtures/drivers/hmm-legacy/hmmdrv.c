// SPDX-License-Identifier: GPL-2.0
/*
 * hmmdrv: a 4.19-era driver for a device with on-board memory the CPU
 * cannot address. Written against the old HMM device-memory API
 * (struct hmm_devmem, hmm_devmem_add()), which 5.3 removed in favour
 * of a driver-owned struct dev_pagemap and memremap_pages().
 */
#include <linux/device.h>
#include <linux/err.h>
#include "hmm_compat.h"
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pci.h>

#define HMMDRV_VRAM_SIZE	(512UL << 20)

struct hmmdrv {
	struct pci_dev		*pdev;
	struct hmm_devmem	*devmem;
	unsigned long		nr_pages;
	unsigned long		nr_free;
};

/* Pretend DMA: copy on-board page @slot into system page @dpage. */
static int hmmdrv_copy_to_host(struct hmmdrv *drv, unsigned long slot,
			       struct page *dpage)
{
	if (slot >= drv->nr_pages)
		return -EINVAL;
	dpage->private = slot;
	return 0;
}

static void hmmdrv_devmem_free(struct hmm_devmem *devmem, struct page *page)
{
	struct hmmdrv *drv = dev_get_drvdata(devmem->device);

	hmm_devmem_page_set_drvdata(page, 0);
	drv->nr_free++;
}

static int hmmdrv_devmem_fault(struct hmm_devmem *devmem,
			       struct vm_area_struct *vma,
			       unsigned long addr,
			       const struct page *page,
			       unsigned int flags,
			       pmd_t *pmdp)
{
	struct hmmdrv *drv = dev_get_drvdata(devmem->device);
	unsigned long slot = hmm_devmem_page_get_drvdata(page);
	struct page *dpage;

	/* no migration on behalf of another mm, nor without a pmd */
	if ((flags & FAULT_FLAG_REMOTE) || !pmdp)
		return VM_FAULT_SIGBUS;

	dpage = hmm_vma_alloc_locked_page(vma, addr);
	if (!dpage)
		return VM_FAULT_OOM;

	if (hmmdrv_copy_to_host(drv, slot, dpage))
		return VM_FAULT_SIGBUS;
	return 0;
}

static const struct hmm_devmem_ops hmmdrv_devmem_ops = {
	.free	= hmmdrv_devmem_free,
	.fault	= hmmdrv_devmem_fault,
};

static int hmmdrv_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct device *dev = &pdev->dev;
	struct hmm_devmem *devmem;
	struct hmmdrv *drv;
	unsigned long pfn;

	drv = devm_kzalloc(dev, sizeof(*drv), GFP_KERNEL);
	if (!drv)
		return -ENOMEM;
	drv->pdev = pdev;
	pci_set_drvdata(pdev, drv);

	devmem = hmm_devmem_add(&hmmdrv_devmem_ops, dev, HMMDRV_VRAM_SIZE);
	if (IS_ERR(devmem)) {
		dev_err(dev, "hmm_devmem_add failed: %ld\n", PTR_ERR(devmem));
		return PTR_ERR(devmem);
	}
	drv->devmem = devmem;

	/* each device page remembers its slot in on-board memory */
	for (pfn = devmem->pfn_first; pfn < devmem->pfn_last; pfn++) {
		struct page *page = pfn_to_page(pfn);

		hmm_devmem_page_set_drvdata(page, pfn - devmem->pfn_first);
		drv->nr_pages++;
	}
	drv->nr_free = drv->nr_pages;

	dev_info(dev, "%lu device pages\n", drv->nr_pages);
	return 0;
}

static void hmmdrv_remove(struct pci_dev *pdev)
{
	struct hmmdrv *drv = pci_get_drvdata(pdev);

	hmm_devmem_remove(drv->devmem);
	drv->devmem = NULL;
}

static const struct pci_device_id hmmdrv_ids[] = {
	{ PCI_DEVICE(0x1f1f, 0x0e01) },
	{ }
};
MODULE_DEVICE_TABLE(pci, hmmdrv_ids);

static struct pci_driver hmmdrv_driver = {
	.name		= "hmmdrv",
	.id_table	= hmmdrv_ids,
	.probe		= hmmdrv_probe,
	.remove		= hmmdrv_remove,
};
module_pci_driver(hmmdrv_driver);

MODULE_DESCRIPTION("Device-private memory through the old HMM devmem API");
MODULE_LICENSE("GPL");
