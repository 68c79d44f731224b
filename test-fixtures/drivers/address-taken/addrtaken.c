// SPDX-License-Identifier: GPL-2.0
/*
 * addrtaken: a "Proprietary" module that never calls a GPL-only export
 * but takes the address of two: one in a static initializer, one as a
 * plain function designator passed to pr_info(). Both are references
 * the linker must resolve, so both count. memunmap_pages() appears
 * only inside typeof(), which references nothing.
 */
#include <linux/init.h>
#include <linux/memremap.h>
#include <linux/module.h>
#include <linux/printk.h>

struct addrtaken_ops {
	void *(*map)(struct device *dev, struct dev_pagemap *pgmap);
};

static const struct addrtaken_ops addrtaken_ops = {
	.map	= &devm_memremap_pages,
};

static typeof(memunmap_pages) *addrtaken_unmap;

static int __init addrtaken_init(void)
{
	pr_info("addrtaken: map=%ps lookup=%ps unmap=%p\n",
		addrtaken_ops.map, get_dev_pagemap, addrtaken_unmap);
	return 0;
}

static void __exit addrtaken_exit(void)
{
}

module_init(addrtaken_init);
module_exit(addrtaken_exit);

MODULE_DESCRIPTION("Addresses of GPL-only exports");
MODULE_LICENSE("Proprietary");
