/* SPDX-License-Identifier: MIT */
/* Integer limits for a 32-bit ARM freestanding build (libfdt needs these). */
#ifndef KEEL_LIMITS_H
#define KEEL_LIMITS_H
#define CHAR_BIT  8
#define INT_MAX   0x7fffffff
#define INT_MIN   (-INT_MAX - 1)
#define UINT_MAX  0xffffffffu
#define LONG_MAX  0x7fffffffL
#define ULONG_MAX 0xffffffffUL
#define UINT32_MAX_ 0xffffffffu
#endif
