// SPDX-License-Identifier: GPL-2.0
/* xmix: probe and the PCI driver; the memory lives in dmem.c and window.c. */
#include <linux/module.h>
#include <linux/pci.h>
#include "xmix.h"

static int xmix_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct xmix *xmix;
	int ret;

	xmix = devm_kzalloc(&pdev->dev, sizeof(*xmix), GFP_KERNEL);
	if (!xmix)
		return -ENOMEM;
	xmix->pdev = pdev;
	pci_set_drvdata(pdev, xmix);

	ret = xmix_dmem_init(xmix);
	if (ret)
		return ret;
	return xmix_window_init(xmix);
}

static const struct pci_device_id xmix_ids[] = {
	{ PCI_DEVICE(0x1f1f, 0x0e06) },
	{ }
};
MODULE_DEVICE_TABLE(pci, xmix_ids);

static struct pci_driver xmix_driver = {
	.name		= "xmix",
	.id_table	= xmix_ids,
	.probe		= xmix_probe,
};
module_pci_driver(xmix_driver);

MODULE_DESCRIPTION("Device memory of several eras in one module");
MODULE_LICENSE("GPL");
