/* SPDX-License-Identifier: MIT */
/* Everything a test guest usually needs, in one include. */
#ifndef GUEST_GUEST_H
#define GUEST_GUEST_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include "exception.h"
#include "hvc.h"
#include "io.h"
#include "printf.h"
#include "test.h"

#define GUEST_RAM_BASE	0x40000000u

extern uint32_t guest_dtb;	/* r2 at entry: IPA of the DTB */
extern uint32_t guest_entry_cpsr, guest_entry_r0, guest_entry_r1;  /* as entered */

#endif
