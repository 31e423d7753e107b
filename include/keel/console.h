/* SPDX-License-Identifier: MIT */
/*
 * Keel's console: its own messages ("keel: ...") and each partition's output,
 * one whole line at a time, prefixed with the partition's name, so that
 * lines from different sources never interleave mid-line.
 */
#ifndef KEEL_CONSOLE_H
#define KEEL_CONSOLE_H

#include <keel/types.h>

struct vm;

/* Hooks from the board's UART driver. */
struct console_dev {
	void (*putc)(void *ctx, char c);
	int (*getc)(void *ctx);          /* -1 when nothing is waiting */
	void *ctx;
};

void console_set_device(const struct console_dev *dev);

/* Keel's own messages. */
__attribute__((format(printf, 1, 2))) void printk(const char *fmt, ...);

/* A partition's output byte: buffered until newline, then printed with its name. */
void console_guest_putc(struct vm *vm, char c);
/* Move what was typed on Keel's console to the partition that has the focus. */
void console_poll_input(void);

/* Print what the partition has buffered without a newline yet. */
void console_guest_flush(struct vm *vm);

#endif
