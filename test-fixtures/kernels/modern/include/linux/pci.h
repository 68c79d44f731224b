/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_PCI_H
#define _LINUX_PCI_H

#include <linux/types.h>
#include <linux/ioport.h>
#include <linux/device.h>

#define PCI_NUM_RESOURCES	6

struct pci_device_id {
	u32		vendor, device;
	u32		subvendor, subdevice;
	unsigned long	driver_data;
};

#define PCI_ANY_ID	(~0u)
#define PCI_DEVICE(vend, dev) \
	.vendor = (vend), .device = (dev), \
	.subvendor = PCI_ANY_ID, .subdevice = PCI_ANY_ID

struct pci_dev {
	struct device	dev;
	u16		vendor;
	u16		device;
	struct resource	resource[PCI_NUM_RESOURCES];
};

struct pci_driver {
	const char			*name;
	const struct pci_device_id	*id_table;
	int  (*probe)(struct pci_dev *dev, const struct pci_device_id *id);
	void (*remove)(struct pci_dev *dev);
};

#define pci_resource_start(dev, bar)	((dev)->resource[(bar)].start)
#define pci_resource_end(dev, bar)	((dev)->resource[(bar)].end)
#define pci_resource_len(dev, bar) \
	(pci_resource_end(dev, bar) - pci_resource_start(dev, bar) + 1)

static inline void *pci_get_drvdata(struct pci_dev *pdev)
{
	return dev_get_drvdata(&pdev->dev);
}

static inline void pci_set_drvdata(struct pci_dev *pdev, void *data)
{
	dev_set_drvdata(&pdev->dev, data);
}

int __pci_register_driver(struct pci_driver *drv, struct module *owner,
			  const char *mod_name);
void pci_unregister_driver(struct pci_driver *drv);

#define pci_register_driver(drv) \
	__pci_register_driver(drv, THIS_MODULE, KBUILD_MODNAME)

#define module_pci_driver(drv) \
	module_driver(drv, pci_register_driver, pci_unregister_driver)

#endif /* _LINUX_PCI_H */
