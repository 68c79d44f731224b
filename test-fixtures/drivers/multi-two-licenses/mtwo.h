/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __MTWO_H__
#define __MTWO_H__

#include <linux/memremap.h>
#include <linux/types.h>

struct mtwo {
	struct dev_pagemap	pgmap;
	void			*addr;
};

int mtwo_map(struct mtwo *m, u64 start, u64 size);
void mtwo_unmap(struct mtwo *m);

#endif /* __MTWO_H__ */
