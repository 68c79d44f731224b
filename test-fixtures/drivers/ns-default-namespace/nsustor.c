// SPDX-License-Identifier: GPL-2.0
/*
 * nsustor: power-management hooks of a USB storage sub-driver. The
 * usb-storage core exports usb_stor_suspend() and usb_stor_resume()
 * with plain EXPORT_SYMBOL_GPL(), but its Makefile sets
 * DEFAULT_SYMBOL_NAMESPACE=USB_STORAGE, so both are in that namespace.
 * Their prototypes live in drivers/usb/storage/usb.h, which is not
 * installed with the headers, so they are declared here.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/pm.h>
#include <linux/usb.h>

int usb_stor_suspend(struct usb_interface *iface, pm_message_t message);
int usb_stor_resume(struct usb_interface *iface);

int nsustor_suspend(struct usb_interface *iface)
{
	return usb_stor_suspend(iface, PMSG_SUSPEND);
}
EXPORT_SYMBOL_GPL(nsustor_suspend);

int nsustor_resume(struct usb_interface *iface)
{
	return usb_stor_resume(iface);
}
EXPORT_SYMBOL_GPL(nsustor_resume);

static int __init nsustor_init(void)
{
	return 0;
}

static void __exit nsustor_exit(void)
{
}

module_init(nsustor_init);
module_exit(nsustor_exit);

MODULE_DESCRIPTION("Uses a default namespace without importing it");
MODULE_LICENSE("GPL");
