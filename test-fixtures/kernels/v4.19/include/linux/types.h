/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_TYPES_H
#define _LINUX_TYPES_H

#define NULL	((void *)0)
#define BITS_PER_LONG	64

typedef unsigned char		u8;
typedef unsigned short		u16;
typedef unsigned int		u32;
typedef unsigned long long	u64;
typedef long long		s64;
typedef unsigned long		size_t;
typedef _Bool			bool;
typedef u64			phys_addr_t;
typedef phys_addr_t		resource_size_t;
typedef unsigned int		gfp_t;

enum {
	false	= 0,
	true	= 1
};

#endif /* _LINUX_TYPES_H */
