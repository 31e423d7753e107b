/* SPDX-License-Identifier: MIT */
/*
 * A guest kernel's panic, recognised on the partition's console (the Debian
 * armhf kernel has no paravirtual panic device Keel could offer). Linux
 * prints "Kernel panic - not syncing: <why>", its backtrace, and then either
 * reboots at once (panic=-1), after a delay, or prints
 * "---[ end Kernel panic - not syncing: <why> ]---" and spins. Keel lets the
 * whole report reach the console, then ends the partition instead of
 * restarting it or letting it spin: its log stays intact and the board's
 * operator gets one line saying why.
 */
#ifndef KEEL_GUEST_PANIC_H
#define KEEL_GUEST_PANIC_H

#include <keel/types.h>

struct vm;

/* One complete console line of vm's (called with the partition's lock held). */
void guest_panic_watch(struct vm *vm, const char *line, unsigned len);

/* The partition asked for a restart: true if that is a panic's, and it is now stopped. */
bool guest_panic_stop(struct vm *vm);

#endif
