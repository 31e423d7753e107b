/* SPDX-License-Identifier: MIT */
/*
 * The faulting instructions of the abort guest, one function each. Every
 * faulting instruction has a global label (..._insn) so the C side can
 * check the exception LR against it.
 *
 * fault_ldr(addr), fault_thumb_ldrb(addr), fault_thumb2_ldr(addr):
 *	load from addr into a register preset to FAULT_SENTINEL and return
 *	that register: FAULT_SENTINEL means the load was skipped.
 * fault_str(addr, value): store value to addr; returns 0.
 * fault_branch(addr): branch (ARM state) to addr. The prefetch abort
 *	handler resumes at fault_branch_recover, which returns r0 as the
 *	handler left it; r4-r11 and sp are checked to be intact (r0 is
 *	replaced by FAULT_REGS_BAD if they are not).
 */
	.syntax unified

#define FAULT_SENTINEL	0x5e5e1e55
#define FAULT_REGS_BAD	0xbad0bad0

	.text
	.arm
	.global fault_ldr, fault_ldr_insn
	.type fault_ldr, %function
fault_ldr:
	ldr	r1, =FAULT_SENTINEL
fault_ldr_insn:
	ldr	r1, [r0]
	mov	r0, r1
	bx	lr
	.size fault_ldr, . - fault_ldr

	.global fault_str, fault_str_insn
	.type fault_str, %function
fault_str:
fault_str_insn:
	str	r1, [r0]
	mov	r0, #0
	bx	lr
	.size fault_str, . - fault_str

	.global fault_branch, fault_branch_recover
	.type fault_branch, %function
fault_branch:
	push	{r4-r11, lr}
	ldr	r4, =0x44440004
	add	r5, r4, #1
	add	r6, r4, #2
	add	r7, r4, #3
	add	r8, r4, #4
	add	r9, r4, #5
	add	r10, r4, #6
	add	r11, r4, #7
	mov	r12, sp
	bx	r0
fault_branch_recover:
	cmp	r12, sp
	ldreq	r1, =0x44440004
	cmpeq	r4, r1
	addeq	r1, r1, #1
	cmpeq	r5, r1
	addeq	r1, r1, #1
	cmpeq	r6, r1
	addeq	r1, r1, #1
	cmpeq	r7, r1
	addeq	r1, r1, #1
	cmpeq	r8, r1
	addeq	r1, r1, #1
	cmpeq	r9, r1
	addeq	r1, r1, #1
	cmpeq	r10, r1
	addeq	r1, r1, #1
	cmpeq	r11, r1
	ldrne	r0, =FAULT_REGS_BAD
	mov	sp, r12
	pop	{r4-r11, pc}
	.size fault_branch, . - fault_branch

	.thumb
	.global fault_thumb_ldrb, fault_thumb_ldrb_insn
	.type fault_thumb_ldrb, %function
fault_thumb_ldrb:
	ldr	r1, =FAULT_SENTINEL
fault_thumb_ldrb_insn:
	ldrb.n	r1, [r0]			@ 16-bit encoding T1
	mov	r0, r1
	bx	lr
	.size fault_thumb_ldrb, . - fault_thumb_ldrb

	.global fault_thumb2_ldr, fault_thumb2_ldr_insn
	.type fault_thumb2_ldr, %function
fault_thumb2_ldr:
	ldr	r1, =FAULT_SENTINEL
fault_thumb2_ldr_insn:
	ldr.w	r1, [r0]			@ 32-bit encoding T3
	mov	r0, r1
	bx	lr
	.size fault_thumb2_ldr, . - fault_thumb2_ldr
	.ltorg

	.section .note.GNU-stack, "", %progbits
