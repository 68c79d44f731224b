// SPDX-License-Identifier: GPL-2.0
/*
 * xuser: a "Proprietary" module that uses xcore through
 * KBUILD_EXTRA_SYMBOLS. xcore_map is GPL-only and the XCORE namespace
 * is not imported; xcore_unmap is fine.
 */
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/module.h>

#include "xcore/xcore.h"

static void *xuser_slot;

static int __init xuser_init(void)
{
	if (xcore_slots() < 2)
		return -ENODEV;
	xuser_slot = xcore_map(1);
	return xuser_slot ? 0 : -ENOMEM;
}

static void __exit xuser_exit(void)
{
	xcore_unmap(1);
}

module_init(xuser_init);
module_exit(xuser_exit);

MODULE_DESCRIPTION("Package user module through KBUILD_EXTRA_SYMBOLS: Proprietary");
MODULE_LICENSE("Proprietary");
