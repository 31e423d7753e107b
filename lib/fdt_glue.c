/* SPDX-License-Identifier: MIT */
/*
 * What Debian's libfdt.a expects from its host program: it is built with the
 * stack protector (so it needs a guard word and a failure hook) and calls
 * strtoul. A smashed stack inside libfdt is a hypervisor bug: panic.
 */
#include <stdlib.h>
#include <stdint.h>
#include <keel/panic.h>

uintptr_t __stack_chk_guard = 0x4b65656c;

void __stack_chk_fail(void)
{
	panic("stack protector: stack smashed inside libfdt");
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

unsigned long strtoul(const char *s, char **end, int base)
{
	unsigned long v = 0;
	int d;

	while (*s == ' ' || *s == '\t')
		s++;
	if ((base == 0 || base == 16) && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		base = 16;
	} else if (base == 0) {
		base = s[0] == '0' ? 8 : 10;
	}
	while ((d = digit_value(*s)) < base) {
		v = v * base + d;
		s++;
	}
	if (end)
		*end = (char *)s;
	return v;
}
