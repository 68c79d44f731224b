// SPDX-License-Identifier: GPL-2.0
/*
 * One-shot "this has happened" events (fixture: no real sleeping).
 */
#include <linux/completion.h>
#include <linux/export.h>

void complete(struct completion *x)
{
	x->done++;
}
EXPORT_SYMBOL(complete);

void wait_for_completion(struct completion *x)
{
	while (!x->done)
		;
	x->done--;
}
EXPORT_SYMBOL(wait_for_completion);
