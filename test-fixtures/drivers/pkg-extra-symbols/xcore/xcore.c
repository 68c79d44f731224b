// SPDX-License-Identifier: GPL-2.0
/*
 * xcore: a module built on its own, before the modules that use it.
 * xcore_map is GPL-only, xcore_unmap plain, xcore_slots plain in the
 * XCORE namespace.
 */
#include <linux/init.h>
#include <linux/module.h>

#include "xcore.h"

#define XCORE_SLOTS	8

static unsigned long xcore_area[XCORE_SLOTS];

void *xcore_map(unsigned int slot)
{
	return slot < XCORE_SLOTS ? &xcore_area[slot] : NULL;
}
EXPORT_SYMBOL_GPL(xcore_map);

void xcore_unmap(unsigned int slot)
{
	if (slot < XCORE_SLOTS)
		xcore_area[slot] = 0;
}
EXPORT_SYMBOL(xcore_unmap);

unsigned int xcore_slots(void)
{
	return XCORE_SLOTS;
}
EXPORT_SYMBOL_NS(xcore_slots, XCORE);

static int __init xcore_init(void)
{
	return 0;
}

static void __exit xcore_exit(void)
{
}

module_init(xcore_init);
module_exit(xcore_exit);

MODULE_DESCRIPTION("Package module built on its own");
MODULE_LICENSE("GPL");
