// SPDX-License-Identifier: GPL-2.0
/*
 * subuser: a "Proprietary" module in the package's other directory.
 * subcore_claim is GPL-only; subcore_release is not.
 */
#include <linux/init.h>
#include <linux/module.h>

#include "../core/subcore.h"

#define SUBUSER_ID	3

static int __init subuser_init(void)
{
	return subcore_claim(SUBUSER_ID);
}

static void __exit subuser_exit(void)
{
	subcore_release(SUBUSER_ID);
}

module_init(subuser_init);
module_exit(subuser_exit);

MODULE_DESCRIPTION("Package user module, in its own directory: Proprietary");
MODULE_LICENSE("Proprietary");
