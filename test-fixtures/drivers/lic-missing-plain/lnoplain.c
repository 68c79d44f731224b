// SPDX-License-Identifier: GPL-2.0
/*
 * lnoplain: no MODULE_LICENSE() and only plain exports in use.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/slab.h>

static void *lnoplain_buf;

static int __init lnoplain_init(void)
{
	lnoplain_buf = kzalloc(64, GFP_KERNEL);
	if (!lnoplain_buf)
		return -ENOMEM;
	pr_info("lnoplain: loaded\n");
	return 0;
}

static void __exit lnoplain_exit(void)
{
	kfree(lnoplain_buf);
}

module_init(lnoplain_init);
module_exit(lnoplain_exit);

MODULE_DESCRIPTION("No license line, nothing GPL-only");
