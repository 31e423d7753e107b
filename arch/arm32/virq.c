/* SPDX-License-Identifier: MIT */
/*
 * Virtual interrupts on GICv2: encoding the vGIC model's requests into the
 * list registers of GICH and reading their state back (IHI 0048B 5.3.11),
 * and the physical interrupts Keel takes for itself. The list registers, VMCR
 * and APR are part of a vCPU's state: saved and restored with it (vcpu.c).
 */
#include <keel/arch.h>
#include <keel/board.h>
#include <keel/spinlock.h>
#include <keel/vcpu.h>
#include <arch/context.h>
#include <arch/gic.h>
#include <arch/percpu.h>

uint32_t arch_irq_ack(void)
{
	return gic_ack();
}

unsigned arch_irq_id(uint32_t token)
{
	return gic_iar_id(token);
}

void arch_irq_eoi(uint32_t token, bool deactivate)
{
	gic_eoi(token, deactivate);
}

void arch_irq_deactivate(unsigned id)
{
	gic_deactivate(id);
}

void arch_irq_enable(unsigned id)
{
	gic_enable_irq(id);
}

void arch_irq_route(unsigned id, unsigned cpu)
{
	gic_route_irq(id, cpu);
}

void arch_irq_clear_active(unsigned id)
{
	gic_clear_active(id);
}

unsigned arch_irq_maintenance_id(void)
{
	return the_board.gic_maint_ppi;
}

unsigned arch_virq_slots(void)
{
	return MIN(gic_nr_lrs(), ARCH_VIRQ_SLOTS);
}

void arch_virq_write(unsigned slot, const struct vgic_lr_req *r)
{
	static const uint32_t state_bits[] = {
		[VGIC_LR_INACTIVE] = 0, [VGIC_LR_PENDING] = LR_PENDING,
		[VGIC_LR_ACTIVE] = LR_ACTIVE, [VGIC_LR_PENDING_ACTIVE] = LR_PENDING | LR_ACTIVE,
	};
	uint32_t lr = LR_VIRT_ID(r->irq) | LR_PRIO(r->priority) | state_bits[r->state];

	if (r->group1)
		lr |= LR_GRP1;
	if (r->hw)
		lr |= LR_HW | LR_PHYS_ID(r->hw_id);
	else
		lr |= LR_CPUID(r->source) | (r->eoi_notify ? LR_EOI : 0);
	gic_write_lr(slot, lr);
}

static enum vgic_lr_state lr_state(uint32_t lr)
{
	switch (lr & LR_STATE_MASK) {
	case LR_PENDING: return VGIC_LR_PENDING;
	case LR_ACTIVE: return VGIC_LR_ACTIVE;
	case LR_PENDING | LR_ACTIVE: return VGIC_LR_PENDING_ACTIVE;
	default: return VGIC_LR_INACTIVE;
	}
}

enum vgic_lr_state arch_virq_state(unsigned slot)
{
	return lr_state(gic_read_lr(slot));
}

bool arch_vcpu_is_loaded(const struct vcpu *v)
{
	return READ_ONCE(v->arch.loaded);   /* another CPU may be putting it (restart) */
}

enum vgic_lr_state arch_vcpu_virq_state(const struct vcpu *v, unsigned slot)
{
	return v->arch.loaded ? arch_virq_state(slot) : lr_state(v->arch.vgic.lr[slot]);
}

void arch_virq_clear(unsigned slot)
{
	uint32_t lr = gic_read_lr(slot);

	gic_write_lr(slot, 0);
	/* The guest's EOI deactivated a forwarded interrupt: QEMU quirk, see arch_idle(). */
	if ((lr & LR_HW) && !(lr & LR_STATE_MASK))
		gic_refresh();
}

uint32_t arch_virq_empty(void)
{
	return gic_empty_lrs() & (BIT(arch_virq_slots()) - 1);
}

/* Written on change only: every flush asks, and an MMIO write is not free. */
void arch_virq_underflow(bool on)
{
	struct pcpu *c = this_pcpu();

	if (c->underflow == on)
		return;
	c->underflow = on;
	gic_set_hcr(on);
}

/* A forwarded interrupt the guest has not finished with (its physical copy is active). */
static bool lr_holds_physical(uint32_t lr)
{
	return (lr & LR_HW) && (lr & LR_STATE_MASK);
}

/*
 * vcpu.c: the virtual interface is part of what load/put switch. So is the
 * physical active state of the interrupts forwarded with the HW bit: a vCPU
 * put away with its timer interrupt unfinished must not leave that (banked)
 * PPI active for the next vCPU on this CPU, nor lose it for itself.
 */
void virq_load(struct arch_vgic *g)
{
	for (unsigned i = 0; i < arch_virq_slots(); i++) {
		if (lr_holds_physical(g->lr[i]))
			gic_set_active(LR_GET_PHYS_ID(g->lr[i]));
		gic_write_lr(i, g->lr[i]);
	}
	gic_write_vmcr(g->vmcr);
	gic_write_apr(g->apr);
}

void virq_put(struct arch_vgic *g)
{
	for (unsigned i = 0; i < arch_virq_slots(); i++) {
		g->lr[i] = gic_read_lr(i);
		gic_write_lr(i, 0);
		if (lr_holds_physical(g->lr[i]))
			gic_deactivate(LR_GET_PHYS_ID(g->lr[i]));
	}
	g->vmcr = gic_read_vmcr();
	g->apr = gic_read_apr();
	gic_write_apr(0);
	arch_virq_underflow(false);
}
