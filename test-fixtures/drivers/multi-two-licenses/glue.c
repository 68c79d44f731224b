// SPDX-License-Identifier: GPL-2.0
/*
 * mtwo: module glue.
 * Declares "GPL"; map.c declares "Proprietary". One incompatible
 * license line is enough to make the whole module GPL-incompatible.
 */
#include <linux/init.h>
#include <linux/module.h>

#include "mtwo.h"

#define MTWO_BASE	0x2000000000ULL
#define MTWO_SIZE	(64ULL << 20)

static struct mtwo mtwo_dev;

static int __init mtwo_init(void)
{
	return mtwo_map(&mtwo_dev, MTWO_BASE, MTWO_SIZE);
}

static void __exit mtwo_exit(void)
{
	mtwo_unmap(&mtwo_dev);
}

module_init(mtwo_init);
module_exit(mtwo_exit);

MODULE_DESCRIPTION("Two license lines that disagree");
MODULE_LICENSE("GPL");
