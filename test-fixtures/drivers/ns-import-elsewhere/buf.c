// SPDX-License-Identifier: GPL-2.0
/*
 * nsfar: dma-buf half, no MODULE_IMPORT_NS() of its own.
 */
#include <linux/dma-buf.h>
#include <linux/err.h>

int nsfar_probe_fd(int fd);

int nsfar_probe_fd(int fd)
{
	struct dma_buf *buf = dma_buf_get(fd);

	if (IS_ERR(buf))
		return PTR_ERR(buf);
	dma_buf_put(buf);
	return 0;
}
