/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_FAKEMEM_H
#define _LINUX_FAKEMEM_H

#include <linux/types.h>

struct device;

/* Exported by drivers/misc/fakemem.c in namespace FAKEMEM. */
void *fakemem_alloc(struct device *dev, size_t size);
void fakemem_free(struct device *dev, void *ptr);

/* Built-in helper from drivers/misc/fakemem_core.c (not exported). */
int fakemem_core_register(struct device *dev, phys_addr_t base, size_t size);

#endif /* _LINUX_FAKEMEM_H */
