/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_RADIX_TREE_H
#define _LINUX_RADIX_TREE_H

#include <linux/types.h>

#define RADIX_TREE_SLOTS	64

/* Fixture shape: a flat index -> item table instead of a real tree. */
struct radix_tree_root {
	gfp_t		gfp_mask;
	unsigned int	nr;
	unsigned long	index[RADIX_TREE_SLOTS];
	void		*item[RADIX_TREE_SLOTS];
};

#define RADIX_TREE_INIT(mask)	{ .gfp_mask = (mask), .nr = 0 }
#define RADIX_TREE(name, mask) \
	struct radix_tree_root name = RADIX_TREE_INIT(mask)

int radix_tree_insert(struct radix_tree_root *root, unsigned long index,
		      void *item);
void *radix_tree_lookup(const struct radix_tree_root *root,
			unsigned long index);
void *radix_tree_delete(struct radix_tree_root *root, unsigned long index);

#endif /* _LINUX_RADIX_TREE_H */
