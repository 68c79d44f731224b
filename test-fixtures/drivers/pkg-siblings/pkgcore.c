// SPDX-License-Identifier: GPL-2.0
/*
 * pkgcore: the library module of a package of three. It exports one
 * symbol of each kind: GPL-only, plain, and two in the PKGCORE
 * namespace (one of them GPL-only as well).
 */
#include <linux/init.h>
#include <linux/module.h>

#include "pkgcore.h"

struct pkgcore_buf {
	unsigned int size;
	unsigned int dirty;
};

static struct pkgcore_buf pkgcore_pool[4];

struct pkgcore_buf *pkgcore_get(unsigned int size)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(pkgcore_pool); i++) {
		if (!pkgcore_pool[i].size) {
			pkgcore_pool[i].size = size;
			return &pkgcore_pool[i];
		}
	}
	return NULL;
}
EXPORT_SYMBOL_GPL(pkgcore_get);

void pkgcore_put(struct pkgcore_buf *buf)
{
	buf->size = 0;
	buf->dirty = 0;
}
EXPORT_SYMBOL(pkgcore_put);

int pkgcore_flush(struct pkgcore_buf *buf)
{
	buf->dirty = 0;
	return 0;
}
EXPORT_SYMBOL_NS_GPL(pkgcore_flush, PKGCORE);

unsigned int pkgcore_size(const struct pkgcore_buf *buf)
{
	return buf->size;
}
EXPORT_SYMBOL_NS(pkgcore_size, PKGCORE);

static int __init pkgcore_init(void)
{
	return 0;
}

static void __exit pkgcore_exit(void)
{
}

module_init(pkgcore_init);
module_exit(pkgcore_exit);

MODULE_DESCRIPTION("Package library module");
MODULE_LICENSE("GPL");
