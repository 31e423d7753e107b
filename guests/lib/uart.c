/* SPDX-License-Identifier: MIT */
/* Polled PL011 transmit: wait while FR.TXFF is set, then write DR. */
#include "io.h"
#include "uart.h"

#define UART_DR		0x00u
#define UART_FR		0x18u
#define UART_FR_TXFF	(1u << 5)

void uart_putc(char c)
{
	while (mmio_read32(UART_BASE + UART_FR) & UART_FR_TXFF)
		;
	mmio_write32(UART_BASE + UART_DR, (uint8_t)c);
}

void uart_puts(const char *s)
{
	while (*s)
		uart_putc(*s++);
}
