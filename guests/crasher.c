/* SPDX-License-Identifier: MIT */
/*
 * crasher: a partition that crashes on purpose, for Keel's crash handling
 * and restart policy. It prints "crasher: run R", R being
 * /chosen/keel,restart-count (0 on the first boot), then per bootargs:
 *   crash=abort  a data abort it has no handler for: VBAR points at unmapped
 *                memory, so the abort Keel injects cannot be delivered
 *                (as guests/abort_nohandler.c)
 *   crash=undef  a loop of undefined instructions: a read of the physical
 *                timer (CNTP_CTL), which Keel traps (CNTHCTL) and refuses by
 *                injecting an undefined
 *                instruction exception, whose handler resumes at the same
 *                write. (A plain UDF would never reach Keel: the guest takes
 *                it directly.) The handler does no I/O, so Keel sees nothing
 *                but the same undef, again and again.
 *   crash=hang   pets the watchdog (KEEL_HC_WATCHDOG_PET) three times 10 ms
 *                apart, "crasher: pet N", then spins with interrupts masked
 *                and never traps again.
 * Without crash= it exits 0.
 */
#include "guest.h"
#include "timer.h"
#include "bootargs.h"

#ifndef KEEL_HC_WATCHDOG_PET
#define KEEL_HC_WATCHDOG_PET	(KEEL_HC_BASE + 5)
#endif

#define UNMAPPED_VBAR	0x30000000u
#define UNMAPPED_IPA	0x20000000u

static void on_undef(struct exc_frame *f)
{
	(void)f;                /* f->pc is the refused write: run it again */
}

static void crash_abort(void)
{
	write_vbar(UNMAPPED_VBAR);
	(void)mmio_read32(UNMAPPED_IPA);
}

static void crash_undef(void)
{
	uint32_t ctl;

	exc_set_handler(EXC_UNDEF, on_undef);
	/* CNTP_CTL: the physical timer, trapped by CNTHCTL and refused by Keel */
	__asm__ volatile("mrc p15, 0, %0, c14, c2, 1" : "=r"(ctl));
	(void)ctl;
}

static void crash_hang(void)
{
	uint64_t gap = us_to_ticks(10000, cntfrq());

	for (unsigned n = 1; n <= 3; n++) {
		uint64_t until = cntvct() + gap;
		int32_t r = hvc_call(KEEL_HC_WATCHDOG_PET, 0, 0, 0);

		printf("crasher: pet %u%s\n", n, r == 0 ? "" : " (refused)");
		while (cntvct() < until)
			;
	}
	__asm__ volatile("cpsid aif" ::: "memory");
	for (;;)
		__asm__ volatile("" ::: "memory");
}

int main(void)
{
	char how[16];

	printf("crasher: run %u\n", restart_count());
	if (!bootarg_str("crash", how, sizeof(how)))
		return 0;
	if (bootarg_is("crash", "abort"))
		crash_abort();
	else if (bootarg_is("crash", "undef"))
		crash_undef();
	else if (bootarg_is("crash", "hang"))
		crash_hang();
	else
		printf("crasher: FAIL unknown crash=%s\n", how);
	printf("crasher: FAIL still running after crash=%s\n", how);
	return 1;
}
