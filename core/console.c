/* SPDX-License-Identifier: MIT */
/*
 * Keel's console. Keel's own messages and the partitions' output share one
 * physical UART; partition output is collected a line at a time and printed
 * whole, prefixed with the partition's name (coloured if asked), so that a
 * line is never split by another source (one lock over the UART, across
 * CPUs). Before the UART is known, output is dropped.
 *
 * Typed input goes to Keel's shell (core/shell.c) while it is open, else to
 * the focused partition's PL011. The shell's prompt line is the one line
 * left unfinished on the UART: any other output first ends it, and once
 * that output ends its line the prompt and what was typed are drawn again.
 */
#include <keel/console.h>
#include <keel/guest_panic.h>
#include <keel/printf.h>
#include <keel/shell.h>
#include <keel/spinlock.h>
#include <keel/vm.h>
#include <devices/pl011.h>

static struct console_dev dev;
static struct rlock uart_lock;   /* recursive: a guest line's prefix is a printk */
static bool colour;
static bool at_line_start = true;
static bool prompt_up;           /* the unfinished line on the UART is the shell's */

/* ANSI colours (31-36) for the partitions' "[name]", by partition id. */
static const uint8_t colours[] = { 36, 33, 35, 32, 34, 31 };

void console_set_device(const struct console_dev *d)
{
	dev = *d;
}

static void put_raw(void *arg, char c)
{
	(void)arg;
	if (!dev.putc)
		return;
	if (c == '\n')
		dev.putc(dev.ctx, '\r');   /* terminals in raw mode need CR LF */
	dev.putc(dev.ctx, c);
	at_line_start = c == '\n';
}

void console_set_colour(bool on)
{
	colour = on;
}

/* Output other than the shell's, under uart_lock: it starts on a line of its own... */
static void output_begin(void)
{
	if (prompt_up) {
		prompt_up = false;
		put_raw(NULL, '\n');
	}
}

/* ...and once it has ended its line, the shell's prompt is back (if the shell is open). */
static void output_end(void)
{
	if (at_line_start && !prompt_up)
		shell_prompt();
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rlock_take(&uart_lock);
	output_begin();
	vformat(put_raw, NULL, fmt, ap);
	output_end();
	rlock_give(&uart_lock);
	va_end(ap);
}

void console_shell_write(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rlock_take(&uart_lock);
	vformat(put_raw, NULL, fmt, ap);
	prompt_up = !at_line_start;
	rlock_give(&uart_lock);
	va_end(ap);
}

void console_guest_flush(struct vm *vm)
{
	vm_lock(vm);
	if (vm->line_len) {
		rlock_take(&uart_lock);
		output_begin();
		if (colour)
			printk("\033[%um[%s]\033[0m ", colours[vm->id % ARRAY_SIZE(colours)], vm->name);
		else
			printk("[%s] ", vm->name);
		for (unsigned i = 0; i < vm->line_len; i++)
			put_raw(NULL, vm->line[i]);
		put_raw(NULL, '\n');
		output_end();
		rlock_give(&uart_lock);
		guest_panic_watch(vm, vm->line, vm->line_len);
		vm->line_len = 0;
	}
	vm_unlock(vm);
}

void console_guest_putc(struct vm *vm, char c)
{
	if (c == '\n') {
		if (!vm->line_len)
			vm->line[vm->line_len++] = ' ';  /* keep empty lines visible */
		console_guest_flush(vm);
		return;
	}
	if (c == '\r')
		return;
	vm->line[vm->line_len++] = c;
	if (vm->line_len == VM_LINE_MAX)
		console_guest_flush(vm);
}

/*
 * Typed bytes: to the shell, which opens on Ctrl-] and runs its command
 * lines outside the UART lock (commands take partition locks, which come
 * first in the lock order), else to the focused partition's UART.
 */
void console_poll_input(void)
{
	int c;

	if (!dev.getc)
		return;
	while ((c = dev.getc(dev.ctx)) >= 0) {
		enum shell_action a;
		struct vm *vm;

		rlock_take(&uart_lock);
		a = shell_input((char)c);
		rlock_give(&uart_lock);
		if (a == SHELL_RUN) {
			shell_run();
			rlock_take(&uart_lock);
			if (!prompt_up)    /* another CPU's output may have drawn it already */
				shell_prompt();
			rlock_give(&uart_lock);
			continue;
		}
		if (a != SHELL_PASS || !(vm = shell_focus()) || !vm->uart)
			continue;
		/* A full FIFO drops the byte, as a real UART would overrun. */
		vm_lock(vm);
		vpl011_receive(vm->uart, (uint8_t)c);
		vm_unlock(vm);
	}
}
