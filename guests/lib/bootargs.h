/* SPDX-License-Identifier: MIT */
/*
 * What a test guest is told at boot, from the DTB Keel hands it (r2, kept in
 * guest_dtb): /chosen/bootargs, read as space-separated words "key=value" or
 * "flag", and /chosen/keel,restart-count. A missing or damaged DTB reads as
 * no bootargs and restart count 0, so every parameter takes its default.
 */
#ifndef GUEST_BOOTARGS_H
#define GUEST_BOOTARGS_H

#include <stdbool.h>
#include <stdint.h>

/* /chosen/bootargs, or "" when there is none. */
const char *bootargs(void);

/* /chosen/keel,restart-count, or 0 when absent. */
uint32_t restart_count(void);

/* The word "key" or "key=..." is present. */
bool bootarg_flag(const char *key);

/* "key=value": value as a decimal or 0x-hex number; def if absent or malformed. */
uint32_t bootarg_u32(const char *key, uint32_t def);

/* "key=value" with exactly this value. */
bool bootarg_is(const char *key, const char *value);

/* "key=value": copies value (NUL-terminated, cut to size - 1) into buf. */
bool bootarg_str(const char *key, char *buf, unsigned size);

#endif
