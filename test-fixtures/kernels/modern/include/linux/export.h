/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_EXPORT_H
#define _LINUX_EXPORT_H

/*
 * Fixture stand-ins. A real tree emits a ksymtab entry that modpost
 * reads; here only the macro names and their arguments matter.
 * The namespace is a bare token in this era (6.1).
 */
#define __EXPORT_SYMBOL(sym, license, ns)	extern typeof(sym) sym

#define EXPORT_SYMBOL(sym)		__EXPORT_SYMBOL(sym, "", "")
#define EXPORT_SYMBOL_GPL(sym)		__EXPORT_SYMBOL(sym, "GPL", "")
#define EXPORT_SYMBOL_NS(sym, ns)	__EXPORT_SYMBOL(sym, "", #ns)
#define EXPORT_SYMBOL_NS_GPL(sym, ns)	__EXPORT_SYMBOL(sym, "GPL", #ns)

#endif /* _LINUX_EXPORT_H */
