// SPDX-License-Identifier: GPL-2.0
/*
 * Heterogeneous memory management: let a device driver take a snapshot
 * of a process's CPU page tables.
 */
#include <linux/err.h>
#include <linux/export.h>
#include <linux/hmm.h>
#include <linux/mm.h>

struct hmm_vma_walk {
	struct hmm_range	*range;
	unsigned long		last;
};

static unsigned long hmm_pfn_index(struct hmm_range *range,
				   unsigned long addr)
{
	return (addr - range->start) >> PAGE_SHIFT;
}

/* Fill hmm_pfns[] for [start, end); fault in what the caller asked for. */
static int hmm_walk_range(struct hmm_vma_walk *walk, unsigned long start,
			  unsigned long end)
{
	struct hmm_range *range = walk->range;
	unsigned long addr;

	for (addr = start; addr < end; addr += PAGE_SIZE) {
		unsigned long *pfn = &range->hmm_pfns[hmm_pfn_index(range, addr)];
		unsigned long req = (*pfn & range->pfn_flags_mask) |
				    range->default_flags;

		if ((req & HMM_PFN_REQ_FAULT) && !(*pfn & HMM_PFN_VALID)) {
			walk->last = addr;
			return -EBUSY;
		}
	}
	walk->last = end;
	return 0;
}

int hmm_range_fault(struct hmm_range *range)
{
	struct hmm_vma_walk walk = {
		.range	= range,
		.last	= range->start,
	};
	int ret;

	do {
		ret = hmm_walk_range(&walk, walk.last, range->end);
	} while (ret == -EBUSY && walk.last < range->end);

	return ret;
}
EXPORT_SYMBOL(hmm_range_fault);
