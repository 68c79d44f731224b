/* SPDX-License-Identifier: GPL-2.0 */
#ifndef XCORE_H
#define XCORE_H

void *xcore_map(unsigned int slot);
void xcore_unmap(unsigned int slot);
unsigned int xcore_slots(void);

#endif /* XCORE_H */
