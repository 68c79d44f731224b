// SPDX-License-Identifier: GPL-2.0
/*
 * subcore: the core module of a package whose top Kbuild builds core/
 * and user/ in one M= build. subcore_claim is GPL-only,
 * subcore_release is plain.
 */
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/module.h>

#include "subcore.h"

static unsigned long subcore_claimed;

int subcore_claim(unsigned int id)
{
	if (id >= BITS_PER_LONG)
		return -EINVAL;
	subcore_claimed |= 1UL << id;
	return 0;
}
EXPORT_SYMBOL_GPL(subcore_claim);

void subcore_release(unsigned int id)
{
	if (id < BITS_PER_LONG)
		subcore_claimed &= ~(1UL << id);
}
EXPORT_SYMBOL(subcore_release);

static int __init subcore_init(void)
{
	return 0;
}

static void __exit subcore_exit(void)
{
}

module_init(subcore_init);
module_exit(subcore_exit);

MODULE_DESCRIPTION("Package core module, in its own directory");
MODULE_LICENSE("GPL");
