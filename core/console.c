/* SPDX-License-Identifier: MIT */
/*
 * Keel's console. Keel's own messages and the partitions' output share one
 * physical UART; partition output is collected a line at a time and printed
 * whole, prefixed with the partition's name, so that a line is never split
 * by another source (one lock over the UART, across CPUs). Before the UART
 * is known, output is dropped.
 */
#include <keel/console.h>
#include <keel/guest_panic.h>
#include <keel/printf.h>
#include <keel/spinlock.h>
#include <keel/vm.h>
#include <devices/pl011.h>

static struct console_dev dev;
static struct rlock uart_lock;   /* recursive: a guest line's prefix is a printk */

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
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rlock_take(&uart_lock);
	vformat(put_raw, NULL, fmt, ap);
	rlock_give(&uart_lock);
	va_end(ap);
}

void console_guest_flush(struct vm *vm)
{
	vm_lock(vm);
	if (vm->line_len) {
		rlock_take(&uart_lock);
		printk("[%s] ", vm->name);
		for (unsigned i = 0; i < vm->line_len; i++)
			put_raw(NULL, vm->line[i]);
		put_raw(NULL, '\n');
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

/* The partition that gets keyboard input: the first one still running. */
static struct vm *input_focus(void)
{
	for (unsigned i = 0; i < VM_MAX; i++)
		if (vm_alive(&vms[i]))
			return &vms[i];
	return NULL;
}

void console_poll_input(void)
{
	struct vm *vm = input_focus();
	int c;

	if (!dev.getc)
		return;
	while ((c = dev.getc(dev.ctx)) >= 0) {
		/* A full FIFO drops the byte, as a real UART would overrun. */
		if (vm && vm->uart) {
			vm_lock(vm);
			vpl011_receive(vm->uart, (uint8_t)c);
			vm_unlock(vm);
		}
	}
}
