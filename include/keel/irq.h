/* SPDX-License-Identifier: MIT */
/*
 * Interrupts, physical and virtual (core/irq.c): Keel takes every physical
 * interrupt while a guest runs (HCR.IMO) and turns the ones that belong to a
 * partition into virtual interrupts of its vGIC; before a vCPU enters the
 * guest, its list registers are brought in line with the model.
 */
#ifndef KEEL_IRQ_H
#define KEEL_IRQ_H

#include <keel/types.h>

struct vcpu;
struct vm;

/* Take and route every pending physical interrupt; `loaded` is the vCPU whose
 * timer and list registers are live on this CPU (may be NULL). True when one
 * of them needs the scheduler (see route()). */
bool irq_drain(struct vcpu *loaded);
/*
 * The same for one interrupt, the one that made `loaded` exit: any other
 * pending one makes the guest exit again at once (the exit path's choice:
 * no second acknowledge in the common case of one).
 */
bool irq_take(struct vcpu *loaded);

/* Sync the loaded vCPU's list registers back into its vGIC and fill free ones. */
void virq_flush(struct vcpu *v);

/* Forget what the list registers held (partition reset). */
void virq_forget(struct vcpu *v);

/* Whether v has an interrupt to take (wakes it from WFI). */
bool virq_pending(struct vcpu *v);

/* Hand physical SPI id to vm (passthrough): routed to its vCPU 0's CPU, enabled. */
void irq_assign(unsigned id, struct vm *vm);
/* vm restarts: its passthrough interrupts the guest never finished are made inactive. */
void irq_release(struct vm *vm);

#endif
