/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __MFGPL_H__
#define __MFGPL_H__

#include <linux/memremap.h>
#include <linux/pci.h>

#define MFGPL_MEM_BAR	4

struct mfgpl {
	struct pci_dev		*pdev;
	struct dev_pagemap	pgmap;
};

int mfgpl_pagemap_setup(struct mfgpl *mg);

#endif /* __MFGPL_H__ */
