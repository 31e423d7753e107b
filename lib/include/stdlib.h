/* SPDX-License-Identifier: MIT */
/* The one stdlib function libfdt uses. */
#ifndef KEEL_STDLIB_H
#define KEEL_STDLIB_H
unsigned long strtoul(const char *s, char **end, int base);
#endif
