/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xmix: a GPU-like PCI device with device-private memory managed through
 * the hmm_devmem API (shaped like nouveau's 5.2 nouveau_dmem.c) and a BAR
 * window mapped with a driver-owned struct dev_pagemap of the 4.19 - 5.9
 * shape (res, data, altmap_valid, MEMORY_DEVICE_DEVDAX): code of several
 * eras in one module.
 */
#ifndef __XMIX_H__
#define __XMIX_H__

#include <linux/hmm.h>
#include <linux/memremap.h>
#include <linux/pci.h>

struct xmix_dmem {
	struct xmix		*xmix;
	struct hmm_devmem	*devmem;
	unsigned long		nfree;
};

struct xmix_window {
	struct dev_pagemap	pgmap;
	struct xmix		*xmix;
	unsigned long		pages;
};

struct xmix {
	struct pci_dev		*pdev;
	struct xmix_dmem	*dmem;
	struct xmix_window	window;
};

int xmix_dmem_init(struct xmix *xmix);
bool xmix_page_is_ours(struct xmix *xmix, struct page *page);
int xmix_window_init(struct xmix *xmix);

#endif /* __XMIX_H__ */
