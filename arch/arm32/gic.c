/* SPDX-License-Identifier: MIT */
/*
 * The physical GICv2. Keel owns the distributor: every SPI starts disabled,
 * routed to CPU 0, level-sensitive, at one middle priority; devices are
 * enabled one by one as Keel hands them out. Each CPU interface runs with
 * EOImode = 1 (IHI 0048B 4.4.1): Keel's EOI only drops priority, and the
 * deactivation is either Keel's (gic_eoi with deactivate) or, for an
 * interrupt forwarded with the HW bit, the guest's own virtual EOI.
 *
 *   GICD  distributor        Keel only (the guest's is emulated: devices/vgic.c)
 *   GICC  CPU interface      Keel only
 *   GICH  virtual control    Keel: list registers, VMCR, APR per vCPU
 *   GICV  virtual CPU i/f    mapped by stage 2 at the guest's GICC address
 */
#include <keel/board.h>
#include <keel/errno.h>
#include <arch/gic.h>
#include <arch/percpu.h>
#include <arch/sysreg.h>

#define GICD_CTLR        0x000
#define GICD_TYPER       0x004
#define GICD_ISENABLER   0x100
#define GICD_ICENABLER   0x180
#define GICD_ICPENDR     0x280
#define GICD_ISACTIVER   0x300
#define GICD_ICACTIVER   0x380
#define GICD_IPRIORITYR  0x400
#define GICD_ITARGETSR   0x800
#define GICD_ICFGR       0xc00
#define GICD_SGIR        0xf00

#define GICC_CTLR        0x0000
#define GICC_PMR         0x0004
#define GICC_BPR         0x0008
#define GICC_IAR         0x000c
#define GICC_EOIR        0x0010
#define GICC_DIR         0x1000
#define GICC_CTLR_EN     (1u << 0)
#define GICC_CTLR_EOIMODE (1u << 9)

#define GICH_HCR         0x000
#define GICH_VTR         0x004
#define GICH_VMCR        0x008
#define GICH_ELRSR0      0x030
#define GICH_APR         0x0f0
#define GICH_LR0         0x100
#define GICH_HCR_EN      (1u << 0)
#define GICH_HCR_UIE     (1u << 1)

#define KEEL_IRQ_PRIO    0xa0

static uintptr_t gicd, gicc, gich;
static unsigned nr_irqs, nr_lrs;
/* Each CPU's bit in GICD_ITARGETSR/SGIR: the GIC's numbering, not necessarily Keel's. */
static uint8_t cpu_if_mask[NR_CPUS_MAX];

static inline uint32_t rd(uintptr_t base, unsigned off)
{
	return *(volatile uint32_t *)(base + off);
}

static inline void wr(uintptr_t base, unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(base + off) = v;
}

int gic_init(const struct board *b)
{
	if (!b->gicd || !b->gicc || !b->gich || !b->gicv)
		return -KEEL_ENOENT;
	gicd = (uintptr_t)b->gicd;
	gicc = (uintptr_t)b->gicc;
	gich = (uintptr_t)b->gich;
	nr_irqs = MIN(32 * ((rd(gicd, GICD_TYPER) & 0x1f) + 1), 1020u);

	wr(gicd, GICD_CTLR, 0);
	for (unsigned i = 32; i < nr_irqs; i += 32) {
		wr(gicd, GICD_ICENABLER + i / 8, ~0u);
		wr(gicd, GICD_ICPENDR + i / 8, ~0u);
		wr(gicd, GICD_ICACTIVER + i / 8, ~0u);
	}
	for (unsigned i = 32; i < nr_irqs; i += 4) {
		wr(gicd, GICD_IPRIORITYR + i, KEEL_IRQ_PRIO * 0x01010101u);
		wr(gicd, GICD_ITARGETSR + i, 0x01010101u);
	}
	for (unsigned i = 32; i < nr_irqs; i += 16)
		wr(gicd, GICD_ICFGR + i / 4, 0);   /* level-sensitive */
	wr(gicd, GICD_CTLR, 1);
	return 0;
}

