// SPDX-License-Identifier: GPL-2.0
/*
 * nsdmapimp: takes a dma-buf from user space by file descriptor and
 * reports its size. dma_buf_get() and dma_buf_put() are GPL-only
 * exports in the DMA_BUF namespace.
 * "Proprietary" with the import: the import does not lift the GPL-only
 * restriction.
 */
#include <linux/dma-buf.h>
#include <linux/err.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>

static int nsdmapimp_fd = -1;
module_param_named(fd, nsdmapimp_fd, int, 0444);

static int __init nsdmapimp_init(void)
{
	struct dma_buf *buf;

	if (nsdmapimp_fd < 0)
		return 0;
	buf = dma_buf_get(nsdmapimp_fd);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	pr_info("nsdmapimp: dma-buf of %zu bytes\n", buf->size);
	dma_buf_put(buf);
	return 0;
}

static void __exit nsdmapimp_exit(void)
{
}

module_init(nsdmapimp_init);
module_exit(nsdmapimp_exit);

MODULE_DESCRIPTION("dma-buf user: proprietary with the import");
MODULE_LICENSE("Proprietary");
MODULE_IMPORT_NS(DMA_BUF);
