/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_MEMREMAP_H_
#define _LINUX_MEMREMAP_H_

#include <linux/types.h>
#include <linux/ioport.h>
#include <linux/percpu-refcount.h>
#include <linux/mm_types.h>

struct device;

/*
 * struct vmem_altmap - device memory set aside to hold the memmap
 * (the struct pages) of that same device range, so that a very large
 * range does not consume system RAM for its own bookkeeping.
 */
struct vmem_altmap {
	const unsigned long base_pfn;	/* first pfn of the device range */
	const unsigned long reserve;	/* pfns kept back for the driver */
	unsigned long free;		/* pfns still available */
	unsigned long align;		/* pfns skipped to satisfy alignment */
	unsigned long alloc;		/* pfns already handed out */
};

/*
 * enum memory_type - what kind of memory a dev_pagemap describes
 *
 * @MEMORY_DEVICE_PRIVATE: not addressable by the CPU; HMM migrates
 *	pages back to RAM when the CPU touches them.
 * @MEMORY_DEVICE_PUBLIC: CPU-addressable, cache-coherent device memory
 *	(CDM) that HMM still manages.
 * @MEMORY_DEVICE_FS_DAX: persistent memory mapped through a DAX
 *	capable filesystem.
 */
enum memory_type {
	MEMORY_DEVICE_PRIVATE = 1,
	MEMORY_DEVICE_PUBLIC,
	MEMORY_DEVICE_FS_DAX,
};

/*
 * Called when the CPU faults on a device page; same arguments as the
 * core fault handler gets.
 */
typedef int (*dev_page_fault_t)(struct vm_area_struct *vma,
				unsigned long addr,
				const struct page *page,
				unsigned int flags,
				pmd_t *pmdp);

/* Called when the last reference to a device page is dropped. */
typedef void (*dev_page_free_t)(struct page *page, void *data);

/*
 * struct dev_pagemap - one ZONE_DEVICE mapping. The caller provides
 * @ref and must keep it alive until devm teardown has finished.
 */
struct dev_pagemap {
	dev_page_fault_t page_fault;	/* CPU fault on a private page */
	dev_page_free_t page_free;	/* page went back to the driver */
	struct vmem_altmap altmap;	/* memmap placement, if @altmap_valid */
	bool altmap_valid;		/* whether @altmap is to be used */
	struct resource res;		/* the physical range mapped */
	struct percpu_ref *ref;		/* caller-owned, one ref per page */
	struct device *dev;		/* owner, for devm teardown */
	void *data;			/* private to @page_fault/@page_free */
	enum memory_type type;		/* kind of device memory */
};

void *devm_memremap_pages(struct device *dev, struct dev_pagemap *pgmap);
struct dev_pagemap *get_dev_pagemap(unsigned long pfn,
				    struct dev_pagemap *pgmap);
unsigned long vmem_altmap_offset(struct vmem_altmap *altmap);

static inline bool is_device_private_page(const struct page *page)
{
	return page->pgmap && page->pgmap->type == MEMORY_DEVICE_PRIVATE;
}

static inline void put_dev_pagemap(struct dev_pagemap *pgmap)
{
	if (pgmap)
		percpu_ref_put(pgmap->ref);
}

#endif /* _LINUX_MEMREMAP_H_ */
