/* SPDX-License-Identifier: MIT */
/*
 * The Hyp vector table and the world switch.
 *
 * Entering a guest, arch_enter_guest() parks Keel's own callee-saved
 * registers on the Hyp stack, remembers that stack in this CPU's struct pcpu,
 * and points SP_hyp at the vCPU's struct arch_regs before restoring the
 * guest's r0-r12/LR and ERETing. When the guest traps, SP_hyp therefore
 * already points just past the guest's r0-r12/LR slots: one PUSH saves them
 * straight into the vCPU, no copy. The vector then stores ELR_hyp/SPSR_hyp,
 * switches back to the Hyp stack and returns from arch_enter_guest() with
 * the kind of exit. Everything else (HSR, fault addresses) is read in C.
 *
 * Exceptions taken while Keel itself runs (vectors 0x04-0x10) are hypervisor
 * bugs: they dump the registers and stop the machine.
 */
#include <arch/context.h>

#define EXIT_KIND_TRAP 0
#define EXIT_KIND_IRQ  1
#define EXIT_KIND_FIQ  2

	.syntax unified
	.arm
	.section .text.vectors, "ax"

	.balign	32
	.global hyp_vectors
hyp_vectors:
	b	hyp_fault_0			@ 0x00 not used
	b	hyp_fault_undef			@ 0x04 undefined instruction in Hyp
	b	hyp_fault_svc			@ 0x08 HVC/SVC in Hyp
	b	hyp_fault_pabt			@ 0x0c prefetch abort in Hyp
	b	hyp_fault_dabt			@ 0x10 data abort in Hyp
	b	guest_trap			@ 0x14 Hyp trap: every guest trap
	b	guest_irq			@ 0x18 IRQ (Keel runs with IRQs masked)
	b	guest_fiq			@ 0x1c FIQ

guest_irq:
	push	{r0-r12, lr}
	mov	r0, #EXIT_KIND_IRQ
	b	guest_exit
guest_fiq:
	push	{r0-r12, lr}
	mov	r0, #EXIT_KIND_FIQ
	b	guest_exit
guest_trap:					@ the commonest: falls through
	push	{r0-r12, lr}			@ into vcpu->arch.regs
	mov	r0, #EXIT_KIND_TRAP
guest_exit:
	mrs	r2, elr_hyp
	mrs	r3, spsr
	strd	r2, r3, [sp, #REGS_PC]		@ pc, then cpsr
	mrc	p15, 4, r3, c13, c0, 2		@ HTPIDR: this CPU's struct pcpu
	ldr	sp, [r3, #PCPU_HYP_SP]
	pop	{r4-r12, lr}
	bx	lr

/* unsigned arch_enter_guest(struct arch_regs *regs): runs until the next trap */
	.global arch_enter_guest
arch_enter_guest:
	push	{r4-r12, lr}
	mrc	p15, 4, r3, c13, c0, 2
	str	sp, [r3, #PCPU_HYP_SP]
	ldrd	r2, r3, [r0, #REGS_PC]		@ pc, cpsr
	msr	elr_hyp, r2
	msr	spsr_cxsf, r3
	mov	sp, r0
	pop	{r0-r12, lr}
	eret

/* Faults inside Keel: save what we can and report (hyp_fault() never returns). */
	.macro	HYP_FAULT vec
	push	{r0-r12, lr}
	mov	r0, sp
	mov	r1, #\vec
	mrs	r2, elr_hyp
	mrs	r3, spsr
	bl	hyp_fault
	.endm

hyp_fault_0:	HYP_FAULT 0x00
hyp_fault_undef: HYP_FAULT 0x04
hyp_fault_svc:	HYP_FAULT 0x08
hyp_fault_pabt:	HYP_FAULT 0x0c
hyp_fault_dabt:	HYP_FAULT 0x10
