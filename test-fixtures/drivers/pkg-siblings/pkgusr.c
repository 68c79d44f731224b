// SPDX-License-Identifier: GPL-2.0
/*
 * pkgusr: a "Proprietary" module of the same package. modpost knows
 * pkgcore's exports from the same build, so it judges each use as it
 * would a use of the kernel's: pkgcore_get and pkgcore_flush are
 * GPL-only, and the PKGCORE namespace is not imported.
 */
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/module.h>

#include "pkgcore.h"

static struct pkgcore_buf *pkgusr_buf;

static int __init pkgusr_init(void)
{
	pkgusr_buf = pkgcore_get(64);
	if (!pkgusr_buf)
		return -ENOMEM;
	if (pkgcore_size(pkgusr_buf) != 64)
		return -EINVAL;
	return pkgcore_flush(pkgusr_buf);
}

static void __exit pkgusr_exit(void)
{
	pkgcore_put(pkgusr_buf);
}

module_init(pkgusr_init);
module_exit(pkgusr_exit);

MODULE_DESCRIPTION("Package user module: Proprietary, no import");
MODULE_LICENSE("Proprietary");
