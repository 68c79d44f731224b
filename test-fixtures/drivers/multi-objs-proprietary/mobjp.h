/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __MOBJP_H__
#define __MOBJP_H__

#include <linux/memremap.h>
#include <linux/types.h>

struct mobjp {
	struct dev_pagemap	pgmap;
	void			*addr;
};

int mobjp_map(struct mobjp *m, u64 start, u64 size);
void mobjp_unmap(struct mobjp *m);

#endif /* __MOBJP_H__ */
