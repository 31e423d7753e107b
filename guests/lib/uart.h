/* SPDX-License-Identifier: MIT */
/* Polled output on the PL011 UART of QEMU virt (emulated by Keel). */
#ifndef GUEST_UART_H
#define GUEST_UART_H

#define UART_BASE	0x09000000u

void uart_putc(char c);
void uart_puts(const char *s);

#endif
