/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_MM_TYPES_H
#define _LINUX_MM_TYPES_H

#include <linux/types.h>

struct dev_pagemap;
struct mm_struct;

/* Only the fields the fixtures touch. */
struct page {
	unsigned long		flags;
	struct dev_pagemap	*pgmap;		/* ZONE_DEVICE pages only */
	unsigned long		hmm_data;	/* HMM driver's per-page word */
	unsigned long		private;
};

struct vm_area_struct {
	unsigned long		vm_start;
	unsigned long		vm_end;
	struct mm_struct	*vm_mm;
	unsigned long		vm_flags;
};

/* Page-middle-directory entry (from the arch headers in a real tree). */
typedef struct {
	unsigned long	pmd;
} pmd_t;

typedef int vm_fault_t;

#define VM_FAULT_OOM		0x0001
#define VM_FAULT_SIGBUS		0x0002

#define FAULT_FLAG_WRITE	0x01
#define FAULT_FLAG_REMOTE	0x80

#endif /* _LINUX_MM_TYPES_H */
