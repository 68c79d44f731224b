/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_MEMREMAP_H_
#define _LINUX_MEMREMAP_H_

#include <linux/types.h>
#include <linux/range.h>
#include <linux/completion.h>
#include <linux/percpu-refcount.h>
#include <linux/mm_types.h>

struct device;

/*
 * struct vmem_altmap - device memory set aside to hold the memmap
 * (the struct pages) of that same device range, so that a very large
 * range does not consume system RAM for its own bookkeeping.
 */
struct vmem_altmap {
	unsigned long base_pfn;		/* first pfn of the device range */
	const unsigned long end_pfn;	/* last pfn usable for the memmap */
	const unsigned long reserve;	/* pfns kept back for the driver */
	unsigned long free;		/* pfns still available */
	unsigned long align;		/* pfns skipped to satisfy alignment */
	unsigned long alloc;		/* pfns already handed out */
};

/*
 * enum memory_type - what kind of memory a dev_pagemap describes
 *
 * @MEMORY_DEVICE_PRIVATE: not addressable by the CPU; pages are
 *	migrated back to RAM when the CPU touches them.
 * @MEMORY_DEVICE_COHERENT: CPU-addressable and cache coherent, but
 *	owned by a device driver.
 * @MEMORY_DEVICE_FS_DAX: persistent memory mapped through a DAX
 *	capable filesystem.
 * @MEMORY_DEVICE_GENERIC: plain CPU-addressable device memory with
 *	struct pages, e.g. device-dax.
 * @MEMORY_DEVICE_PCI_P2PDMA: PCI BAR memory used for peer-to-peer DMA.
 */
enum memory_type {
	/* 0 is reserved to catch an uninitialized type */
	MEMORY_DEVICE_PRIVATE = 1,
	MEMORY_DEVICE_COHERENT,
	MEMORY_DEVICE_FS_DAX,
	MEMORY_DEVICE_GENERIC,
	MEMORY_DEVICE_PCI_P2PDMA,
};

struct dev_pagemap;

struct dev_pagemap_ops {
	/* the last reference to a device page went away */
	void (*page_free)(struct page *page);

	/* the CPU faulted on a device-private page: copy it back to RAM */
	vm_fault_t (*migrate_to_ram)(struct vm_fault *vmf);

	/* poison reported on @nr_pages pages starting at @pfn */
	int (*memory_failure)(struct dev_pagemap *pgmap, unsigned long pfn,
			      unsigned long nr_pages, int mf_flags);
};

#define PGMAP_ALTMAP_VALID	(1 << 0)

/*
 * struct dev_pagemap - one ZONE_DEVICE mapping, filled in by the driver
 * before memremap_pages() and owned by it until memunmap_pages().
 */
struct dev_pagemap {
	struct vmem_altmap altmap;	/* memmap placement, if PGMAP_ALTMAP_VALID */
	struct percpu_ref ref;		/* one reference per page in use */
	struct completion done;		/* signalled when @ref drops to zero */
	enum memory_type type;		/* kind of device memory */
	unsigned int flags;		/* PGMAP_* bits */
	unsigned long vmemmap_shift;	/* order of compound pages, 0 for base pages */
	const struct dev_pagemap_ops *ops; /* driver callbacks */
	void *owner;			/* driver cookie for migration and hmm */
	int nr_range;			/* how many entries of @ranges are used */
	union {
		struct range range;	/* the usual single range */
		struct range ranges[];	/* or @nr_range of them */
	};
};

static inline struct vmem_altmap *pgmap_altmap(struct dev_pagemap *pgmap)
{
	if (pgmap->flags & PGMAP_ALTMAP_VALID)
		return &pgmap->altmap;
	return NULL;
}

static inline bool is_device_private_page(const struct page *page)
{
	return page->pgmap && page->pgmap->type == MEMORY_DEVICE_PRIVATE;
}

void *memremap_pages(struct dev_pagemap *pgmap, int nid);
void memunmap_pages(struct dev_pagemap *pgmap);
void *devm_memremap_pages(struct device *dev, struct dev_pagemap *pgmap);
void devm_memunmap_pages(struct device *dev, struct dev_pagemap *pgmap);
struct dev_pagemap *get_dev_pagemap(unsigned long pfn,
				    struct dev_pagemap *pgmap);
void zone_device_page_init(struct page *page);
unsigned long memremap_compat_align(void);

static inline void put_dev_pagemap(struct dev_pagemap *pgmap)
{
	if (pgmap)
		percpu_ref_put(&pgmap->ref);
}

#endif /* _LINUX_MEMREMAP_H_ */
