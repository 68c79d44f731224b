/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __TOYGPU_H__
#define __TOYGPU_H__

#include <linux/memremap.h>
#include <linux/pci.h>

#define TOYGPU_DMEM_SIZE	(256UL << 20)
#define TOYGPU_SCRATCH_SIZE	4096

struct toygpu_dmem_chunk;

struct toygpu_device {
	struct pci_dev			*pdev;
	void				*scratch;	/* from fakemem */
	struct toygpu_dmem_chunk	*chunk;
};

int toygpu_dmem_init(struct toygpu_device *tdev);
void toygpu_dmem_fini(struct toygpu_device *tdev);

#endif /* __TOYGPU_H__ */
