// SPDX-License-Identifier: GPL-2.0
/*
 * nsdmamiss: takes a dma-buf from user space by file descriptor and
 * reports its size. dma_buf_get() and dma_buf_put() are GPL-only
 * exports in the DMA_BUF namespace.
 * GPL, but no MODULE_IMPORT_NS(DMA_BUF): both uses are refused.
 */
#include <linux/dma-buf.h>
#include <linux/err.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>

static int nsdmamiss_fd = -1;
module_param_named(fd, nsdmamiss_fd, int, 0444);

static int __init nsdmamiss_init(void)
{
	struct dma_buf *buf;

	if (nsdmamiss_fd < 0)
		return 0;
	buf = dma_buf_get(nsdmamiss_fd);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	pr_info("nsdmamiss: dma-buf of %zu bytes\n", buf->size);
	dma_buf_put(buf);
	return 0;
}

static void __exit nsdmamiss_exit(void)
{
}

module_init(nsdmamiss_init);
module_exit(nsdmamiss_exit);

MODULE_DESCRIPTION("dma-buf user: no namespace import");
MODULE_LICENSE("GPL");
