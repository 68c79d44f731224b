/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __MFDRV_H__
#define __MFDRV_H__

#include <linux/memremap.h>
#include <linux/pci.h>

#define MFDRV_MEM_BAR	4

struct mfdrv {
	struct pci_dev		*pdev;
	struct dev_pagemap	pgmap;
	void			*vaddr;
};

int mfdrv_mem_map(struct mfdrv *mf);
void mfdrv_mem_unmap(struct mfdrv *mf);

#endif /* __MFDRV_H__ */
