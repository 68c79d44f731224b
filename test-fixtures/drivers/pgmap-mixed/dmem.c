// SPDX-License-Identifier: GPL-2.0
/*
 * xmix device-private memory through the hmm_devmem API (4.19 - 5.2).
 * Every device page keeps the index of its on-board block in the page's
 * HMM driver data.
 */
#include <linux/device.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include "xmix.h"

#define XMIX_DMEM_SIZE	(1UL << 30)

static void xmix_dmem_free(struct hmm_devmem *devmem, struct page *page)
{
	struct xmix *xmix = dev_get_drvdata(devmem->device);

	hmm_devmem_page_set_drvdata(page, 0);
	xmix->dmem->nfree++;
}

static int xmix_dmem_fault(struct hmm_devmem *devmem,
			   struct vm_area_struct *vma,
			   unsigned long addr,
			   const struct page *page,
			   unsigned int flags,
			   pmd_t *pmdp)
{
	unsigned long block = hmm_devmem_page_get_drvdata(page);

	if (block >= devmem->pfn_last - devmem->pfn_first)
		return VM_FAULT_SIGBUS;
	return addr < vma->vm_start ? VM_FAULT_SIGBUS : 0;
}

static const struct hmm_devmem_ops xmix_dmem_ops = {
	.free	= xmix_dmem_free,
	.fault	= xmix_dmem_fault,
};

bool xmix_page_is_ours(struct xmix *xmix, struct page *page)
{
	if (!is_device_private_page(page))
		return false;
	return xmix->dmem->devmem == page->pgmap->data;
}

int xmix_dmem_init(struct xmix *xmix)
{
	struct device *dev = &xmix->pdev->dev;
	struct xmix_dmem *dmem;
	unsigned long pfn;

	dmem = devm_kzalloc(dev, sizeof(*dmem), GFP_KERNEL);
	if (!dmem)
		return -ENOMEM;
	dmem->xmix = xmix;
	xmix->dmem = dmem;

	dmem->devmem = hmm_devmem_add(&xmix_dmem_ops, dev, XMIX_DMEM_SIZE);
	if (IS_ERR(dmem->devmem))
		return PTR_ERR(dmem->devmem);

	for (pfn = dmem->devmem->pfn_first; pfn < dmem->devmem->pfn_last; pfn++)
		hmm_devmem_page_set_drvdata(pfn_to_page(pfn),
					    pfn - dmem->devmem->pfn_first);
	dmem->nfree = dmem->devmem->pfn_last - dmem->devmem->pfn_first;
	return 0;
}
