/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_HMM_H
#define _LINUX_HMM_H

#include <linux/types.h>
#include <linux/completion.h>
#include <linux/ioport.h>
#include <linux/memremap.h>
#include <linux/mm.h>

struct hmm_devmem;

/* Page allocation on behalf of a faulting address, page already locked. */
struct page *hmm_vma_alloc_locked_page(struct vm_area_struct *vma,
				       unsigned long addr);

/*
 * struct hmm_devmem_ops - driver callbacks for HMM device memory
 *
 * @free: the last reference to @page is gone; the driver may reuse it.
 * @fault: the CPU touched @page at @addr in @vma; the driver must
 *	migrate the data back to system memory. Returns 0 or VM_FAULT_*.
 */
struct hmm_devmem_ops {
	void (*free)(struct hmm_devmem *devmem, struct page *page);
	int (*fault)(struct hmm_devmem *devmem,
		     struct vm_area_struct *vma,
		     unsigned long addr,
		     const struct page *page,
		     unsigned int flags,
		     pmd_t *pmdp);
};

/*
 * struct hmm_devmem - device memory that HMM created struct pages for
 *
 * The driver gets one from hmm_devmem_add() and owns the pfns
 * [pfn_first, pfn_last).
 */
struct hmm_devmem {
	struct completion		completion;
	unsigned long			pfn_first;
	unsigned long			pfn_last;
	struct resource			*resource;
	struct device			*device;
	struct dev_pagemap		pagemap;
	const struct hmm_devmem_ops	*ops;
	struct percpu_ref		ref;
};

struct hmm_devmem *hmm_devmem_add(const struct hmm_devmem_ops *ops,
				  struct device *device,
				  unsigned long size);
struct hmm_devmem *hmm_devmem_add_resource(const struct hmm_devmem_ops *ops,
					   struct device *device,
					   struct resource *res);
void hmm_devmem_remove(struct hmm_devmem *devmem);

/* One word of driver data per device page. */
static inline void hmm_devmem_page_set_drvdata(struct page *page,
					       unsigned long data)
{
	page->hmm_data = data;
}

static inline unsigned long hmm_devmem_page_get_drvdata(const struct page *page)
{
	return page->hmm_data;
}

#endif /* _LINUX_HMM_H */
