/* SPDX-License-Identifier: MIT */
/* panic(): a broken invariant inside Keel. Say so and turn the board off. */
#include <stdarg.h>
#include <keel/arch.h>
#include <keel/console.h>
#include <keel/panic.h>
#include <keel/printf.h>

void panic(const char *fmt, ...)
{
	char buf[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printk("keel: PANIC: %s\n", buf);
	arch_power_off();
}
