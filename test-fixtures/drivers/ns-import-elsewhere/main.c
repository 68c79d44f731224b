// SPDX-License-Identifier: GPL-2.0
/*
 * nsfar: module glue. The MODULE_IMPORT_NS(DMA_BUF) here covers the
 * dma-buf calls in buf.c, since both files link into nsfar.ko.
 */
#include <linux/init.h>
#include <linux/module.h>

int nsfar_probe_fd(int fd);

static int nsfar_fd = -1;
module_param_named(fd, nsfar_fd, int, 0444);

static int __init nsfar_init(void)
{
	return nsfar_fd < 0 ? 0 : nsfar_probe_fd(nsfar_fd);
}

static void __exit nsfar_exit(void)
{
}

module_init(nsfar_init);
module_exit(nsfar_exit);

MODULE_DESCRIPTION("Namespace import in one file, use in another");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(DMA_BUF);
