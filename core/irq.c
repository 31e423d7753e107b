/* SPDX-License-Identifier: MIT */
/*
 * Physical interrupts and the list registers. A partition's virtual timer
 * fires as the physical PPI of the virtual timer on the CPU where its vCPU is
 * loaded; Keel drops its priority and forwards it with the HW bit, so the
 * guest's own EOI deactivates the physical interrupt (no second trap). The
 * maintenance interrupt only makes the vCPU exit, so that virq_flush() can
 * refill list registers that drained.
 */
#include <keel/arch.h>
#include <keel/board.h>
#include <keel/channel.h>
#include <keel/console.h>
#include <keel/irq.h>
#include <keel/sched.h>
#include <keel/trap.h>
#include <keel/vm.h>

/* A physical interrupt burst larger than this is a storm: stop and go on. */
#define DRAIN_MAX 64

/*
 * Bring the model up to date with the list registers and free the ones the
 * guest has finished with. This also ends a maintenance interrupt: EOI and
 * underflow maintenance stay asserted until the LRs behind them change.
 */
static void virq_sync(struct vcpu *v)
{
	struct vgic *d = &v->vm->vgic;
	uint32_t empty = arch_virq_empty();

	for (uint32_t used = v->lr_used; used; used &= used - 1) {
		unsigned i = (unsigned)__builtin_ctz(used);
		/* One read tells which entries the guest is done with. */
		enum vgic_lr_state st = empty & BIT(i) ? VGIC_LR_INACTIVE : arch_virq_state(i);

		if (vgic_lr_sync(d, v->idx, &v->lr[i], st, true))
			continue;
		/*
		 * Taken back by the model while still pending or active: a
		 * forwarded interrupt must then be deactivated here, or the
		 * physical one stays active and never fires again.
		 */
		if (v->lr[i].hw && st != VGIC_LR_INACTIVE)
			arch_irq_deactivate(v->lr[i].hw_id);
		arch_virq_clear(i);
		v->lr_used &= ~(1u << i);
	}
	arch_virq_underflow(false);
}

/* Physical SPIs handed to a partition (passthrough), by interrupt id. */
static struct vm *owner[CFG_IRQ_MAX + 1];

void irq_assign(unsigned id, struct vm *vm)
{
	owner[id] = vm;
	arch_irq_route(id, vm->cfg.affinity[0]);
	arch_irq_enable(id);
}

/*
 * A passthrough interrupt: pending in its partition's vGIC with the HW bit,
 * so that the guest's EOI deactivates it. Until then it stays active and
 * cannot fire again. A stopped partition's interrupts are dropped.
 */
static bool route_passthrough(unsigned id, uint32_t token)
{
	struct vm *vm = id <= CFG_IRQ_MAX ? owner[id] : NULL;

	if (!vm)
		return false;
	if (!vm_alive(vm)) {
		arch_irq_eoi(token, true);
		return true;
	}
	vm_lock(vm);
	vgic_pulse(&vm->vgic, 0, id);
	vm_unlock(vm);
	arch_irq_eoi(token, false);
	return true;
}

void irq_release(struct vm *vm)
{
	for (unsigned id = CFG_IRQ_MIN; id <= CFG_IRQ_MAX; id++)
		if (owner[id] == vm)
			arch_irq_clear_active(id);
}

/* The list registers the model has nothing in, as a mask. */
static uint32_t free_slots(const struct vcpu *v)
{
	return (BIT(arch_virq_slots()) - 1) & ~v->lr_used;
}

/*
 * The list register for the loaded vCPU's timer when it can go straight in
 * (-1: the usual flush). Only when that is all a flush would do: nothing
 * changed for the vCPU since its last flush (virq_dirty) and nothing was
 * left waiting then (virq_backlog). The slot is the one the timer's last
 * entry used, which the guest is done with (or its EOI would not have let
 * the physical timer fire again), or else a free one.
 */
static int timer_slot(const struct vcpu *v)
{
	uint32_t free;

	if (v->virq_dirty || v->virq_backlog)
		return -1;
	for (uint32_t used = v->lr_used; used; used &= used - 1) {
		unsigned i = (unsigned)__builtin_ctz(used);

		if (v->lr[i].irq == GUEST_VTIMER_IRQ)
			return arch_virq_empty() & BIT(i) ? (int)i : -1;
	}
	free = free_slots(v);
	return free ? __builtin_ctz(free) : -1;
}

/* Into slot, which holds the timer's finished last entry or nothing. */
static bool timer_to_lr(struct vcpu *v, unsigned slot)
{
	struct vgic *d = &v->vm->vgic;

	if (v->lr_used & BIT(slot)) {
		if (vgic_lr_refire(d, v->idx, &v->lr[slot]))
			goto write;
		vgic_lr_sync(d, v->idx, &v->lr[slot], VGIC_LR_INACTIVE, true);
		v->lr_used &= ~BIT(slot);
		arch_virq_clear(slot);
	}
	if (!vgic_pulse_take(d, v->idx, GUEST_VTIMER_IRQ, &v->lr[slot]))
		return false;   /* pending in the model: the flush sees to it */
	v->lr_used |= BIT(slot);
write:
	arch_virq_write(slot, &v->lr[slot]);
	return true;
}

