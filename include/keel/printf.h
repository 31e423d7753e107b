/* SPDX-License-Identifier: MIT */
/*
 * A small printf: %d %i %u %x %X %p %s %c %%, with flags '-' and '0', a
 * width (digits or '*'), and the l / ll length modifiers. Output goes to a sink callback so
 * the same formatter serves the console and string buffers.
 */
#ifndef KEEL_PRINTF_H
#define KEEL_PRINTF_H

#include <stdarg.h>
#include <stddef.h>

typedef void (*printf_sink)(void *arg, char c);

int vformat(printf_sink sink, void *arg, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

#endif
