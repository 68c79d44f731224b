/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PKGCORE_H
#define PKGCORE_H

struct pkgcore_buf;

struct pkgcore_buf *pkgcore_get(unsigned int size);
void pkgcore_put(struct pkgcore_buf *buf);
int pkgcore_flush(struct pkgcore_buf *buf);
unsigned int pkgcore_size(const struct pkgcore_buf *buf);

#endif /* PKGCORE_H */
