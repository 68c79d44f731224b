// SPDX-License-Identifier: GPL-2.0
/*
 * nsdmanolic: takes a dma-buf from user space by file descriptor and
 * reports its size. dma_buf_get() and dma_buf_put() are GPL-only
 * exports in the DMA_BUF namespace.
 * No license line and no import: refused for the license, and for the
 * namespace.
 */
#include <linux/dma-buf.h>
#include <linux/err.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>

static int nsdmanolic_fd = -1;
module_param_named(fd, nsdmanolic_fd, int, 0444);

static int __init nsdmanolic_init(void)
{
	struct dma_buf *buf;

	if (nsdmanolic_fd < 0)
		return 0;
	buf = dma_buf_get(nsdmanolic_fd);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	pr_info("nsdmanolic: dma-buf of %zu bytes\n", buf->size);
	dma_buf_put(buf);
	return 0;
}

static void __exit nsdmanolic_exit(void)
{
}

module_init(nsdmanolic_init);
module_exit(nsdmanolic_exit);

MODULE_DESCRIPTION("dma-buf user: no license, no import");
