/* SPDX-License-Identifier: MIT */
/*
 * reset: PSCI SYSTEM_RESET restarts the partition. A warm reset keeps RAM,
 * so the guest leaves a mark 8 MiB into its RAM (outside its image, which
 * Keel loads again): the first boot sets it and resets, the second boot
 * sees it, clears it and exits 0.
 *
 * The first boot resets with its virtual timer interrupt taken by Keel and
 * still pending for the guest; the second boot's timer must fire all the
 * same (a forwarded interrupt left active in the GIC would never fire again).
 */
#include "guest.h"
#include "gic.h"

#define MARK_ADDR  (GUEST_RAM_BASE + 0x800000u)
#define MARK_MAGIC 0x5e5e7001u

static uint32_t boots_before_me;   /* in .bss: must be 0 again after a reset */

int main(void)
{
	volatile uint32_t *mark = (volatile uint32_t *)MARK_ADDR;
	uint32_t iar;

	CHECK_EQ("bss_cleared_on_boot", boots_before_me, 0);
	boots_before_me++;
	gic_enable(VTIMER_IRQ);
	vtimer_start(6250);                        /* ~100 us; IRQs masked in CPSR */
	__asm__ volatile("wfi");
	if (mark[0] != MARK_MAGIC) {
		printf("first boot: timer interrupt left pending, asking for PSCI SYSTEM_RESET\n");
		mark[0] = MARK_MAGIC;
		hvc_call(PSCI_SYSTEM_RESET, 0, 0, 0);
		test_fail("reset_returned", "SYSTEM_RESET came back");
		return test_summary();
	}
	mark[0] = 0;
	test_pass("second_boot_after_reset");
	iar = gic_ack();
	CHECK_EQ("vtimer_fires_after_reset", iar & 0x3ff, VTIMER_IRQ);
	vtimer_stop();
	gic_eoi(iar);
	return test_summary();
}
