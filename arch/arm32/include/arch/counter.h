/* SPDX-License-Identifier: MIT */
/*
 * arch_now() inline: the cost model reads the counter twice on every exit,
 * and a call each time was a tenth of a null hypercall. The one piece of
 * arch code the core gets inline, through <keel/arch.h>.
 */
#ifndef ARCH_COUNTER_H
#define ARCH_COUNTER_H

#include <stdint.h>

static inline uint64_t arch_now(void)
{
	uint32_t lo, hi;

	/*
	 * ISB: not read ahead of the work being timed (CNTPCT is not ordered).
	 * No memory clobber: a timestamp orders nothing in memory, and the
	 * exit path keeps the vCPU's exit fields in registers across it.
	 */
	__asm__ volatile("isb\n\tmrrc p15, 0, %0, %1, c14" : "=r"(lo), "=r"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/*
 * The cost model's update on every exit: count + 1 and ticks + delta, two
 * 64-bit fields side by side, with LDRD/STRD in eight instructions (GCC
 * splits each field into two loads and two stores: fourteen).
 */
static inline void arch_count_exit(void *pair, uint32_t delta)
{
	uint64_t count, ticks;

	__asm__ volatile("ldrd	%Q0, %R0, [%2]\n\t"
		"ldrd	%Q1, %R1, [%2, #8]\n\t"
		"adds	%Q0, %Q0, #1\n\t"
		"adc	%R0, %R0, #0\n\t"
		"adds	%Q1, %Q1, %3\n\t"
		"adc	%R1, %R1, #0\n\t"
		"strd	%Q0, %R0, [%2]\n\t"
		"strd	%Q1, %R1, [%2, #8]"
		: "=&r"(count), "=&r"(ticks) : "r"(pair), "r"(delta) : "cc", "memory");
}

#endif
