// SPDX-License-Identifier: GPL-2.0
/*
 * nsdmaprop: takes a dma-buf from user space by file descriptor and
 * reports its size. dma_buf_get() and dma_buf_put() are GPL-only
 * exports in the DMA_BUF namespace.
 * "Proprietary" and no import: each symbol is refused twice, once for
 * the license and once for the namespace.
 */
#include <linux/dma-buf.h>
#include <linux/err.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>

static int nsdmaprop_fd = -1;
module_param_named(fd, nsdmaprop_fd, int, 0444);

static int __init nsdmaprop_init(void)
{
	struct dma_buf *buf;

	if (nsdmaprop_fd < 0)
		return 0;
	buf = dma_buf_get(nsdmaprop_fd);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	pr_info("nsdmaprop: dma-buf of %zu bytes\n", buf->size);
	dma_buf_put(buf);
	return 0;
}

static void __exit nsdmaprop_exit(void)
{
}

module_init(nsdmaprop_init);
module_exit(nsdmaprop_exit);

MODULE_DESCRIPTION("dma-buf user: proprietary, no import");
MODULE_LICENSE("Proprietary");
