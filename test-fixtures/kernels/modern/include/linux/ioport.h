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
	IORES_DESC_RESERVED			= 7,
	IORES_DESC_SOFT_RESERVED		= 8,
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
struct resource *request_free_mem_region(struct resource *base,
					 unsigned long size, const char *name);
struct resource *devm_request_free_mem_region(struct device *dev,
					      struct resource *base,
					      unsigned long size);

#endif /* _LINUX_IOPORT_H */
