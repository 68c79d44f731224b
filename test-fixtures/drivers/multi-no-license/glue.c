// SPDX-License-Identifier: GPL-2.0
/*
 * mnolic: module glue.
 * Neither file has MODULE_LICENSE(); the module is refused once. map.c
 * is listed first in Kbuild, but this file declares the module
 * (module_init), so the finding is reported here.
 */
#include <linux/init.h>
#include <linux/module.h>

#include "mnolic.h"

#define MNOLIC_BASE	0x2000000000ULL
#define MNOLIC_SIZE	(64ULL << 20)

static struct mnolic mnolic_dev;

static int __init mnolic_init(void)
{
	return mnolic_map(&mnolic_dev, MNOLIC_BASE, MNOLIC_SIZE);
}

static void __exit mnolic_exit(void)
{
	mnolic_unmap(&mnolic_dev);
}

module_init(mnolic_init);
module_exit(mnolic_exit);

MODULE_DESCRIPTION("Composite module without any license line");
