// SPDX-License-Identifier: GPL-2.0
/*
 * The dax bus: matches dax regions with the drivers that expose them.
 * Linked into device_dax.ko; the license line lives in device.c.
 */
#include <linux/err.h>
#include <linux/export.h>

#include "bus.h"

#define DAX_MAX_DRIVERS	4

static struct dax_device_driver *dax_drivers[DAX_MAX_DRIVERS];

static int dax_bus_slot(struct dax_device_driver *dax_drv)
{
	int i;

	for (i = 0; i < DAX_MAX_DRIVERS; i++)
		if (dax_drivers[i] == dax_drv)
			return i;
	return -1;
}

int dax_bus_attach(struct dax_device_driver *dax_drv)
{
	int i;

	if (dax_bus_slot(dax_drv) >= 0)
		return -EBUSY;
	for (i = 0; i < DAX_MAX_DRIVERS; i++) {
		if (!dax_drivers[i]) {
			dax_drivers[i] = dax_drv;
			return 0;
		}
	}
	return -ENOSPC;
}
EXPORT_SYMBOL_GPL(dax_bus_attach);

/* Only device.c, in the same module, calls this: no export needed. */
void dax_bus_detach(struct dax_device_driver *dax_drv)
{
	int i = dax_bus_slot(dax_drv);

	if (i >= 0)
		dax_drivers[i] = NULL;
}
