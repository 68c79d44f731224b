// SPDX-License-Identifier: GPL-2.0
/*
 * mfgpl: PCI glue. "Dual BSD/GPL" is GPL-compatible, and it covers
 * pagemap.c as well, since both files link into mfgpl.ko.
 */
#include <linux/device.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/pci.h>

#include "mfgpl.h"

static int mfgpl_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct mfgpl *mg;

	mg = devm_kzalloc(&pdev->dev, sizeof(*mg), GFP_KERNEL);
	if (!mg)
		return -ENOMEM;

	mg->pdev = pdev;
	pci_set_drvdata(pdev, mg);
	return mfgpl_pagemap_setup(mg);
}

static const struct pci_device_id mfgpl_ids[] = {
	{ PCI_DEVICE(0x1f1f, 0x0c02) },
	{ }
};
MODULE_DEVICE_TABLE(pci, mfgpl_ids);

static struct pci_driver mfgpl_driver = {
	.name		= "mfgpl",
	.id_table	= mfgpl_ids,
	.probe		= mfgpl_probe,
};
module_pci_driver(mfgpl_driver);

MODULE_DESCRIPTION("Two-file driver under a GPL-compatible license");
MODULE_LICENSE("Dual BSD/GPL");
