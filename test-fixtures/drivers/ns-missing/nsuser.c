// SPDX-License-Identifier: GPL-2.0
/*
 * nsuser: a "Proprietary" module using fakemem without
 * MODULE_IMPORT_NS(FAKEMEM). fakemem_alloc() is GPL-only and in the
 * FAKEMEM namespace; fakemem_free() is only in the namespace.
 */
#include <linux/device.h>
#include <linux/err.h>
#include <linux/fakemem.h>
#include <linux/module.h>
#include <linux/pci.h>

#define NSUSER_BUF_SIZE	4096

static void *nsuser_buf;

static int nsuser_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	nsuser_buf = fakemem_alloc(&pdev->dev, NSUSER_BUF_SIZE);
	if (!nsuser_buf)
		return -ENOMEM;
	return 0;
}

static void nsuser_remove(struct pci_dev *pdev)
{
	fakemem_free(&pdev->dev, nsuser_buf);
	nsuser_buf = NULL;
}

static const struct pci_device_id nsuser_ids[] = {
	{ PCI_DEVICE(0x1f1f, 0x1001) },
	{ }
};
MODULE_DEVICE_TABLE(pci, nsuser_ids);

static struct pci_driver nsuser_driver = {
	.name		= "nsuser",
	.id_table	= nsuser_ids,
	.probe		= nsuser_probe,
	.remove		= nsuser_remove,
};
module_pci_driver(nsuser_driver);

MODULE_DESCRIPTION("Namespaced exports without the import");
MODULE_LICENSE("Proprietary");
