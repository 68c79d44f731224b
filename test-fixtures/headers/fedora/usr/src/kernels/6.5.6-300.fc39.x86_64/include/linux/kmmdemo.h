/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_KMMDEMO_H
#define _LINUX_KMMDEMO_H

struct kmm_demo;

/* Exported: Module.symvers lists these. */
extern int kmm_demo_plain(struct kmm_demo *demo);
int kmm_demo_gpl(struct kmm_demo *demo, unsigned long flags);
int __must_check kmm_demo_ns(const char *name);

/* Declared, never exported: a module that calls it is refused by modpost. */
extern void kmm_demo_internal(struct kmm_demo *demo);

#ifdef CONFIG_KMM_DEMO_DEBUG
void kmm_demo_debug(struct kmm_demo *demo);
#else
static inline void kmm_demo_debug(struct kmm_demo *demo) { }
#endif

static inline int kmm_demo_get(struct kmm_demo *demo)
{
	return kmm_demo_gpl(demo, 0);
}

#define kmm_demo_put(demo) kmm_demo_plain(demo)

#endif
