/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __HMMMF_H__
#define __HMMMF_H__

#include <linux/hmm.h>
#include <linux/platform_device.h>

struct hmmmf {
	struct platform_device	*pdev;
	struct hmm_devmem	*devmem;
	unsigned long		first_block;
};

int hmmmf_mem_init(struct hmmmf *mf, unsigned long size);
void hmmmf_mem_fini(struct hmmmf *mf);

#endif /* __HMMMF_H__ */
