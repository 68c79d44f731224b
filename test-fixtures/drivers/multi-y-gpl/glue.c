// SPDX-License-Identifier: GPL-2.0
/*
 * mygpl: module glue.
 * "GPL v2" here covers map.c too (a -y composite).
 */
#include <linux/init.h>
#include <linux/module.h>

#include "mygpl.h"

#define MYGPL_BASE	0x2000000000ULL
#define MYGPL_SIZE	(64ULL << 20)

static struct mygpl mygpl_dev;

static int __init mygpl_init(void)
{
	return mygpl_map(&mygpl_dev, MYGPL_BASE, MYGPL_SIZE);
}

static void __exit mygpl_exit(void)
{
	mygpl_unmap(&mygpl_dev);
}

module_init(mygpl_init);
module_exit(mygpl_exit);

MODULE_DESCRIPTION("Composite (-y) module under GPL v2");
MODULE_LICENSE("GPL v2");
