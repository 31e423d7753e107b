/* SPDX-License-Identifier: MIT */
/*
 * Keel's console: its own messages ("keel: ...") and each partition's output,
 * one whole line at a time, prefixed with the partition's name, so that
 * lines from different sources never interleave mid-line. Typed input goes
 * to the focused partition, or to Keel's shell (Ctrl-], core/shell.c).
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

/* Colour each partition's "[name]" prefix (ANSI, one colour per partition). */
void console_set_colour(bool on);

/* A partition's output byte: buffered until newline, then printed with its name. */
void console_guest_putc(struct vm *vm, char c);
/* Move what was typed on Keel's console to the shell or the focused partition. */
void console_poll_input(void);

/* The shell's output: what it leaves unfinished (its prompt line) is redrawn after other output. */
__attribute__((format(printf, 1, 2))) void console_shell_write(const char *fmt, ...);

/* Print what the partition has buffered without a newline yet. */
void console_guest_flush(struct vm *vm);

#endif
