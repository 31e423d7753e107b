/* SPDX-License-Identifier: MIT */
/*
 * ticker: a steady, harmless neighbour for crash tests. Prints
 * "ticker: line N" for N = 1..count, sleeping gap-us between lines on the
 * virtual timer (WFI, not a busy loop, so it leaves its CPU to others), then
 * "ticker: done" and exits 0. A missing, repeated or reordered line shows a
 * neighbour's crash or restart disturbed it.
 * bootargs: count=N (default 100), gap-us=N (default 2000).
 */
#include "guest.h"
#include "gic.h"
#include "timer.h"
#include "bootargs.h"

/* Sleep until the virtual count reaches deadline: the timer's interrupt wakes
 * WFI (IRQs stay masked in CPSR; it is taken from IAR here). */
static void sleep_until(uint64_t deadline)
{
	vtimer_at(deadline);
	for (;;) {
		uint32_t iar = gic_ack(), id = iar & 0x3ff;

		if (id == IRQ_SPURIOUS) {
			__asm__ volatile("wfi");
			continue;
		}
		if (id == VTIMER_IRQ)
			vtimer_stop();        /* level: off before EOI, or it fires again */
		gic_eoi(iar);
		if (id == VTIMER_IRQ && cntvct() >= deadline)
			return;
		if (id == VTIMER_IRQ)
			vtimer_at(deadline);  /* cannot happen early, but never return early */
	}
}

int main(void)
{
	uint32_t count = bootarg_u32("count", 100);
	uint64_t gap = us_to_ticks(bootarg_u32("gap-us", 2000), cntfrq());

	gic_enable(VTIMER_IRQ);
	for (uint32_t n = 1; n <= count; n++) {
		printf("ticker: line %u\n", n);
		if (n < count)
			sleep_until(cntvct() + gap);
	}
	printf("ticker: done\n");
	return 0;
}
