// SPDX-License-Identifier: GPL-2.0
/*
 * inlgpl: a "Proprietary" module that calls no export by name, only
 * header inlines: rcu_read_lock() and rcu_read_unlock(). With
 * CONFIG_PREEMPT_RCU=y (Debian's 6.1 amd64 config) they call the
 * GPL-only __rcu_read_lock() and __rcu_read_unlock(), so modpost
 * refuses the module. (kernels/modern has no RCU: nothing there.)
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/rcupdate.h>

static int __rcu *inlgpl_ptr;

static int __init inlgpl_init(void)
{
	int *p;

	rcu_read_lock();
	p = rcu_dereference(inlgpl_ptr);
	rcu_read_unlock();
	return p ? -EBUSY : 0;
}

static void __exit inlgpl_exit(void)
{
}

module_init(inlgpl_init);
module_exit(inlgpl_exit);

MODULE_DESCRIPTION("GPL-only exports reached through header inlines");
MODULE_LICENSE("Proprietary");
