// SPDX-License-Identifier: GPL-2.0
/*
 * pkgok: the same uses as pkgusr, from a GPL module that imports the
 * PKGCORE namespace: nothing to report.
 */
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/module.h>

#include "pkgcore.h"

static struct pkgcore_buf *pkgok_buf;

static int __init pkgok_init(void)
{
	pkgok_buf = pkgcore_get(32);
	if (!pkgok_buf)
		return -ENOMEM;
	if (pkgcore_size(pkgok_buf) != 32)
		return -EINVAL;
	return pkgcore_flush(pkgok_buf);
}

static void __exit pkgok_exit(void)
{
	pkgcore_put(pkgok_buf);
}

module_init(pkgok_init);
module_exit(pkgok_exit);

MODULE_DESCRIPTION("Package user module: GPL, imports PKGCORE");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(PKGCORE);
