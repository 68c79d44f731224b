/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_IOPORT_H
#define _LINUX_IOPORT_H

#include <linux/types.h>

struct device;

struct resource {
	resource_size_t		start;
	resource_size_t		end;
	const char		*name;
	unsigned long		flags;
	unsigned long		desc;
	struct resource		*parent;
	struct resource		*sibling;
	struct resource		*child;
};

#define IORESOURCE_MEM		0x00000200

/* What a memory resource holds, beyond plain System RAM. */
enum {
	IORES_DESC_NONE				= 0,
	IORES_DESC_PERSISTENT_MEMORY		= 4,
	IORES_DESC_DEVICE_PRIVATE_MEMORY	= 6,
	IORES_DESC_DEVICE_PUBLIC_MEMORY		= 7,
};

/* Answers of region_intersects(). */
enum {
	REGION_DISJOINT = 0,
	REGION_INTERSECTS,
	REGION_MIXED,
};

extern struct resource iomem_resource;

static inline resource_size_t resource_size(const struct resource *res)
{
	return res->end - res->start + 1;
}

int region_intersects(resource_size_t start, size_t size, unsigned long flags,
		      unsigned long desc);

struct resource *__devm_request_region(struct device *dev,
				       struct resource *parent,
				       resource_size_t start,
				       resource_size_t n, const char *name);

#define devm_request_mem_region(dev, start, n, name) \
	__devm_request_region(dev, &iomem_resource, (start), (n), (name))

#endif /* _LINUX_IOPORT_H */
