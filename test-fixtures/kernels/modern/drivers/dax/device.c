// SPDX-License-Identifier: GPL-2.0
/*
 * device-dax: expose a dax region through a character device. Every
 * page of the region gets a struct page from devm_memremap_pages().
 */
#include <linux/device.h>
#include <linux/err.h>
#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/module.h>

#include "bus.h"

static int dev_dax_probe(struct dev_dax *dev_dax)
{
	struct device *dev = &dev_dax->dev;
	struct dev_pagemap *pgmap;
	void *addr;

	pgmap = devm_kzalloc(dev, sizeof(*pgmap), GFP_KERNEL);
	if (!pgmap)
		return -ENOMEM;

	pgmap->type = MEMORY_DEVICE_GENERIC;
	pgmap->range = dev_dax->range;
	pgmap->nr_range = 1;

	addr = devm_memremap_pages(dev, pgmap);
	if (IS_ERR(addr))
		return PTR_ERR(addr);

	dev_dax->pgmap = pgmap;
	return 0;
}

static void dev_dax_remove(struct dev_dax *dev_dax)
{
	/* the devm action unmaps the pages */
	dev_dax->pgmap = NULL;
}

static struct dax_device_driver device_dax_driver = {
	.name	= "device_dax",
	.probe	= dev_dax_probe,
	.remove	= dev_dax_remove,
};

static int __init dax_init(void)
{
	return dax_bus_attach(&device_dax_driver);
}

static void __exit dax_exit(void)
{
	dax_bus_detach(&device_dax_driver);
}

MODULE_AUTHOR("kmm fixtures");
MODULE_LICENSE("GPL v2");
module_init(dax_init);
module_exit(dax_exit);
