/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHCOMMON_H
#define SHCOMMON_H

struct dev_pagemap;

int shcommon_map(struct dev_pagemap *pgmap);
void shcommon_unmap(struct dev_pagemap *pgmap);

#endif /* SHCOMMON_H */
