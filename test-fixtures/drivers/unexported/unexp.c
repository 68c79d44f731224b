// SPDX-License-Identifier: GPL-2.0
/*
 * unexp: a GPL module calling vm_insert_internal_page(). The function
 * is declared in <linux/mm.h> and defined in mm/memory.c, but nothing
 * exports it, so the module cannot link whatever its license.
 */
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/module.h>

int unexp_map_page(struct vm_area_struct *vma, unsigned long addr)
{
	struct page *page;
	int ret;

	page = alloc_page(GFP_KERNEL);
	if (!page)
		return -ENOMEM;

	ret = vm_insert_internal_page(vma, addr, page);
	if (ret)
		__free_page(page);
	return ret;
}

static int __init unexp_init(void)
{
	return 0;
}

static void __exit unexp_exit(void)
{
}

module_init(unexp_init);
module_exit(unexp_exit);

MODULE_DESCRIPTION("Calls a kernel function that is not exported");
MODULE_LICENSE("GPL");
