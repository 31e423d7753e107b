/* SPDX-License-Identifier: MIT */
/*
 * hc_regs_clobbered(id, use_smc): load a distinct pattern into r4-r12 and
 * lr, issue `hvc #0` (use_smc == 0) or `smc #0` with r0 = id, r1-r3 = 0,
 * and return a mask with bit n set for every rn (4..12, 13 = sp, 14 = lr)
 * that did not survive the call. SMCCC says r4-r14 are preserved.
 */
	.syntax unified
	.arm
	.arch_extension virt
	.arch_extension sec

#define PAT(n)	(0x5a000000 | ((n) << 16) | 0xc300 | (n))

	.text
	.global hc_regs_clobbered
	.type hc_regs_clobbered, %function
hc_regs_clobbered:
	push	{r4-r11, lr}
	ldr	r2, =saved_sp
	str	sp, [r2]
	mov	r3, r1
	ldr	r4, =PAT(4)
	ldr	r5, =PAT(5)
	ldr	r6, =PAT(6)
	ldr	r7, =PAT(7)
	ldr	r8, =PAT(8)
	ldr	r9, =PAT(9)
	ldr	r10, =PAT(10)
	ldr	r11, =PAT(11)
	ldr	r12, =PAT(12)
	ldr	lr, =PAT(14)
	mov	r1, #0
	mov	r2, #0
	cmp	r3, #0
	mov	r3, #0
	bne	1f
	hvc	#0
	b	2f
1:	smc	#0
2:	mov	r0, #0
	.irp	n, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14
	ldr	r1, =PAT(\n)
	cmp	r\n, r1
	orrne	r0, r0, #(1 << \n)
	.endr
	ldr	r1, =saved_sp
	ldr	r1, [r1]
	cmp	sp, r1
	orrne	r0, r0, #(1 << 13)
	mov	sp, r1
	pop	{r4-r11, pc}
	.size hc_regs_clobbered, . - hc_regs_clobbered

	.bss
	.align	2
saved_sp:
	.space	4

	.section .note.GNU-stack, "", %progbits
