// SPDX-License-Identifier: GPL-2.0
/*
 * nshidok: helpers of a HID sensor driver. The hid_sensor_* helpers are
 * plain exports of the hid-sensor-iio-common module, each in a
 * namespace: write_samp_freq in IIO_HID, read_poll in
 * IIO_HID_ATTRIBUTES.
 * Both namespaces imported: nothing to report.
 */
#include <linux/hid-sensor-hub.h>
#include <linux/init.h>
#include <linux/module.h>

int nshidok_set_rate(struct hid_sensor_common *st, int hz)
{
	return hid_sensor_write_samp_freq_value(st, hz, 0);
}
EXPORT_SYMBOL_GPL(nshidok_set_rate);

s32 nshidok_poll_interval(struct hid_sensor_common *st)
{
	return hid_sensor_read_poll_value(st);
}
EXPORT_SYMBOL_GPL(nshidok_poll_interval);

static int __init nshidok_init(void)
{
	return 0;
}

static void __exit nshidok_exit(void)
{
}

module_init(nshidok_init);
module_exit(nshidok_exit);

MODULE_DESCRIPTION("HID sensor helpers: both imports");
MODULE_LICENSE("Proprietary");
MODULE_IMPORT_NS(IIO_HID);
MODULE_IMPORT_NS(IIO_HID_ATTRIBUTES);
