/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_PERCPU_REFCOUNT_H
#define _LINUX_PERCPU_REFCOUNT_H

#include <linux/types.h>
#include <linux/gfp.h>

struct percpu_ref;
typedef void (percpu_ref_func_t)(struct percpu_ref *);

#define PERCPU_REF_INIT_ATOMIC	(1 << 0)
#define PERCPU_REF_INIT_DEAD	(1 << 1)

/*
 * Fixture shape: a real percpu_ref counts per CPU until it is killed.
 * A single counter is enough for anything that only reads the tree.
 */
struct percpu_ref {
	unsigned long		count;
	percpu_ref_func_t	*release;
	percpu_ref_func_t	*confirm_switch;
	bool			dead;
};

int percpu_ref_init(struct percpu_ref *ref, percpu_ref_func_t *release,
		    unsigned int flags, gfp_t gfp);
void percpu_ref_exit(struct percpu_ref *ref);
void percpu_ref_kill_and_confirm(struct percpu_ref *ref,
				 percpu_ref_func_t *confirm_kill);

/* Drop the initial reference and refuse new tryget_live() callers. */
static inline void percpu_ref_kill(struct percpu_ref *ref)
{
	percpu_ref_kill_and_confirm(ref, NULL);
}

static inline void percpu_ref_get(struct percpu_ref *ref)
{
	ref->count++;
}

static inline bool percpu_ref_tryget_live(struct percpu_ref *ref)
{
	if (ref->dead)
		return false;
	ref->count++;
	return true;
}

static inline void percpu_ref_put(struct percpu_ref *ref)
{
	if (--ref->count == 0)
		ref->release(ref);
}

#endif /* _LINUX_PERCPU_REFCOUNT_H */
