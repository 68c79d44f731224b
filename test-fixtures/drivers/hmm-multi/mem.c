// SPDX-License-Identifier: GPL-2.0
/*
 * hmmmf device memory: the struct hmm_devmem lives in struct hmmmf
 * (hmmmf.h); main.c only calls hmmmf_mem_init() and hmmmf_mem_fini().
 */
#include <linux/err.h>
#include <linux/mm.h>
#include "hmmmf.h"

static void hmmmf_free(struct hmm_devmem *devmem, struct page *page)
{
	struct hmmmf *mf = dev_get_drvdata(devmem->device);

	hmm_devmem_page_set_drvdata(page, mf->first_block);
}

static int hmmmf_fault(struct hmm_devmem *devmem,
		       struct vm_area_struct *vma,
		       unsigned long addr,
		       const struct page *page,
		       unsigned int flags,
		       pmd_t *pmdp)
{
	if (!vma || addr < vma->vm_start)
		return VM_FAULT_SIGBUS;
	return hmm_devmem_page_get_drvdata(page) ? VM_FAULT_OOM : 0;
}

static const struct hmm_devmem_ops hmmmf_ops = {
	.free	= hmmmf_free,
	.fault	= hmmmf_fault,
};

int hmmmf_mem_init(struct hmmmf *mf, unsigned long size)
{
	struct hmm_devmem *devmem;

	devmem = hmm_devmem_add(&hmmmf_ops, &mf->pdev->dev, size);
	if (IS_ERR(devmem))
		return PTR_ERR(devmem);
	mf->devmem = devmem;
	mf->first_block = devmem->pfn_first;
	return 0;
}

void hmmmf_mem_fini(struct hmmmf *mf)
{
	hmm_devmem_remove(mf->devmem);
}
