/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_COMPLETION_H
#define _LINUX_COMPLETION_H

struct completion {
	unsigned int	done;
};

static inline void init_completion(struct completion *x)
{
	x->done = 0;
}

void complete(struct completion *x);
void wait_for_completion(struct completion *x);

#endif /* _LINUX_COMPLETION_H */
