// SPDX-License-Identifier: GPL-2.0
/*
 * mkns: a GPL driver that finds a free physical range for its device
 * memory with alloc_free_mem_region() and backs its file handles with
 * anon_inode_make_secure_inode(). Its version guards are each right on
 * one kernel and wrong on the other:
 *  - 6.1 exports alloc_free_mem_region in namespace CXL; the import is
 *    guarded for kernels before 6.0 only, so 6.1 refuses the module.
 *  - 6.12 exports anon_inode_make_secure_inode for the module kvm only;
 *    the guard expected that from 6.13, so 6.12 refuses the module, and
 *    no MODULE_IMPORT_NS could help. 6.1 exports it to every GPL module.
 */
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/ioport.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/version.h>

static struct resource *mkns_res;

static struct inode *mkns_inode(struct super_block *sb)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 13, 0)
	return anon_inode_make_secure_inode(sb, "[mkns]", NULL);
#else
	return ERR_PTR(-EOPNOTSUPP);
#endif
}

static int __init mkns_init(void)
{
	mkns_res = alloc_free_mem_region(&iomem_resource, SZ_256M, SZ_256M, "mkns");
	if (IS_ERR(mkns_res))
		return PTR_ERR(mkns_res);
	return PTR_ERR_OR_ZERO(mkns_inode(NULL));
}

module_init(mkns_init);

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 0, 0)
MODULE_IMPORT_NS(CXL);
#endif
MODULE_DESCRIPTION("Namespace guards right on one kernel, wrong on the other");
MODULE_LICENSE("GPL");
