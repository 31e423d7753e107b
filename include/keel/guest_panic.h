/* SPDX-License-Identifier: MIT */
/*
 * A guest kernel's panic, recognised on the partition's console (the Debian
 * armhf kernel has no paravirtual panic device Keel could offer). Linux
 * prints "Kernel panic - not syncing: <why>", its backtrace, and then either
 * reboots at once (panic=-1), after a delay, or prints
 * "---[ end Kernel panic - not syncing: <why> ]---" and spins. Keel lets the
 * whole report reach the console, then treats it as a crash: the
 * partition's restart policy says whether it restarts or stops (never left
 * spinning), its log stays intact and the operator gets one line saying why.
 */
#ifndef KEEL_GUEST_PANIC_H
#define KEEL_GUEST_PANIC_H

#include <keel/types.h>

struct vm;

/* One complete console line of vm's (called with the partition's lock held). */
void guest_panic_watch(struct vm *vm, const char *line, unsigned len);

/* A panicked partition asked for a restart: true if its policy allows one, else it is stopped. */
bool guest_panic_restarts(struct vm *vm);

#endif
