/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __MNOLIC_H__
#define __MNOLIC_H__

#include <linux/memremap.h>
#include <linux/types.h>

struct mnolic {
	struct dev_pagemap	pgmap;
	void			*addr;
};

int mnolic_map(struct mnolic *m, u64 start, u64 size);
void mnolic_unmap(struct mnolic *m);

#endif /* __MNOLIC_H__ */
