// SPDX-License-Identifier: GPL-2.0
/*
 * mobjp: module glue.
 * The only license line is here, "Proprietary"; it covers map.c, which
 * makes the GPL-only calls, because both files link into mobjp.ko (a
 * -objs composite).
 */
#include <linux/init.h>
#include <linux/module.h>

#include "mobjp.h"

#define MOBJP_BASE	0x2000000000ULL
#define MOBJP_SIZE	(64ULL << 20)

static struct mobjp mobjp_dev;

static int __init mobjp_init(void)
{
	return mobjp_map(&mobjp_dev, MOBJP_BASE, MOBJP_SIZE);
}

static void __exit mobjp_exit(void)
{
	mobjp_unmap(&mobjp_dev);
}

module_init(mobjp_init);
module_exit(mobjp_exit);

MODULE_DESCRIPTION("Composite (-objs) module, license in the other file");
MODULE_LICENSE("Proprietary");
