// SPDX-License-Identifier: GPL-2.0
/*
 * Radix tree (fixture: a flat table with the same interface).
 */
#include <linux/err.h>
#include <linux/export.h>
#include <linux/radix-tree.h>

static int radix_tree_slot(const struct radix_tree_root *root,
			   unsigned long index)
{
	unsigned int i;

	for (i = 0; i < root->nr; i++)
		if (root->index[i] == index)
			return i;
	return -1;
}

int radix_tree_insert(struct radix_tree_root *root, unsigned long index,
		      void *item)
{
	if (radix_tree_slot(root, index) >= 0)
		return -EEXIST;
	if (root->nr == RADIX_TREE_SLOTS)
		return -ENOMEM;
	root->index[root->nr] = index;
	root->item[root->nr] = item;
	root->nr++;
	return 0;
}
EXPORT_SYMBOL(radix_tree_insert);

void *radix_tree_lookup(const struct radix_tree_root *root,
			unsigned long index)
{
	int i = radix_tree_slot(root, index);

	return i < 0 ? NULL : root->item[i];
}
EXPORT_SYMBOL(radix_tree_lookup);

void *radix_tree_delete(struct radix_tree_root *root, unsigned long index)
{
	int i = radix_tree_slot(root, index);
	void *item;

	if (i < 0)
		return NULL;
	item = root->item[i];
	root->nr--;
	root->index[i] = root->index[root->nr];
	root->item[i] = root->item[root->nr];
	return item;
}
EXPORT_SYMBOL(radix_tree_delete);
