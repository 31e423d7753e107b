/* SPDX-License-Identifier: MIT */
/*
 * rt: the real-time demo task. Every period-us (default 1000) the virtual
 * timer fires at an absolute deadline (CNTV_CVAL = previous deadline +
 * period, so error never accumulates); the guest sleeps in WFI between. Its
 * jitter is how late the interrupt arrives: the virtual count at the first
 * instruction of the IRQ path (rt_vectors stamps it before anything else)
 * minus the deadline. Every report periods (default 1000) one line:
 *   rt: 1000 periods of 1000 us, worst jitter 12 us (window 3 us)
 * "periods" and "worst" count from the start, "window" since the previous
 * line; ", missed N" (from the start) is appended once a period was missed.
 * A period is missed, never lost silently, when the interrupt for one
 * deadline is taken after the next deadline has passed: those later
 * deadlines are counted as missed and skipped. windows=N exits 0 after N
 * lines; without it the task runs forever.
 */
#include "guest.h"
#include "gic.h"
#include "timer.h"
#include "bootargs.h"

/* guest_vectors with an IRQ entry that first stamps CNTVCT into rt_irq_stamp
 * (exception entry synchronises context: no isb needed before the read). */
__asm__(
"	.pushsection .text.rt_vectors, \"ax\"\n"
"	.arm\n"
"	.align	5\n"
"rt_vectors:\n"
"	b	guest_vectors + 0x00\n"
"	b	guest_vectors + 0x04\n"
"	b	guest_vectors + 0x08\n"
"	b	guest_vectors + 0x0c\n"
"	b	guest_vectors + 0x10\n"
"	b	guest_vectors + 0x14\n"
"	b	rt_irq_entry\n"
"	b	guest_vectors + 0x1c\n"
"rt_irq_entry:\n"
"	push	{r0-r2}\n"
"	mrrc	p15, 1, r0, r1, c14\n"
"	ldr	r2, =rt_irq_stamp\n"
"	strd	r0, r1, [r2]\n"
"	pop	{r0-r2}\n"
"	b	guest_vectors + 0x18\n"
"	.ltorg\n"
"	.popsection\n");

extern char rt_vectors[];
volatile uint64_t rt_irq_stamp __attribute__((aligned(8)));

struct rt_report {
	uint32_t periods;
	uint64_t worst, window_worst;   /* ticks */
	uint32_t missed;
};

static uint32_t period;                        /* ticks */
static uint64_t deadline;
static uint32_t report_every, periods, next_report, missed;
static uint64_t worst, window_worst;
static struct rt_report last;                  /* written by the IRQ handler */
static volatile uint32_t reports;              /* how many `last` has held */

/* The timer's interrupt for `deadline`, taken at count `now`. */
static void tick(uint64_t now)
{
	uint64_t late;
	uint32_t overrun;

	if (now < deadline) {           /* not this deadline's (cannot happen): rearm */
		vtimer_at(deadline);
		return;
	}
	late = now - deadline;
	/* later deadlines already passed: missed (a 68 s stall saturates) */
	overrun = (late > 0xffffffffu ? 0xffffffffu : (uint32_t)late) / period;
	periods += 1 + overrun;
	missed += overrun;
	if (late > worst)
		worst = late;
	if (late > window_worst)
		window_worst = late;
	deadline += (uint64_t)(1 + overrun) * period;
	vtimer_at(deadline);            /* before EOI: the level drops */

	if (periods >= next_report) {
		last = (struct rt_report){ periods, worst, window_worst, missed };
		reports = reports + 1;
		window_worst = 0;
		next_report = (periods / report_every + 1) * report_every;
	}
}

static void on_irq(struct exc_frame *f)
{
	uint64_t now = rt_irq_stamp;
	uint32_t iar = gic_ack(), id = iar & 0x3ff;

	(void)f;
	if (id == IRQ_SPURIOUS)
		return;
	if (id == VTIMER_IRQ)
		tick(now);
	gic_eoi(iar);
}

int main(void)
{
	uint32_t f = cntfrq(), period_us = bootarg_u32("period-us", 1000);
	uint32_t windows = bootarg_u32("windows", 0), printed = 0, lines = 0;

	report_every = bootarg_u32("report", 1000);
	if (period_us < 10 || period_us > 10000000 || report_every == 0) {
		printf("rt: FAIL period-us must be 10..10000000, report > 0\n");
		return 1;
	}
	period = (uint32_t)us_to_ticks(period_us, f);
	next_report = report_every;
	printf("rt: period %u us, report every %u periods\n", period_us, report_every);

	exc_set_handler(EXC_IRQ, on_irq);
	write_vbar((uint32_t)rt_vectors);
	gic_enable(VTIMER_IRQ);
	deadline = cntvct() + period;
	vtimer_at(deadline);
	__asm__ volatile("cpsie i" ::: "memory");

	for (;;) {
		struct rt_report r;

		__asm__ volatile("wfi" ::: "memory");
		if (printed == reports)
			continue;
		__asm__ volatile("cpsid i" ::: "memory");
		r = last;
		printed = reports;
		__asm__ volatile("cpsie i" ::: "memory");
		printf("rt: %u periods of %u us, worst jitter %u us (window %u us)",
		       r.periods, period_us, ticks_to_us(r.worst, f),
		       ticks_to_us(r.window_worst, f));
		if (r.missed)
			printf(", missed %u", r.missed);
		printf("\n");
		if (windows && ++lines >= windows) {
			__asm__ volatile("cpsid i" ::: "memory");
			vtimer_stop();
			return 0;
		}
	}
}
