// SPDX-License-Identifier: GPL-2.0
/* hmmmf: a two-file module; the device memory is set up in mem.c. */
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include "hmmmf.h"

static int hmmmf_probe(struct platform_device *pdev)
{
	struct hmmmf *mf;

	mf = devm_kzalloc(&pdev->dev, sizeof(*mf), GFP_KERNEL);
	if (!mf)
		return -ENOMEM;
	mf->pdev = pdev;
	platform_set_drvdata(pdev, mf);
	return hmmmf_mem_init(mf, 32UL << 20);
}

static int hmmmf_remove(struct platform_device *pdev)
{
	hmmmf_mem_fini(platform_get_drvdata(pdev));
	return 0;
}

static struct platform_driver hmmmf_driver = {
	.driver	= { .name = "hmmmf" },
	.probe	= hmmmf_probe,
	.remove	= hmmmf_remove,
};
module_platform_driver(hmmmf_driver);

MODULE_DESCRIPTION("A two-file module on the old HMM device-memory API");
MODULE_LICENSE("GPL");
