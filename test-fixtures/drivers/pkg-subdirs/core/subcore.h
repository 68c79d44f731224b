/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SUBCORE_H
#define SUBCORE_H

int subcore_claim(unsigned int id);
void subcore_release(unsigned int id);

#endif /* SUBCORE_H */
