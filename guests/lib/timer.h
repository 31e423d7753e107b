/* SPDX-License-Identifier: MIT */
/*
 * The generic timer's virtual side, by absolute deadlines: the counter
 * (CNTVCT), its frequency, the virtual timer's compare value, and unit
 * conversions. gic.h has the relative vtimer_start()/vtimer_stop().
 */
#ifndef GUEST_TIMER_H
#define GUEST_TIMER_H

#include <stdint.h>

#define CNTV_CTL_ENABLE		(1u << 0)
#define CNTV_CTL_IMASK		(1u << 1)
#define CNTV_CTL_ISTATUS	(1u << 2)

static inline uint32_t cntfrq(void)
{
	uint32_t v;
	__asm__ volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(v));
	return v;
}

/* isb first: the read is not reordered before what precedes it. */
static inline uint64_t cntvct(void)
{
	uint32_t lo, hi;
	__asm__ volatile("isb\n\tmrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi) :: "memory");
	return ((uint64_t)hi << 32) | lo;
}

/* Fire when the virtual count reaches cval (level: until CVAL moves on or CTL off). */
static inline void vtimer_at(uint64_t cval)
{
	__asm__ volatile("mcrr p15, 3, %0, %1, c14" :: "r"((uint32_t)cval),
			 "r"((uint32_t)(cval >> 32)));
	__asm__ volatile("mcr p15, 0, %0, c14, c3, 1" :: "r"(CNTV_CTL_ENABLE));
	__asm__ volatile("isb" ::: "memory");
}

/*
 * Conversions at counter frequency f (62.5 MHz on virt), exact for any whole
 * number of kHz. No 64-bit division: the guests link no libgcc glue for
 * one (its division by zero would call raise()).
 */
static inline uint64_t ms_to_ticks(uint32_t ms, uint32_t f)
{
	return (uint64_t)ms * (f / 1000);
}

static inline uint64_t us_to_ticks(uint32_t us, uint32_t f)
{
	uint32_t khz = f / 1000;

	return (uint64_t)(us / 1000) * khz + us % 1000 * khz / 1000;
}

/* Spans up to 2^32 - 1 ticks (68 s on virt); longer ones saturate. */
static inline uint32_t ticks_to_us(uint64_t ticks, uint32_t f)
{
	uint32_t khz = f / 1000, t = ticks > 0xffffffffu ? 0xffffffffu : (uint32_t)ticks;

	return t / khz * 1000 + t % khz * 1000 / khz;
}

#endif
