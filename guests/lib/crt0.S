/* SPDX-License-Identifier: MIT */
/*
 * Guest entry point. Keel (like QEMU virt) enters at 0x40010000 in SVC mode,
 * MMU and caches off, IRQ/FIQ/async aborts masked, r2 = DTB address.
 * Keeps what it was entered with (CPSR, r0-r2) for guests that check the
 * entry conventions, sets up the SVC/ABT/UND/IRQ stacks and VBAR, zeroes
 * bss, runs main() and hands its return value to the EXIT hypercall. Never
 * falls through.
 */
	.syntax unified
	.arm
	.arch_extension virt

#define MODE_IRQ	0x12
#define MODE_SVC	0x13
#define MODE_ABT	0x17
#define MODE_UND	0x1b
#define SCTLR_V		(1 << 13)
#define SCTLR_TE	(1 << 30)
#define EXIT_ID		0x86000002	/* KEEL_HC_EXIT */

	.section .text.boot, "ax"
	.global _start
	.type _start, %function
_start:
	mrs	r5, cpsr			@ entry CPSR, r0 and r1, kept for
	mov	r6, r0				@ guest_entry_{cpsr,r0,r1}
	mov	r7, r1
	cpsid	aif
	mov	r4, r2				@ DTB address, kept for guest_dtb

	cps	#MODE_ABT
	ldr	sp, =__abt_stack_top
	cps	#MODE_UND
	ldr	sp, =__und_stack_top
	cps	#MODE_IRQ
	ldr	sp, =__irq_stack_top
	cps	#MODE_SVC
	ldr	sp, =__svc_stack_top

	ldr	r0, =guest_vectors
	mcr	p15, 0, r0, c12, c0, 0		@ VBAR
	mrc	p15, 0, r0, c1, c0, 0		@ SCTLR: low vectors via VBAR,
	bic	r0, r0, #SCTLR_V		@ exceptions taken in ARM state
	bic	r0, r0, #SCTLR_TE
	mcr	p15, 0, r0, c1, c0, 0
	isb

	ldr	r0, =__bss_start
	ldr	r1, =__bss_end
	mov	r2, #0
1:	cmp	r0, r1
	strlo	r2, [r0], #4
	blo	1b

	ldr	r0, =guest_dtb
	str	r4, [r0]
	ldr	r0, =guest_entry_cpsr
	stm	r0, {r5-r7}

	bl	main
	mov	r1, r0				@ exit status
	ldr	r0, =EXIT_ID
	hvc	#0
2:	wfi					@ EXIT must not return
	b	2b
	.size _start, . - _start

	.bss
	.align	2
	.global guest_dtb
guest_dtb:					@ r2 at entry: IPA of the DTB
	.space	4
	.global guest_entry_cpsr, guest_entry_r0, guest_entry_r1
guest_entry_cpsr:				@ the three in this order (stm)
	.space	4
guest_entry_r0:
	.space	4
guest_entry_r1:
	.space	4

	.section .note.GNU-stack, "", %progbits
