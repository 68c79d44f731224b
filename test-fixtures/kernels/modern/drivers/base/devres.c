// SPDX-License-Identifier: GPL-2.0
/*
 * Device-managed resources: undone automatically on driver detach.
 */
#include <linux/device.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/slab.h>

struct devres_action {
	struct device	*dev;
	void		(*action)(void *);
	void		*data;
};

#define DEVRES_MAX	32

static struct devres_action devres_log[DEVRES_MAX];
static int devres_count;

int devm_add_action(struct device *dev, void (*action)(void *), void *data)
{
	if (devres_count == DEVRES_MAX)
		return -ENOMEM;
	devres_log[devres_count].dev = dev;
	devres_log[devres_count].action = action;
	devres_log[devres_count].data = data;
	devres_count++;
	return 0;
}
EXPORT_SYMBOL_GPL(devm_add_action);

static void devm_kmalloc_release(void *p)
{
	kfree(p);
}

void *devm_kmalloc(struct device *dev, size_t size, gfp_t gfp)
{
	void *p = kmalloc(size, gfp);

	if (p && devm_add_action(dev, devm_kmalloc_release, p)) {
		kfree(p);
		return NULL;
	}
	return p;
}
EXPORT_SYMBOL_GPL(devm_kmalloc);

void devm_kfree(struct device *dev, const void *p)
{
	kfree(p);
}
EXPORT_SYMBOL_GPL(devm_kfree);
