/* SPDX-License-Identifier: MIT */
/*
 * Broken hypervisor invariants end here: print, power the board off. Guest
 * misbehaviour never reaches panic(): it stops that partition instead.
 */
#ifndef KEEL_PANIC_H
#define KEEL_PANIC_H

__attribute__((noreturn, format(printf, 1, 2)))
void panic(const char *fmt, ...);

#define BUG_ON(cond) do { if (cond) panic("BUG at %s:%d: %s", __FILE__, __LINE__, #cond); } while (0)

#endif
