// SPDX-License-Identifier: GPL-2.0
/*
 * xmix BAR window: a driver-owned struct dev_pagemap written before 5.10,
 * with its range in a struct resource and a back-pointer in ->data.
 */
#include <linux/device.h>
#include <linux/err.h>
#include <linux/mm.h>
#include "xmix.h"

#define XMIX_WINDOW_BAR	2

static unsigned long xmix_window_pages(struct dev_pagemap *pgmap)
{
	struct xmix_window *win = pgmap->data;

	win->pages = resource_size(&pgmap->res) >> PAGE_SHIFT;
	return win->pages;
}

int xmix_window_init(struct xmix *xmix)
{
	struct xmix_window *win = &xmix->window;
	struct pci_dev *pdev = xmix->pdev;
	void *addr;

	win->xmix = xmix;
	win->pgmap.res.start = pci_resource_start(pdev, XMIX_WINDOW_BAR);
	win->pgmap.res.end = pci_resource_end(pdev, XMIX_WINDOW_BAR);
	win->pgmap.altmap_valid = false;
	win->pgmap.data = win;
	win->pgmap.type = MEMORY_DEVICE_DEVDAX;

	addr = devm_memremap_pages(&pdev->dev, &win->pgmap);
	if (IS_ERR(addr))
		return PTR_ERR(addr);
	dev_info(&pdev->dev, "window of %lu pages\n", xmix_window_pages(&win->pgmap));
	return 0;
}
