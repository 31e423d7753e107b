/* SPDX-License-Identifier: MIT */
/*
 * libgcc's division helpers call these on a division by zero; the Linux
 * flavour of libgcc would raise a signal, which a hypervisor has no use for.
 * Dividing by zero inside Keel is a bug: panic.
 */
#include <keel/panic.h>

int __aeabi_idiv0(int r);
long long __aeabi_ldiv0(long long r);

int __aeabi_idiv0(int r)
{
	(void)r;
	panic("division by zero");
}

long long __aeabi_ldiv0(long long r)
{
	(void)r;
	panic("division by zero");
}
