// SPDX-License-Identifier: GPL-2.0
/*
 * Fault handling, reduced to the few paths the fixtures refer to.
 */
#include <linux/mm.h>
#include <linux/memremap.h>
#include <linux/err.h>

#include "internal.h"

/*
 * A non-present entry was hit. Device-private entries are handed to
 * the owning driver, which copies the data back into system RAM.
 */
vm_fault_t do_swap_page(struct vm_fault *vmf)
{
	struct page *page = vmf->page;

	if (page && is_device_private_page(page))
		return page->pgmap->ops->migrate_to_ram(vmf);

	return VM_FAULT_SIGBUS;
}

static vm_fault_t handle_pte_fault(struct vm_fault *vmf)
{
	if (!vmf->page)
		return VM_FAULT_OOM;
	return do_swap_page(vmf);
}

/*
 * Insert @page at @addr without any of the checks the exported
 * helpers perform. Deliberately not exported: modules must not use it.
 */
int vm_insert_internal_page(struct vm_area_struct *vma, unsigned long addr,
			    struct page *page)
{
	if (addr < vma->vm_start || addr >= vma->vm_end)
		return -EINVAL;
	page->private = addr;
	return 0;
}

vm_fault_t handle_mm_fault(struct vm_area_struct *vma, unsigned long address,
			   unsigned int flags)
{
	struct vm_fault vmf = {
		.vma		= vma,
		.address	= address & PAGE_MASK,
		.flags		= flags,
	};

	return handle_pte_fault(&vmf);
}
