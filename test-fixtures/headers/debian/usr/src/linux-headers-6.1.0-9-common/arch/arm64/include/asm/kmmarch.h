/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_ARM64_KMMARCH_H
#define _ASM_ARM64_KMMARCH_H

unsigned long kmm_arch_base(void);

#endif
