/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_MM_H
#define _LINUX_MM_H

#include <linux/types.h>
#include <linux/gfp.h>
#include <linux/mm_types.h>
#include <linux/memremap.h>

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))
#define PAGE_OFFSET	0xffff888000000000UL

#define PHYS_PFN(x)	((unsigned long)((x) >> PAGE_SHIFT))
#define PFN_PHYS(x)	((phys_addr_t)(x) << PAGE_SHIFT)
#define __va(x)		((void *)((unsigned long)(x) + PAGE_OFFSET))

/* Flat memmap: struct pages sit in one virtual array. */
#define vmemmap			((struct page *)0xffffea0000000000UL)
#define pfn_to_page(pfn)	(vmemmap + (pfn))
#define page_to_pfn(page)	((unsigned long)((page) - vmemmap))

int vm_insert_internal_page(struct vm_area_struct *vma, unsigned long addr,
			    struct page *page);

#endif /* _LINUX_MM_H */
