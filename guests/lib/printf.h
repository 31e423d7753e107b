/* SPDX-License-Identifier: MIT */
/*
 * A tiny printf to the UART: %d %i %u %x %s %c %p %%, with an optional
 * '0' flag and field width (e.g. %08x). No floating point, no lengths.
 */
#ifndef GUEST_PRINTF_H
#define GUEST_PRINTF_H

#include <stdarg.h>

int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);

#endif
