// SPDX-License-Identifier: GPL-2.0
/*
 * hmmmem: device-private memory of a PCI accelerator, written for 4.19.
 * The driver structure keeps its struct device and a struct hmm_devmem
 * pointer; every device page records its block of on-board memory in
 * the page's HMM driver data.
 */
#include <linux/atomic.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/hmm.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pagemap.h>
#include <linux/pci.h>

#define HMMMEM_SIZE	(256UL << 20)

struct hmmmem {
	struct device		*dev;
	struct hmm_devmem	*devmem;
	unsigned long		npages;
	atomic_t		nfree;
};

static void hmmmem_page_free(struct hmm_devmem *devmem, struct page *page)
{
	struct hmmmem *mem = dev_get_drvdata(devmem->device);

	hmm_devmem_page_set_drvdata(page, 0);
	atomic_inc(&mem->nfree);
}

static int hmmmem_page_fault(struct hmm_devmem *devmem,
			     struct vm_area_struct *vma, unsigned long addr,
			     const struct page *page, unsigned int flags,
			     pmd_t *pmdp)
{
	unsigned long block = hmm_devmem_page_get_drvdata(page);
	struct page *rpage;

	if (block >= devmem->pfn_last - devmem->pfn_first)
		return VM_FAULT_SIGBUS;
	if (flags & FAULT_FLAG_REMOTE)
		return VM_FAULT_SIGBUS;

	rpage = alloc_page(GFP_HIGHUSER);
	if (!rpage)
		return VM_FAULT_OOM;
	lock_page(rpage);
	/* the copy of @block from on-board memory would be queued here */
	unlock_page(rpage);
	put_page(rpage);
	dev_dbg(devmem->device, "block %lu faulted at %lx (vma %p)\n",
		block, addr, vma);
	return 0;
}

static const struct hmm_devmem_ops hmmmem_devmem_ops = {
	.free	= hmmmem_page_free,
	.fault	= hmmmem_page_fault,
};

static int hmmmem_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct hmmmem *mem;
	unsigned long pfn;

	mem = devm_kzalloc(&pdev->dev, sizeof(*mem), GFP_KERNEL);
	if (!mem)
		return -ENOMEM;
	mem->dev = &pdev->dev;
	pci_set_drvdata(pdev, mem);

	mem->devmem = hmm_devmem_add(&hmmmem_devmem_ops, mem->dev, HMMMEM_SIZE);
	if (IS_ERR(mem->devmem))
		return PTR_ERR(mem->devmem);

	for (pfn = mem->devmem->pfn_first; pfn < mem->devmem->pfn_last; pfn++)
		hmm_devmem_page_set_drvdata(pfn_to_page(pfn),
					    pfn - mem->devmem->pfn_first);
	mem->npages = mem->devmem->pfn_last - mem->devmem->pfn_first;
	atomic_set(&mem->nfree, mem->npages);
	return 0;
}

static void hmmmem_remove(struct pci_dev *pdev)
{
	struct hmmmem *mem = pci_get_drvdata(pdev);

	if (mem->devmem)
		hmm_devmem_remove(mem->devmem);
}

static const struct pci_device_id hmmmem_ids[] = {
	{ PCI_DEVICE(0x1f1f, 0x0e02) },
	{ }
};
MODULE_DEVICE_TABLE(pci, hmmmem_ids);

static struct pci_driver hmmmem_driver = {
	.name		= "hmmmem",
	.id_table	= hmmmem_ids,
	.probe		= hmmmem_probe,
	.remove		= hmmmem_remove,
};
module_pci_driver(hmmmem_driver);

MODULE_DESCRIPTION("Device-private memory kept in a struct member (old HMM API)");
MODULE_LICENSE("GPL");
