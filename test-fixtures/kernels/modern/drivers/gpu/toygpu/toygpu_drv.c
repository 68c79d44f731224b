// SPDX-License-Identifier: GPL-2.0
/*
 * toygpu: PCI glue. Scratch memory comes from fakemem, whose exports
 * sit in the FAKEMEM namespace, hence the MODULE_IMPORT_NS() below.
 */
#include <linux/device.h>
#include <linux/err.h>
#include <linux/fakemem.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "toygpu.h"

static int toygpu_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct toygpu_device *tdev;
	int ret;

	tdev = devm_kzalloc(&pdev->dev, sizeof(*tdev), GFP_KERNEL);
	if (!tdev)
		return -ENOMEM;
	tdev->pdev = pdev;

	tdev->scratch = fakemem_alloc(&pdev->dev, TOYGPU_SCRATCH_SIZE);
	if (!tdev->scratch)
		return -ENOMEM;

	ret = toygpu_dmem_init(tdev);
	if (ret) {
		dev_err(&pdev->dev, "no device memory: %d\n", ret);
		fakemem_free(&pdev->dev, tdev->scratch);
		return ret;
	}

	pci_set_drvdata(pdev, tdev);
	return 0;
}

static void toygpu_remove(struct pci_dev *pdev)
{
	struct toygpu_device *tdev = pci_get_drvdata(pdev);

	toygpu_dmem_fini(tdev);
	fakemem_free(&pdev->dev, tdev->scratch);
}

static const struct pci_device_id toygpu_ids[] = {
	{ PCI_DEVICE(0x1f1f, 0x0a01) },
	{ }
};
MODULE_DEVICE_TABLE(pci, toygpu_ids);

static struct pci_driver toygpu_driver = {
	.name		= "toygpu",
	.id_table	= toygpu_ids,
	.probe		= toygpu_probe,
	.remove		= toygpu_remove,
};
module_pci_driver(toygpu_driver);

MODULE_DESCRIPTION("Toy GPU with device-private memory");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(FAKEMEM);
