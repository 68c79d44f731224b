// SPDX-License-Identifier: GPL-2.0
/*
 * nshidprop: helpers of a HID sensor driver. The hid_sensor_* helpers are
 * plain exports of the hid-sensor-iio-common module, each in a
 * namespace: write_samp_freq in IIO_HID, read_poll in
 * IIO_HID_ATTRIBUTES.
 * "Proprietary" is fine for plain exports; the missing imports are
 * not.
 */
#include <linux/hid-sensor-hub.h>
#include <linux/init.h>
#include <linux/module.h>

int nshidprop_set_rate(struct hid_sensor_common *st, int hz)
{
	return hid_sensor_write_samp_freq_value(st, hz, 0);
}
EXPORT_SYMBOL_GPL(nshidprop_set_rate);

s32 nshidprop_poll_interval(struct hid_sensor_common *st)
{
	return hid_sensor_read_poll_value(st);
}
EXPORT_SYMBOL_GPL(nshidprop_poll_interval);

static int __init nshidprop_init(void)
{
	return 0;
}

static void __exit nshidprop_exit(void)
{
}

module_init(nshidprop_init);
module_exit(nshidprop_exit);

MODULE_DESCRIPTION("HID sensor helpers: proprietary, no imports");
MODULE_LICENSE("Proprietary");
