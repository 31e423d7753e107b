/* SPDX-License-Identifier: MIT */
/* Board drivers Keel itself uses (not partitions): the console UART. */
#ifndef KEEL_PLATFORM_H
#define KEEL_PLATFORM_H

#include <keel/types.h>

/* Use the PL011 at base (physical; identity-mapped) as Keel's console. */
void platform_console_init(paddr_t base);

#endif
