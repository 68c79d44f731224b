/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_HMM_H
#define _LINUX_HMM_H

#include <linux/types.h>
#include <linux/mm.h>

struct mmu_interval_notifier;

/*
 * Output bits in each hmm_pfns[] entry (the pfn sits in the low bits),
 * and the matching request bits a caller may set on input.
 */
enum hmm_pfn_flags {
	HMM_PFN_VALID		= 1UL << (BITS_PER_LONG - 1),
	HMM_PFN_WRITE		= 1UL << (BITS_PER_LONG - 2),
	HMM_PFN_ERROR		= 1UL << (BITS_PER_LONG - 3),

	HMM_PFN_REQ_FAULT	= HMM_PFN_VALID,
	HMM_PFN_REQ_WRITE	= HMM_PFN_WRITE,
};

/* One snapshot request over [start, end) of a process address space. */
struct hmm_range {
	struct mmu_interval_notifier	*notifier;
	unsigned long			notifier_seq;
	unsigned long			start;
	unsigned long			end;
	unsigned long			*hmm_pfns;
	unsigned long			default_flags;
	unsigned long			pfn_flags_mask;
	void				*dev_private_owner;
};

int hmm_range_fault(struct hmm_range *range);

#endif /* _LINUX_HMM_H */
