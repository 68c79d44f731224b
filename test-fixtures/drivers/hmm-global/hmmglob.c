// SPDX-License-Identifier: GPL-2.0
/*
 * hmmglob: a platform device with one block of device-private memory,
 * written for 4.19. There is only ever one such device, so the driver
 * keeps its struct hmm_devmem in a global.
 */
#include <linux/err.h>
#include <linux/hmm.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/platform_device.h>

static unsigned long hmmglob_size = 64UL << 20;
static struct hmm_devmem *hmmglob_devmem;
static unsigned long hmmglob_faults;

static void hmmglob_free(struct hmm_devmem *devmem, struct page *page)
{
	dev_dbg(devmem->device, "pfn %lx back\n", page_to_pfn(page));
}

static int hmmglob_fault(struct hmm_devmem *devmem, struct vm_area_struct *vma,
			 unsigned long addr, const struct page *page,
			 unsigned int flags, pmd_t *pmdp)
{
	hmmglob_faults++;
	return VM_FAULT_SIGBUS;
}

static const struct hmm_devmem_ops hmmglob_ops = {
	.free = hmmglob_free,
	.fault = hmmglob_fault,
};

static int hmmglob_probe(struct platform_device *pdev)
{
	struct hmm_devmem *devmem;

	devmem = hmm_devmem_add(&hmmglob_ops, &pdev->dev, hmmglob_size);
	if (IS_ERR(devmem))
		return PTR_ERR(devmem);
	hmmglob_devmem = devmem;
	dev_info(&pdev->dev, "%lu pages of device memory\n",
		 devmem->pfn_last - devmem->pfn_first);
	return 0;
}

static int hmmglob_remove(struct platform_device *pdev)
{
	hmm_devmem_remove(hmmglob_devmem);
	hmmglob_devmem = NULL;
	return 0;
}

static struct platform_driver hmmglob_driver = {
	.driver		= { .name = "hmmglob" },
	.probe		= hmmglob_probe,
	.remove		= hmmglob_remove,
};
module_platform_driver(hmmglob_driver);

MODULE_DESCRIPTION("Device-private memory kept in a global (old HMM API)");
MODULE_LICENSE("GPL v2");
