/* SPDX-License-Identifier: MIT */
/*
 * MMIO accessors. Written as inline asm so that each is exactly one plain
 * LDR/STR(B/H) with a base register and no offset or writeback: the
 * simplest form a hypervisor has to emulate.
 */
#ifndef GUEST_IO_H
#define GUEST_IO_H

#include <stdint.h>

static inline uint32_t mmio_read32(uintptr_t a)
{
	uint32_t v;
	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static inline void mmio_write32(uintptr_t a, uint32_t v)
{
	__asm__ volatile("str %0, [%1]" :: "r"(v), "r"(a) : "memory");
}

static inline uint32_t mmio_read8(uintptr_t a)
{
	uint32_t v;
	__asm__ volatile("ldrb %0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static inline void mmio_write8(uintptr_t a, uint32_t v)
{
	__asm__ volatile("strb %0, [%1]" :: "r"(v), "r"(a) : "memory");
}

#endif
