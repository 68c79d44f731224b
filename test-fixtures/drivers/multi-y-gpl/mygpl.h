/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __MYGPL_H__
#define __MYGPL_H__

#include <linux/memremap.h>
#include <linux/types.h>

struct mygpl {
	struct dev_pagemap	pgmap;
	void			*addr;
};

int mygpl_map(struct mygpl *m, u64 start, u64 size);
void mygpl_unmap(struct mygpl *m);

#endif /* __MYGPL_H__ */
