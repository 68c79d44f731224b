// SPDX-License-Identifier: GPL-2.0
/*
 * Device core: the logging helpers behind dev_err() and dev_info().
 */
#include <linux/device.h>
#include <linux/export.h>

static void dev_log(const struct device *dev, const char *level,
		    const char *fmt)
{
	/* fixture: messages go nowhere */
}

void _dev_err(const struct device *dev, const char *fmt, ...)
{
	dev_log(dev, "err", fmt);
}
EXPORT_SYMBOL(_dev_err);

void _dev_info(const struct device *dev, const char *fmt, ...)
{
	dev_log(dev, "info", fmt);
}
EXPORT_SYMBOL(_dev_info);
