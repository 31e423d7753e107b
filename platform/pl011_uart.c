/* SPDX-License-Identifier: MIT */
/*
 * Keel's own console: the board's physical PL011, polled. The boot loader
 * (or QEMU) has set the baud rate; Keel only writes and reads bytes.
 */
#include <keel/console.h>
#include <keel/platform.h>

#define UART_DR    0x00
#define UART_FR    0x18
#define UART_IMSC  0x38
#define IMSC_RX    ((1u << 4) | (1u << 6))   /* receive and receive timeout */
#define FR_RXFE    (1u << 4)
#define FR_TXFF    (1u << 5)

static inline volatile uint32_t *reg(void *ctx, unsigned off)
{
	return (volatile uint32_t *)((uintptr_t)ctx + off);
}

static void pl011_putc(void *ctx, char c)
{
	while (*reg(ctx, UART_FR) & FR_TXFF)
		;
	*reg(ctx, UART_DR) = (uint8_t)c;
}

static int pl011_getc(void *ctx)
{
	if (*reg(ctx, UART_FR) & FR_RXFE)
		return -1;
	return *reg(ctx, UART_DR) & 0xff;
}

static void *console_base;

void platform_console_rx_irq(void)
{
	if (console_base)
		*reg(console_base, UART_IMSC) |= IMSC_RX;
}

void platform_console_init(paddr_t base)
{
	console_base = (void *)(uintptr_t)base;
	struct console_dev dev = {
		.putc = pl011_putc, .getc = pl011_getc, .ctx = (void *)(uintptr_t)base,
	};

	console_set_device(&dev);
}
