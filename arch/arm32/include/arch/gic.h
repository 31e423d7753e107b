/* SPDX-License-Identifier: MIT */
/*
 * Keel's driver for the physical GICv2 and its virtualization interface
 * (IHI 0048B): the distributor and CPU interface Keel itself uses to take
 * interrupts, and GICH, whose list registers (LRs) present virtual
 * interrupts to the guest through the hardware GICV.
 */
#ifndef ARCH_GIC_H
#define ARCH_GIC_H

#include <keel/types.h>

struct board;

#define GIC_SPURIOUS     1023
#define GIC_MAX_LRS      64

/* GICH_LR fields (IHI 0048B 5.3.11) */
#define LR_VIRT_ID(id)   ((uint32_t)(id) & 0x3ff)
#define LR_PHYS_ID(id)   (((uint32_t)(id) & 0x3ff) << 10)   /* with LR_HW */
#define LR_GET_PHYS_ID(lr) (((lr) >> 10) & 0x3ff)
#define LR_CPUID(c)      (((uint32_t)(c) & 7) << 10)        /* SGI source, without LR_HW */
#define LR_EOI           (1u << 19)                         /* maintenance on EOI, without LR_HW */
#define LR_PRIO(p)       ((((uint32_t)(p) >> 3) & 0x1f) << 23)
#define LR_PENDING       (1u << 28)
#define LR_ACTIVE        (1u << 29)
#define LR_STATE_MASK    (3u << 28)
#define LR_GRP1          (1u << 30)
#define LR_HW            (1u << 31)

/* Distributor (once) and this CPU's interfaces (each CPU). 0 or -KEEL_ENOENT. */
int gic_init(const struct board *b);
void gic_cpu_init(const struct board *b);

/* The SGI one CPU sends another to make it look at its vCPUs again. */
#define GIC_KICK_SGI 0
void gic_send_sgi(unsigned cpu, unsigned sgi);

/* Acknowledge the highest-priority pending interrupt: returns the raw IAR value. */
uint32_t gic_ack(void);
static inline unsigned gic_iar_id(uint32_t iar) { return iar & 0x3ff; }
/* Priority drop; and deactivation unless the guest will deactivate it (LR_HW). */
void gic_eoi(uint32_t iar, bool deactivate);
void gic_enable_irq(unsigned id);
/* Make the GIC model re-evaluate what this CPU interface signals (quirk). */
void gic_refresh(void);
/* Deactivate (EOImode 1) an interrupt whose priority was dropped earlier. */
void gic_deactivate(unsigned id);
void gic_set_active(unsigned id);
void gic_clear_active(unsigned id);
/* Shared interrupt id goes to Keel's CPU cpu only. */
void gic_route_irq(unsigned id, unsigned cpu);

/* The virtual interface of this CPU. */
unsigned gic_nr_lrs(void);
/* GICH_ELRSR0: bit i set when LR i holds no interrupt (IHI 0048B 5.3.8). */
uint32_t gic_empty_lrs(void);
uint32_t gic_read_lr(unsigned i);
void gic_write_lr(unsigned i, uint32_t v);
uint32_t gic_read_vmcr(void);
void gic_write_vmcr(uint32_t v);
uint32_t gic_read_apr(void);
void gic_write_apr(uint32_t v);
/* GICH_HCR: enable, and underflow maintenance when more is waiting than fits. */
void gic_set_hcr(bool underflow_irq);

#endif
