/* SPDX-License-Identifier: MIT */
/*
 * The guest's exception vector table (installed in VBAR by crt0) and the
 * common entry stub: save r0-r12, the raw exception LR and SPSR in a
 * struct exc_frame on the mode's stack, call exc_dispatch(frame, vector),
 * then return to frame->pc with CPSR = frame->spsr (RFE).
 */
	.syntax unified
	.arm

	.macro	VEC_ENTRY name, vector
	.type	\name, %function
\name:
	sub	sp, sp, #8			@ frame->pc, frame->spsr
	push	{r0-r12, lr}			@ frame->r[0..12], frame->lr
	str	lr, [sp, #56]
	mrs	r0, spsr
	str	r0, [sp, #60]
	mov	r0, sp
	mov	r1, #\vector
	bl	exc_dispatch
	pop	{r0-r12, lr}
	rfeia	sp!
	.size	\name, . - \name
	.endm

	.text
	.align	5
	.global guest_vectors
guest_vectors:
	b	vec_reset		@ 0x00
	b	vec_undef		@ 0x04
	b	vec_svc			@ 0x08
	b	vec_pabt		@ 0x0c
	b	vec_dabt		@ 0x10
	b	vec_hyp			@ 0x14 (unused outside Hyp mode)
	b	vec_irq			@ 0x18
	b	vec_fiq			@ 0x1c

	VEC_ENTRY vec_reset, 0
	VEC_ENTRY vec_undef, 1
	VEC_ENTRY vec_svc, 2
	VEC_ENTRY vec_pabt, 3
	VEC_ENTRY vec_dabt, 4
	VEC_ENTRY vec_hyp, 5
	VEC_ENTRY vec_irq, 6
	VEC_ENTRY vec_fiq, 7

	.section .note.GNU-stack, "", %progbits
