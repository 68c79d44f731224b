// SPDX-License-Identifier: GPL-2.0
/*
 * mfdrv: memory half. No license line here; the module's license
 * (in main.c) applies to this file too.
 */
#include <linux/device.h>
#include <linux/err.h>
#include <linux/memremap.h>

#include "mfdrv.h"

int mfdrv_mem_map(struct mfdrv *mf)
{
	struct pci_dev *pdev = mf->pdev;

	mf->pgmap.type = MEMORY_DEVICE_GENERIC;
	mf->pgmap.range.start = pci_resource_start(pdev, MFDRV_MEM_BAR);
	mf->pgmap.range.end = pci_resource_end(pdev, MFDRV_MEM_BAR);
	mf->pgmap.nr_range = 1;

	mf->vaddr = memremap_pages(&mf->pgmap, dev_to_node(&pdev->dev));
	if (IS_ERR(mf->vaddr))
		return PTR_ERR(mf->vaddr);
	return 0;
}

void mfdrv_mem_unmap(struct mfdrv *mf)
{
	if (!mf->vaddr)
		return;
	memunmap_pages(&mf->pgmap);
	mf->vaddr = NULL;
}
