// SPDX-License-Identifier: GPL-2.0
/*
 * mfdrv: PCI glue. This file carries the module's only license line,
 * and it is not GPL-compatible; the GPL-only calls are in mem.c.
 */
#include <linux/device.h>
#include <linux/module.h>
#include <linux/pci.h>

#include "mfdrv.h"

static struct mfdrv mfdrv_dev;

static int mfdrv_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int ret;

	mfdrv_dev.pdev = pdev;
	ret = mfdrv_mem_map(&mfdrv_dev);
	if (ret) {
		dev_err(&pdev->dev, "cannot map BAR%d: %d\n", MFDRV_MEM_BAR, ret);
		return ret;
	}

	pci_set_drvdata(pdev, &mfdrv_dev);
	return 0;
}

static void mfdrv_remove(struct pci_dev *pdev)
{
	mfdrv_mem_unmap(pci_get_drvdata(pdev));
}

static const struct pci_device_id mfdrv_ids[] = {
	{ PCI_DEVICE(0x1f1f, 0x0c01) },
	{ }
};
MODULE_DEVICE_TABLE(pci, mfdrv_ids);

static struct pci_driver mfdrv_driver = {
	.name		= "mfdrv",
	.id_table	= mfdrv_ids,
	.probe		= mfdrv_probe,
	.remove		= mfdrv_remove,
};
module_pci_driver(mfdrv_driver);

MODULE_DESCRIPTION("Two-file driver under a non-GPL license");
MODULE_LICENSE("MIT");
