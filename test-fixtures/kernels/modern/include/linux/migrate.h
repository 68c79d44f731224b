/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_MIGRATE_H
#define _LINUX_MIGRATE_H

#include <linux/types.h>
#include <linux/mm.h>

#define MIGRATE_PFN_VALID	(1UL << 0)
#define MIGRATE_PFN_MIGRATE	(1UL << 1)
#define MIGRATE_PFN_WRITE	(1UL << 3)
#define MIGRATE_PFN_SHIFT	6

static inline struct page *migrate_pfn_to_page(unsigned long mpfn)
{
	if (!(mpfn & MIGRATE_PFN_VALID))
		return NULL;
	return pfn_to_page(mpfn >> MIGRATE_PFN_SHIFT);
}

static inline unsigned long migrate_pfn(unsigned long pfn)
{
	return (pfn << MIGRATE_PFN_SHIFT) | MIGRATE_PFN_VALID;
}

enum migrate_vma_direction {
	MIGRATE_VMA_SELECT_SYSTEM		= 1 << 0,
	MIGRATE_VMA_SELECT_DEVICE_PRIVATE	= 1 << 1,
	MIGRATE_VMA_SELECT_DEVICE_COHERENT	= 1 << 2,
};

/* Arguments and results of one migrate_vma_setup()/pages()/finalize() run. */
struct migrate_vma {
	struct vm_area_struct	*vma;
	unsigned long		*dst;		/* caller fills destination pfns */
	unsigned long		*src;		/* setup fills source pfns */
	unsigned long		cpages;		/* pages collected by setup */
	unsigned long		npages;
	unsigned long		start;
	unsigned long		end;
	void			*pgmap_owner;	/* must match pgmap->owner */
	unsigned long		flags;		/* MIGRATE_VMA_SELECT_* */
	struct page		*fault_page;	/* set when called from a fault */
};

int migrate_vma_setup(struct migrate_vma *args);
void migrate_vma_pages(struct migrate_vma *migrate);
void migrate_vma_finalize(struct migrate_vma *migrate);

#endif /* _LINUX_MIGRATE_H */
