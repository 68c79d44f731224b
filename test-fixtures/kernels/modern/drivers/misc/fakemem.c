// SPDX-License-Identifier: GPL-2.0
/*
 * fakemem: a toy allocator of "device memory" for other drivers.
 * Both entry points are exported into the FAKEMEM namespace.
 */
#include <linux/device.h>
#include <linux/export.h>
#include <linux/fakemem.h>
#include <linux/module.h>
#include <linux/slab.h>

struct fakemem_hdr {
	struct device	*dev;
	size_t		size;
};

void *fakemem_alloc(struct device *dev, size_t size)
{
	struct fakemem_hdr *hdr;

	hdr = kzalloc(sizeof(*hdr) + size, GFP_KERNEL);
	if (!hdr)
		return NULL;
	hdr->dev = dev;
	hdr->size = size;
	return hdr + 1;
}
EXPORT_SYMBOL_NS_GPL(fakemem_alloc, FAKEMEM);

void fakemem_free(struct device *dev, void *ptr)
{
	struct fakemem_hdr *hdr;

	if (!ptr)
		return;
	hdr = (struct fakemem_hdr *)ptr - 1;
	if (hdr->dev != dev)
		dev_err(dev, "fakemem: freeing another device's buffer\n");
	kfree(hdr);
}
EXPORT_SYMBOL_NS(fakemem_free, FAKEMEM);

MODULE_DESCRIPTION("Fake device memory allocator");
MODULE_LICENSE("Dual BSD/GPL");
