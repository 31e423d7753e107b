/* SPDX-License-Identifier: MIT */
/* Board drivers Keel itself uses (not partitions): the console UART. */
#ifndef KEEL_PLATFORM_H
#define KEEL_PLATFORM_H

#include <keel/types.h>

/* Use the PL011 at base (physical; identity-mapped) as Keel's console. */
void platform_console_init(paddr_t base);
/* Let the console UART interrupt on received bytes (Keel then reads them). */
void platform_console_rx_irq(void);

#endif
