// SPDX-License-Identifier: GPL-2.0
/*
 * Binding PCI drivers to devices.
 */
#include <linux/err.h>
#include <linux/export.h>
#include <linux/pci.h>

#define PCI_MAX_DRIVERS	16

static struct pci_driver *pci_drivers[PCI_MAX_DRIVERS];

int __pci_register_driver(struct pci_driver *drv, struct module *owner,
			  const char *mod_name)
{
	int i;

	for (i = 0; i < PCI_MAX_DRIVERS; i++) {
		if (!pci_drivers[i]) {
			pci_drivers[i] = drv;
			return 0;
		}
	}
	return -EBUSY;
}
EXPORT_SYMBOL(__pci_register_driver);

void pci_unregister_driver(struct pci_driver *drv)
{
	int i;

	for (i = 0; i < PCI_MAX_DRIVERS; i++)
		if (pci_drivers[i] == drv)
			pci_drivers[i] = NULL;
}
EXPORT_SYMBOL(pci_unregister_driver);