void gic_cpu_init(const struct board *b)
{
	/* Banked SGIs/PPIs: all off until Keel asks; one priority for everything. */
	wr(gicd, GICD_ICENABLER, ~0u);
	wr(gicd, GICD_ICACTIVER, ~0u);
	/* ITARGETSR0-7 read as this CPU's own interface bit (IHI 0048B 4.3.12). */
	cpu_if_mask[this_pcpu()->id] = rd(gicd, GICD_ITARGETSR) & 0xff;
	for (unsigned i = 0; i < 32; i += 4)
		wr(gicd, GICD_IPRIORITYR + i, KEEL_IRQ_PRIO * 0x01010101u);
	wr(gicc, GICC_PMR, 0xff);
	wr(gicc, GICC_BPR, 0);
	wr(gicc, GICC_CTLR, GICC_CTLR_EN | GICC_CTLR_EOIMODE);
	nr_lrs = (rd(gich, GICH_VTR) & 0x3f) + 1;
	for (unsigned i = 0; i < nr_lrs; i++)
		wr(gich, GICH_LR0 + 4 * i, 0);
	wr(gich, GICH_APR, 0);
	wr(gich, GICH_HCR, GICH_HCR_EN);
	/* The PPIs Keel takes: the guests' virtual timer, its own Hyp timer, GICH maintenance. */
	gic_enable_irq(b->timer_virt_ppi);
	gic_enable_irq(b->timer_hyp_ppi);
	gic_enable_irq(b->gic_maint_ppi);
	gic_enable_irq(GIC_KICK_SGI);
}

void gic_send_sgi(unsigned cpu, unsigned sgi)
{
	dsb();   /* what the target is told about is visible before it looks */
	wr(gicd, GICD_SGIR, ((uint32_t)cpu_if_mask[cpu] << 16) | sgi);
}

uint32_t gic_ack(void)
{
	return rd(gicc, GICC_IAR);
}

void gic_eoi(uint32_t iar, bool deactivate)
{
	wr(gicc, GICC_EOIR, iar);
	if (deactivate)
		wr(gicc, GICC_DIR, iar);
}

void gic_refresh(void)
{
	/* Rewriting PMR (same value) makes QEMU's GICv2 re-evaluate this CPU's
	 * interrupt output; see the comment at arch_idle(). */
	wr(gicc, GICC_PMR, 0xff);
}

void gic_deactivate(unsigned id)
{
	wr(gicc, GICC_DIR, id);
}

/* For a PPI or SGI this is the calling CPU's copy (the registers are banked). */
void gic_set_active(unsigned id)
{
	wr(gicd, GICD_ISACTIVER + (id / 32) * 4, 1u << (id % 32));
}

void gic_clear_active(unsigned id)
{
	wr(gicd, GICD_ICACTIVER + (id / 32) * 4, 1u << (id % 32));
}

/* ITARGETSR is byte-accessible (IHI 0048B 4.3.12): one interrupt's targets. */
void gic_route_irq(unsigned id, unsigned cpu)
{
	*(volatile uint8_t *)(gicd + GICD_ITARGETSR + id) = cpu_if_mask[cpu];
}

void gic_enable_irq(unsigned id)
{
	wr(gicd, GICD_ISENABLER + (id / 32) * 4, 1u << (id % 32));
}

unsigned gic_nr_lrs(void)
{
	return nr_lrs;
}

uint32_t gic_empty_lrs(void)
{
	return rd(gich, GICH_ELRSR0);
}

uint32_t gic_read_lr(unsigned i)
{
	return rd(gich, GICH_LR0 + 4 * i);
}

void gic_write_lr(unsigned i, uint32_t v)
{
	wr(gich, GICH_LR0 + 4 * i, v);
}

uint32_t gic_read_vmcr(void)
{
	return rd(gich, GICH_VMCR);
}

void gic_write_vmcr(uint32_t v)
{
	wr(gich, GICH_VMCR, v);
}

uint32_t gic_read_apr(void)
{
	return rd(gich, GICH_APR);
}

void gic_write_apr(uint32_t v)
{
	wr(gich, GICH_APR, v);
}

void gic_set_hcr(bool underflow_irq)
{
	wr(gich, GICH_HCR, GICH_HCR_EN | (underflow_irq ? GICH_HCR_UIE : 0));
}
