/* SPDX-License-Identifier: MIT */
/* The guests' printf: formats straight to the UART, one character at a time. */
#include <stdint.h>
#include "printf.h"
#include "uart.h"

static int put_num(uint32_t v, unsigned base, int neg, int width, char pad)
{
	char buf[12];
	int n = 0, len;

	do {
		unsigned d = v % base;
		buf[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
		v /= base;
	} while (v != 0);
	len = n + (neg ? 1 : 0);
	if (neg && pad == '0')
		uart_putc('-');
	for (int w = len; w < width; w++)
		uart_putc(pad);
	if (neg && pad != '0')
		uart_putc('-');
	while (n > 0)
		uart_putc(buf[--n]);
	return len > width ? len : width;
}

int vprintf(const char *fmt, va_list ap)
{
	int out = 0;

	for (; *fmt; fmt++) {
		char pad = ' ';
		int width = 0;

		if (*fmt != '%') {
			uart_putc(*fmt);
			out++;
			continue;
		}
		fmt++;
		if (*fmt == '0') {
			pad = '0';
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		switch (*fmt) {
		case 'd':
		case 'i': {
			int32_t v = va_arg(ap, int32_t);
			out += put_num(v < 0 ? 0u - (uint32_t)v : (uint32_t)v,
				       10, v < 0, width, pad);
			break;
		}
		case 'u':
			out += put_num(va_arg(ap, uint32_t), 10, 0, width, pad);
			break;
		case 'x':
			out += put_num(va_arg(ap, uint32_t), 16, 0, width, pad);
			break;
		case 'p':
			uart_puts("0x");
			out += 2 + put_num((uint32_t)(uintptr_t)va_arg(ap, void *),
					   16, 0, 8, '0');
			break;
		case 'c':
			uart_putc((char)va_arg(ap, int));
			out++;
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			for (s = s ? s : "(null)"; *s; s++, out++)
				uart_putc(*s);
			break;
		}
		case '%':
			uart_putc('%');
			out++;
			break;
		case '\0':
			return out;
		default:		/* unknown: echo it */
			uart_putc('%');
			uart_putc(*fmt);
			out += 2;
			break;
		}
	}
	return out;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}
