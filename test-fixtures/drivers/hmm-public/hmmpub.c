// SPDX-License-Identifier: GPL-2.0
/*
 * hmmpub: CPU-addressable, cache-coherent device memory (the old
 * MEMORY_DEVICE_PUBLIC), written for 4.19. The range comes from the
 * platform device; hmm_devmem_add_resource() gives it struct pages.
 * The CPU can touch these pages, so the ops have no .fault.
 */
#include <linux/err.h>
#include <linux/hmm.h>
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>

struct hmmpub {
	struct resource *res;
	struct hmm_devmem *devmem;
	unsigned long *owners;
};

static void hmmpub_free(struct hmm_devmem *devmem, struct page *page)
{
	unsigned long owner = hmm_devmem_page_get_drvdata(page);

	if (owner)
		hmm_devmem_page_set_drvdata(page, 0);
}

static const struct hmm_devmem_ops hmmpub_ops = {
	.free = hmmpub_free,
};

static int hmmpub_probe(struct platform_device *pdev)
{
	struct hmmpub *pub;
	struct hmm_devmem *devmem;

	pub = devm_kzalloc(&pdev->dev, sizeof(*pub), GFP_KERNEL);
	if (!pub)
		return -ENOMEM;
	pub->res = platform_get_resource(pdev, IORESOURCE_MEM, 0);
	if (!pub->res)
		return -ENODEV;
	pub->res->desc = IORES_DESC_DEVICE_PUBLIC_MEMORY;

	devmem = hmm_devmem_add_resource(&hmmpub_ops, &pdev->dev, pub->res);
	if (IS_ERR(devmem))
		return PTR_ERR(devmem);
	pub->devmem = devmem;
	platform_set_drvdata(pdev, pub);
	dev_info(devmem->device, "%llu bytes of coherent device memory\n",
		 (unsigned long long)resource_size(devmem->resource));
	return 0;
}

static struct platform_driver hmmpub_driver = {
	.driver	= { .name = "hmmpub" },
	.probe	= hmmpub_probe,
};
module_platform_driver(hmmpub_driver);

MODULE_DESCRIPTION("Coherent device memory through hmm_devmem_add_resource()");
MODULE_LICENSE("Dual MIT/GPL");
