// SPDX-License-Identifier: GPL-2.0
/*
 * verdrv: a "Proprietary" out-of-tree driver built for 4.x and for
 * 5.10+ kernels. Only the branch that LINUX_VERSION_CODE selects for
 * the target kernel is compiled, so only its calls matter.
 */
#include <linux/device.h>
#include <linux/err.h>
#include <linux/memremap.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/percpu-refcount.h>
#include <linux/version.h>

#define VERDRV_BAR	2

static struct dev_pagemap verdrv_pgmap;

#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 0, 0)
/* Before 5.0 the caller owns the reference count of the pages. */
static struct percpu_ref verdrv_ref;

static void verdrv_ref_release(struct percpu_ref *ref)
{
	/* every page is back; nothing left to wait for */
}

static void *verdrv_map(struct pci_dev *pdev)
{
	int ret;

	/* no type: plain host-addressable memory in this era */
	verdrv_pgmap.res = pdev->resource[VERDRV_BAR];
	verdrv_pgmap.altmap_valid = false;

	ret = percpu_ref_init(&verdrv_ref, verdrv_ref_release, 0, GFP_KERNEL);
	if (ret)
		return ERR_PTR(ret);
	verdrv_pgmap.ref = &verdrv_ref;

	return devm_memremap_pages(&pdev->dev, &verdrv_pgmap);
}

static void verdrv_unmap(struct pci_dev *pdev)
{
	/* devm teardown unmaps the pages when the device unbinds */
}
#else
static void *verdrv_map(struct pci_dev *pdev)
{
	verdrv_pgmap.type = MEMORY_DEVICE_GENERIC;
	verdrv_pgmap.range.start = pci_resource_start(pdev, VERDRV_BAR);
	verdrv_pgmap.range.end = pci_resource_end(pdev, VERDRV_BAR);
	verdrv_pgmap.nr_range = 1;

	return memremap_pages(&verdrv_pgmap, dev_to_node(&pdev->dev));
}

static void verdrv_unmap(struct pci_dev *pdev)
{
	memunmap_pages(&verdrv_pgmap);
}
#endif

static int verdrv_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	void *addr = verdrv_map(pdev);

	if (IS_ERR(addr)) {
		dev_err(&pdev->dev, "cannot map BAR%d\n", VERDRV_BAR);
		return PTR_ERR(addr);
	}
	return 0;
}

static void verdrv_remove(struct pci_dev *pdev)
{
	verdrv_unmap(pdev);
}

static const struct pci_device_id verdrv_ids[] = {
	{ PCI_DEVICE(0x1f1f, 0x0f01) },
	{ }
};
MODULE_DEVICE_TABLE(pci, verdrv_ids);

static struct pci_driver verdrv_driver = {
	.name		= "verdrv",
	.id_table	= verdrv_ids,
	.probe		= verdrv_probe,
	.remove		= verdrv_remove,
};
module_pci_driver(verdrv_driver);

MODULE_DESCRIPTION("Version-dependent ZONE_DEVICE mapping");
MODULE_LICENSE("Proprietary");
