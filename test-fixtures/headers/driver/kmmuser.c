// SPDX-License-Identifier: GPL-2.0
#include <linux/module.h>
#include <linux/kmmdemo.h>

static int kmmuser_probe(struct kmm_demo *demo)
{
	kmm_demo_debug(demo);
	kmm_demo_internal(demo);
	kmm_demo_put(demo);
	kmm_demo_ns("demo");
	return kmm_demo_get(demo);
}

static int __init kmmuser_init(void)
{
	return kmmuser_probe(NULL);
}
module_init(kmmuser_init);

MODULE_LICENSE("Proprietary");
