// SPDX-License-Identifier: GPL-2.0
/*
 * nsdmaimp: takes a dma-buf from user space by file descriptor and
 * reports its size. dma_buf_get() and dma_buf_put() are GPL-only
 * exports in the DMA_BUF namespace.
 * GPL and MODULE_IMPORT_NS(DMA_BUF): nothing to report.
 */
#include <linux/dma-buf.h>
#include <linux/err.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>

static int nsdmaimp_fd = -1;
module_param_named(fd, nsdmaimp_fd, int, 0444);

static int __init nsdmaimp_init(void)
{
	struct dma_buf *buf;

	if (nsdmaimp_fd < 0)
		return 0;
	buf = dma_buf_get(nsdmaimp_fd);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	pr_info("nsdmaimp: dma-buf of %zu bytes\n", buf->size);
	dma_buf_put(buf);
	return 0;
}

static void __exit nsdmaimp_exit(void)
{
}

module_init(nsdmaimp_init);
module_exit(nsdmaimp_exit);

MODULE_DESCRIPTION("dma-buf user: GPL with the import");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(DMA_BUF);
