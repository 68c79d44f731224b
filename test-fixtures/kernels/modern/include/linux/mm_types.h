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
	void			*zone_device_data; /* owner's cookie */
	unsigned long		private;
};

struct vm_area_struct {
	unsigned long		vm_start;
	unsigned long		vm_end;
	struct mm_struct	*vm_mm;
	unsigned long		vm_flags;
};

typedef unsigned int vm_fault_t;

#define VM_FAULT_OOM		0x000001
#define VM_FAULT_SIGBUS		0x000002

#define FAULT_FLAG_WRITE	0x01
#define FAULT_FLAG_REMOTE	0x80

/* What the fault handler knows about one CPU page fault. */
struct vm_fault {
	struct vm_area_struct	*vma;
	unsigned long		address;
	unsigned int		flags;
	struct page		*page;
};

#endif /* _LINUX_MM_TYPES_H */
