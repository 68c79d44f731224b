/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __MM_INTERNAL_H
#define __MM_INTERNAL_H

#include <linux/mm.h>

/* Helpers shared inside mm/ only; none of them is exported. */
vm_fault_t do_swap_page(struct vm_fault *vmf);
int __add_pages(int nid, unsigned long start_pfn, unsigned long nr_pages);
void __remove_pages(unsigned long start_pfn, unsigned long nr_pages);
void move_pfn_range_to_zone(int nid, unsigned long start_pfn,
			    unsigned long nr_pages, struct vmem_altmap *altmap);

#endif /* __MM_INTERNAL_H */
