// SPDX-License-Identifier: GPL-2.0
/*
 * nshidpart: helpers of a HID sensor driver. The hid_sensor_* helpers are
 * plain exports of the hid-sensor-iio-common module, each in a
 * namespace: write_samp_freq in IIO_HID, read_poll in
 * IIO_HID_ATTRIBUTES.
 * Imports IIO_HID only, so the IIO_HID_ATTRIBUTES symbol is still
 * refused.
 */
#include <linux/hid-sensor-hub.h>
#include <linux/init.h>
#include <linux/module.h>

int nshidpart_set_rate(struct hid_sensor_common *st, int hz)
{
	return hid_sensor_write_samp_freq_value(st, hz, 0);
}
EXPORT_SYMBOL_GPL(nshidpart_set_rate);

s32 nshidpart_poll_interval(struct hid_sensor_common *st)
{
	return hid_sensor_read_poll_value(st);
}
EXPORT_SYMBOL_GPL(nshidpart_poll_interval);

static int __init nshidpart_init(void)
{
	return 0;
}

static void __exit nshidpart_exit(void)
{
}

module_init(nshidpart_init);
module_exit(nshidpart_exit);

MODULE_DESCRIPTION("HID sensor helpers: one of two imports");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(IIO_HID);
