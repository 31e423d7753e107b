/* SPDX-License-Identifier: MIT */
/* The trap dispatcher (core/trap.c) and the scheduler loop (core/sched.c). */
#ifndef KEEL_TRAP_H
#define KEEL_TRAP_H

struct vcpu;

/* Exit status of a partition Keel stopped (not one the guest chose). */
#define KEEL_STATUS_FAULT (-1)

/* Handle v->exit, the reason v last stopped running. */
/*
 * Handle v's last exit. True when nothing but the guest's own registers
 * changed (a null hypercall, an emulated register, an MMIO access that
 * raised no interrupt): the guest may be re-entered at once, without the
 * scheduler or a vGIC flush. The fast path of every common exit.
 */
bool trap_handle(struct vcpu *v);

/* v (the running vCPU) waits until an interrupt is pending for it: WFI, PSCI CPU_SUSPEND. */
void vcpu_wait_for_interrupt(struct vcpu *v);

#endif