/*
 * The loaded vCPU's virtual timer, its commonest interrupt (virq-latency in
 * docs/benchmarks.md): into a list register at once when timer_slot() says
 * it may, else pending in the model for the flush on the way back.
 */
static void timer_fired(struct vcpu *v)
{
	int slot;

	vm_lock(v->vm);
	slot = timer_slot(v);
	if (slot < 0)
		vgic_pulse(&v->vm->vgic, v->idx, GUEST_VTIMER_IRQ);
	if (slot < 0 || !timer_to_lr(v, (unsigned)slot))
		v->virq_dirty = true;
	vm_unlock(v->vm);
}

/*
 * Handle one physical interrupt. True when the scheduler must look again
 * (a kick, a deadline, console input, a passthrough interrupt that may wake
 * a vCPU); the loaded vCPU's own timer and the maintenance interrupt only
 * change its list registers, which the exit fast path flushes itself.
 */
static bool route(struct vcpu *loaded, uint32_t token)
{
	unsigned id = arch_irq_id(token);

	if (id == the_board.timer_virt_ppi && loaded) {
		timer_fired(loaded);
		arch_irq_eoi(token, false);
		return false;
	}
	if (id == arch_kick_irq()) {
		/* Another CPU changed something: the scheduler loop looks again. */
		arch_irq_eoi(token, true);
		return true;
	}
	if (id == the_board.uart_irq && id) {
		console_poll_input();
		arch_irq_eoi(token, true);
		return true;
	}
	if (id == arch_wakeup_irq()) {
		/* A deadline of a vCPU that is not loaded, or the end of a slice. */
		sched_wakeup_fired();
		arch_irq_eoi(token, true);
		return true;
	}
	if (id == arch_irq_maintenance_id()) {
		if (loaded) {
			vm_lock(loaded->vm);
			virq_sync(loaded);
			loaded->virq_dirty = true;   /* LRs freed: collect what waits */
			vm_unlock(loaded->vm);
		}
		arch_irq_eoi(token, true);
		return false;
	}
	if (route_passthrough(id, token))
		return true;
	arch_irq_eoi(token, true);
	printk("keel: unexpected interrupt %u on this CPU, ignored\n", id);
	return false;
}

bool irq_take(struct vcpu *loaded)
{
	uint32_t token = arch_irq_ack();

	return arch_irq_id(token) != ARCH_IRQ_SPURIOUS && route(loaded, token);
}

bool irq_drain(struct vcpu *loaded)
{
	bool resched = false;
	uint32_t token;

	for (unsigned n = 0; n < DRAIN_MAX; n++) {
		token = arch_irq_ack();
		if (arch_irq_id(token) == ARCH_IRQ_SPURIOUS)
			return resched;
		resched |= route(loaded, token);
	}
	return true;   /* more than DRAIN_MAX: let the scheduler loop come back */
}

void virq_flush(struct vcpu *v)
{
	struct vgic *d = &v->vm->vgic;
	uint32_t free;
	unsigned n;
	struct vgic_lr_req reqs[ARCH_VIRQ_SLOTS];

	vm_lock(v->vm);
	v->virq_dirty = false;
	channel_take_doorbells(v->vm);
	virq_sync(v);
	free = free_slots(v);
	n = free ? vgic_collect(d, v->idx, reqs, (unsigned)__builtin_popcount(free)) : 0;
	for (unsigned k = 0; k < n; k++, free &= free - 1) {
		unsigned i = (unsigned)__builtin_ctz(free);

		v->lr[i] = reqs[k];
		arch_virq_write(i, &v->lr[i]);
		v->lr_used |= BIT(i);
	}
	/* Fewer than it could take: the model has nothing else for this vCPU. */
	v->virq_backlog = !free;
	/* More waiting than fits: exit when the guest has drained the LRs. */
	arch_virq_underflow(v->virq_backlog && vgic_has_pending(d, v->idx));
	vm_unlock(v->vm);
}

/*
 * The vCPU restarts: drop what its list registers hold. A forwarded
 * interrupt the guest never finished is deactivated, or its physical copy
 * would stay active and never fire again. (A vCPU that is not loaded has no
 * physical interrupt active: see virq_put().)
 */
void virq_forget(struct vcpu *v)
{
	bool loaded = arch_vcpu_is_loaded(v);

	for (unsigned i = 0; i < ARCH_VIRQ_SLOTS; i++) {
		if (!(v->lr_used & (1u << i)))
			continue;
		if (loaded) {
			if (v->lr[i].hw && arch_virq_state(i) != VGIC_LR_INACTIVE)
				arch_irq_deactivate(v->lr[i].hw_id);
			arch_virq_clear(i);
		}
	}
	v->lr_used = 0;
}

bool virq_pending(struct vcpu *v)
{
	bool pending;

	/* An LR still pending counts too: the guest has not taken it yet. */
	for (unsigned i = 0; i < ARCH_VIRQ_SLOTS; i++) {
		enum vgic_lr_state st;

		if (!(v->lr_used & (1u << i)))
			continue;
		st = arch_vcpu_virq_state(v, i);
		if (st == VGIC_LR_PENDING || st == VGIC_LR_PENDING_ACTIVE)
			return true;
	}
	vm_lock(v->vm);
	channel_take_doorbells(v->vm);
	pending = vgic_has_pending(&v->vm->vgic, v->idx);
	vm_unlock(v->vm);
	return pending;
}
