/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __DAX_BUS_H__
#define __DAX_BUS_H__

#include <linux/device.h>
#include <linux/memremap.h>

struct dev_dax {
	struct device		dev;
	struct dev_pagemap	*pgmap;
	struct range		range;
	int			target_node;
};

struct dax_device_driver {
	const char	*name;
	int		(*probe)(struct dev_dax *dev_dax);
	void		(*remove)(struct dev_dax *dev_dax);
};

int dax_bus_attach(struct dax_device_driver *dax_drv);
void dax_bus_detach(struct dax_device_driver *dax_drv);

#endif /* __DAX_BUS_H__ */
