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

	/* ISB: not read ahead of the work being timed (CNTPCT is not ordered). */
	__asm__ volatile("isb\n\tmrrc p15, 0, %0, %1, c14" : "=r"(lo), "=r"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

#endif
