/* SPDX-License-Identifier: MIT */
/*
 * The partition's GIC as QEMU's virt board places it: the distributor Keel
 * emulates and the CPU interface (the hardware GICV behind stage 2). Just
 * enough for tests to take an interrupt by polling IAR.
 */
#ifndef GUEST_GIC_H
#define GUEST_GIC_H

#include "io.h"

#define GICD_BASE	0x08000000u
#define GICC_BASE	0x08010000u

#define GICD_CTLR	0x000
#define GICD_ISENABLER	0x100
#define GICD_ITARGETSR	0x800
#define GICD_ICFGR	0xc00
#define GICD_SGIR	0xf00
#define GICC_CTLR	0x000
#define GICC_PMR	0x004
#define GICC_IAR	0x00c
#define GICC_EOIR	0x010

#define VTIMER_IRQ	27
#define IRQ_SPURIOUS	1023

/* Distributor and this CPU's interface on, every priority let through, irq enabled. */
static inline void gic_enable(unsigned irq)
{
	mmio_write32(GICD_BASE + GICD_ISENABLER + irq / 32 * 4, 1u << (irq % 32));
	mmio_write32(GICD_BASE + GICD_CTLR, 1);
	mmio_write32(GICC_BASE + GICC_PMR, 0xff);
	mmio_write32(GICC_BASE + GICC_CTLR, 1);
}

/* An SPI as Keel's channel doorbells are (edge), sent to vCPU 0, enabled. */
static inline void gic_enable_edge_spi(unsigned irq)
{
	uint32_t cfg = GICD_BASE + GICD_ICFGR + irq / 16 * 4;
	uint32_t tgt = GICD_BASE + GICD_ITARGETSR + irq / 4 * 4;

	mmio_write32(cfg, mmio_read32(cfg) | 2u << (irq % 16 * 2));
	mmio_write32(tgt, (mmio_read32(tgt) & ~(0xffu << (irq % 4 * 8))) | 1u << (irq % 4 * 8));
	gic_enable(irq);
}

static inline uint32_t gic_ack(void)
{
	return mmio_read32(GICC_BASE + GICC_IAR);
}

static inline void gic_eoi(uint32_t iar)
{
	mmio_write32(GICC_BASE + GICC_EOIR, iar);
}

/* The virtual timer fires `ticks` counter ticks from now (62.5 MHz on virt). */
static inline void vtimer_start(uint32_t ticks)
{
	__asm__ volatile("mcr p15, 0, %0, c14, c3, 0" : : "r"(ticks));  /* CNTV_TVAL */
	__asm__ volatile("mcr p15, 0, %0, c14, c3, 1" : : "r"(1));      /* CNTV_CTL: on */
	__asm__ volatile("isb");
}

static inline void vtimer_stop(void)
{
	__asm__ volatile("mcr p15, 0, %0, c14, c3, 1" : : "r"(0));
	__asm__ volatile("isb");
}

#endif
