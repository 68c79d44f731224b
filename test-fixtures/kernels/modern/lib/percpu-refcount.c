// SPDX-License-Identifier: GPL-2.0
/*
 * Reference counts that are cheap to take while the object is live,
 * and fall back to an exact count once the owner kills them.
 */
#include <linux/export.h>
#include <linux/percpu-refcount.h>

int percpu_ref_init(struct percpu_ref *ref, percpu_ref_func_t *release,
		    unsigned int flags, gfp_t gfp)
{
	ref->count = 1;
	ref->release = release;
	ref->confirm_switch = NULL;
	ref->dead = (flags & PERCPU_REF_INIT_DEAD) != 0;
	return 0;
}
EXPORT_SYMBOL_GPL(percpu_ref_init);

void percpu_ref_exit(struct percpu_ref *ref)
{
	ref->release = NULL;
	ref->confirm_switch = NULL;
}
EXPORT_SYMBOL_GPL(percpu_ref_exit);

/*
 * Mark @ref dead, call @confirm_kill once no new references can be
 * taken, then drop the initial reference.
 */
void percpu_ref_kill_and_confirm(struct percpu_ref *ref,
				 percpu_ref_func_t *confirm_kill)
{
	ref->dead = true;
	ref->confirm_switch = confirm_kill;
	if (confirm_kill)
		confirm_kill(ref);
	percpu_ref_put(ref);
}
EXPORT_SYMBOL_GPL(percpu_ref_kill_and_confirm);
