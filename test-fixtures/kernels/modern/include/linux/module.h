/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_MODULE_H
#define _LINUX_MODULE_H

#include <linux/types.h>
#include <linux/export.h>

struct module;

#define THIS_MODULE	((struct module *)0)

#define __init
#define __exit

/* Stand-in: a real tree puts "tag=value" strings into .modinfo. */
#define MODULE_INFO(tag, info)	/* .modinfo: tag=info */

#define MODULE_LICENSE(_license)	MODULE_INFO(license, _license)
#define MODULE_AUTHOR(_author)		MODULE_INFO(author, _author)
#define MODULE_DESCRIPTION(_desc)	MODULE_INFO(description, _desc)
#define MODULE_IMPORT_NS(ns)		MODULE_INFO(import_ns, #ns)
#define MODULE_DEVICE_TABLE(type, name)	/* alias table for modpost */

/* Entry and exit hooks: built-in code runs them as initcalls. */
#define module_init(fn)		/* init hook: fn */
#define module_exit(fn)		/* exit hook: fn */

#endif /* _LINUX_MODULE_H */
