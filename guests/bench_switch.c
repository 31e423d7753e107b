/* SPDX-License-Identifier: MIT */
/*
 * partition-switch: what it costs to hand one physical CPU from one
 * partition to another. Two partitions run guests/bench.c (bootargs
 * switch=a and switch=b), time-sliced on the same CPU and joined by a
 * channel, their first (docs/channels.md: shared memory at 0x0c000000,
 * doorbell interrupt INTID 144). A rings B (KEEL_HC_CHANNEL_NOTIFY) and
 * waits for B's ring; B answers each ring with one of its own. Both wait
 * with IRQs masked, reading GICC_IAR (the hardware GICV, no trap) and
 * sleeping in WFI while nothing is pending: no exception entry in the guest.
 *
 * A times SWITCH_RUNS round trips after a warm-up one (which also covers
 * B's boot), on its own virtual counter only: the two partitions' counters
 * may have different offsets. A round trip is two switches, each: the
 * notify hypercall's exit, Keel's scheduler giving the CPU to the woken
 * peer (put one vCPU, load the other), the doorbell delivered into a list
 * register, the guest's IAR/EOI and loop. Keel switches at the notify
 * itself, so the waiter's WFI only traps if the peer has not answered yet
 * (never, in the steady state; the exit counts at the end show it).
 *   bench: partition-round-trip <instructions>
 *   bench: partition-switch <instructions, half the round trip>
 * The shared memory carries the round number there and back, so that A can
 * tell every wake-up was B's answer to that round.
 */
#include "guest.h"
#include "gic.h"
#include "timer.h"
#include "bench.h"

#define SWITCH_RUNS	256u
#define CHAN_SHM	0x0c000000u
#define CHAN_DOORBELL	0x0c100000u
#define DB_CHANNEL_ID	0x04
#define CHAN_IRQ	144

/* [0]: the round A rang for; [1]: the round B answered. */
static volatile uint32_t *const shm = (volatile uint32_t *)CHAN_SHM;

static void ring(uint32_t chan)
{
	__asm__ volatile("dsb" ::: "memory");   /* the round number before the ring */
	hvc_call(KEEL_HC_CHANNEL_NOTIFY, chan, 0, 0);
}

/* Until the peer's ring: a pending interrupt ends WFI even with IRQs masked. */
static void wait_ring(void)
{
	uint32_t iar;

	while (((iar = gic_ack()) & 0x3ff) != CHAN_IRQ)
		__asm__ volatile("wfi");
	gic_eoi(iar);
}

void bench_switch(bool a, uint32_t ns_per_tick)
{
	uint32_t chan = mmio_read32(CHAN_DOORBELL + DB_CHANNEL_ID), wrong = 0;
	uint64_t t0 = 0, ticks;

	/* A ring before this is not lost: the vGIC latches it until enabled. */
	gic_enable_edge_spi(CHAN_IRQ);
	for (uint32_t i = 1; i <= SWITCH_RUNS + 1; i++) {
		if (!a) {
			wait_ring();
			shm[1] = shm[0];
			ring(chan);
			continue;
		}
		if (i == 2)
			t0 = cntvct();   /* round 1 warmed up */
		shm[0] = i;
		ring(chan);
		wait_ring();
		wrong += shm[1] != i;
	}
	if (!a)
		return;
	ticks = cntvct() - t0;
	if (wrong) {
		printf("bench: FAIL partition-switch: %u of %u wake-ups were not B's answer\n",
		       wrong, SWITCH_RUNS + 1);
		return;
	}
	bench_report("partition-round-trip", ticks * ns_per_tick * 10 / SWITCH_RUNS);
	bench_report("partition-switch", ticks * ns_per_tick * 10 / (2 * SWITCH_RUNS));
}
