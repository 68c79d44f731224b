/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hmmdrv: the pre-5.3 HMM device-memory API the driver is written for.
 * Up to 5.2 <linux/hmm.h> declares it. On later kernels this header
 * declares it again, so that the driver still compiles there; modpost
 * then refuses the module, because no kernel after 5.2 has these
 * functions ("undefined!"). That is where a migration to a driver-owned
 * struct dev_pagemap and memremap_pages() starts.
 */
#ifndef __HMM_COMPAT_H__
#define __HMM_COMPAT_H__

#include <linux/hmm.h>
#include <linux/version.h>

#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 3, 0)
#include <linux/completion.h>
#include <linux/device.h>
#include <linux/memremap.h>
#include <linux/mm_types.h>
#include <linux/percpu-refcount.h>

struct hmm_devmem;

struct hmm_devmem_ops {
	void (*free)(struct hmm_devmem *devmem, struct page *page);
	int (*fault)(struct hmm_devmem *devmem, struct vm_area_struct *vma,
		     unsigned long addr, const struct page *page,
		     unsigned int flags, pmd_t *pmdp);
};

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
				  struct device *device, unsigned long size);
void hmm_devmem_remove(struct hmm_devmem *devmem);
unsigned long hmm_devmem_page_get_drvdata(const struct page *page);
void hmm_devmem_page_set_drvdata(struct page *page, unsigned long data);
struct page *hmm_vma_alloc_locked_page(struct vm_area_struct *vma,
				       unsigned long addr);
#endif /* LINUX_VERSION_CODE >= KERNEL_VERSION(5, 3, 0) */

#endif /* __HMM_COMPAT_H__ */
