/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_RANGE_H
#define _LINUX_RANGE_H

#include <linux/types.h>

/* An inclusive [start, end] span of physical addresses. */
struct range {
	u64	start;
	u64	end;
};

static inline u64 range_len(const struct range *range)
{
	return range->end - range->start + 1;
}

#endif /* _LINUX_RANGE_H */
