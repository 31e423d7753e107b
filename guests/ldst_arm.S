/* SPDX-License-Identifier: MIT */
/*
 * ARM-state (A32) load/store case functions for the ldst guest; the
 * expected effect of each is its row in ldst_cases.h (LDST_ARM_CASES).
 */
#include "ldst_asm.h"

	.text

ARM_CASE arm_ldr_imm
	ldr	r2, [r0, #0x14]
	DONE	r2

ARM_CASE arm_ldr_imm_neg
	ldr	r2, [r0, #-0x8]
	DONE	r2

ARM_CASE arm_ldr_imm_large
	ldr	r2, [r0, #0xf0c]
	DONE	r2

ARM_CASE arm_ldr_pre
	ldr	r2, [r0, #8]!
	DONE	r2

ARM_CASE arm_ldr_pre_neg
	ldr	r2, [r0, #-4]!
	DONE	r2

ARM_CASE arm_ldr_post
	ldr	r2, [r0], #12
	DONE	r2

ARM_CASE arm_ldr_post_neg
	ldr	r2, [r0], #-16
	DONE	r2

ARM_CASE arm_ldr_reg
	mov	r12, #0x24
	ldr	r2, [r0, r12]
	DONE	r2

ARM_CASE arm_ldr_reg_neg
	mov	r12, #0x24
	ldr	r2, [r0, -r12]
	DONE	r2

ARM_CASE arm_ldr_reg_lsl2
	mov	r12, #5
	ldr	r2, [r0, r12, lsl #2]
	DONE	r2

ARM_CASE arm_ldr_reg_lsr
	mov	r12, #0x80000000		@ lsr #27 -> 0x10
	ldr	r2, [r0, r12, lsr #27]
	DONE	r2

ARM_CASE arm_ldr_reg_asr_pre
	mvn	r12, #0xf			@ -16, asr #1 -> -8
	ldr	r2, [r0, r12, asr #1]!
	DONE	r2

ARM_CASE arm_ldr_reg_ror_pre
	ldr	r12, =0x80000001		@ ror #28 -> 0x18
	ldr	r2, [r0, r12, ror #28]!
	DONE	r2

ARM_CASE arm_ldr_reg_rrx_pre
	mov	r12, #0x20			@ C = 1: rrx -> 0x80000010
	msr	APSR_nzcvq, #(1 << 29)
	ldr	r2, [r0, r12, rrx]!
	DONE	r2

ARM_CASE arm_ldr_reg_lsl_pre
	mov	r12, #2
	ldr	r2, [r0, r12, lsl #3]!
	DONE	r2

ARM_CASE arm_ldr_reg_post
	mov	r12, #0x18
	ldr	r2, [r0], r12
	DONE	r2

ARM_CASE arm_ldr_reg_post_neg_lsl
	mov	r12, #4
	ldr	r2, [r0], -r12, lsl #2
	DONE	r2

ARM_CASE arm_ldrt_post
	ldrt	r2, [r0], #4
	DONE	r2

ARM_CASE arm_str_imm
	str	r2, [r0, #0x24]
	DONE	r2

ARM_CASE arm_str_imm_neg
	str	r2, [r0, #-0x10]
	DONE	r2

ARM_CASE arm_str_pre
	str	r2, [r0, #4]!
	DONE	r2

ARM_CASE arm_str_post_neg
	str	r2, [r0], #-8
	DONE	r2

ARM_CASE arm_str_reg_lsl2
	mov	r12, #3
	str	r2, [r0, r12, lsl #2]
	DONE	r2

ARM_CASE arm_str_reg_pre_neg
	mov	r12, #8
	str	r2, [r0, -r12]!
	DONE	r2

ARM_CASE arm_str_reg_post
	mov	r12, #0x10
	str	r2, [r0], r12
	DONE	r2

ARM_CASE arm_str_reg_post_asr
	mvn	r12, #0x1f			@ -32, asr #2 -> -8
	str	r2, [r0], r12, asr #2
	DONE	r2

ARM_CASE arm_ldrb_imm
	ldrb	r2, [r0, #0x13]
	DONE	r2

ARM_CASE arm_ldrb_reg
	mov	r12, #0x21
	ldrb	r2, [r0, r12]
	DONE	r2

ARM_CASE arm_ldrb_post
	ldrb	r2, [r0], #1
	DONE	r2

ARM_CASE arm_ldrb_reg_asr_pre
	mvn	r12, #3				@ -4, asr #2 -> -1
	ldrb	r2, [r0, r12, asr #2]!
	DONE	r2

ARM_CASE arm_strb_imm
	strb	r2, [r0, #0x25]
	DONE	r2

ARM_CASE arm_strb_pre_neg
	strb	r2, [r0, #-1]!
	DONE	r2

ARM_CASE arm_strb_reg
	mov	r12, #3
	strb	r2, [r0, r12]
	DONE	r2

ARM_CASE arm_strb_post
	strb	r2, [r0], #3
	DONE	r2

ARM_CASE arm_strbt_post
	strbt	r2, [r0], #1
	DONE	r2

ARM_CASE arm_ldrh_imm
	ldrh	r2, [r0, #0x16]
	DONE	r2

ARM_CASE arm_ldrh_imm_neg
	ldrh	r2, [r0, #-0x12]
	DONE	r2

ARM_CASE arm_ldrh_reg
	mov	r12, #0x1a
	ldrh	r2, [r0, r12]
	DONE	r2

ARM_CASE arm_ldrh_pre
	ldrh	r2, [r0, #2]!
	DONE	r2

ARM_CASE arm_ldrh_post_neg
	ldrh	r2, [r0], #-6
	DONE	r2

ARM_CASE arm_ldrh_reg_post
	mov	r12, #4
	ldrh	r2, [r0], r12
	DONE	r2

ARM_CASE arm_strh_imm
	strh	r2, [r0, #0x1e]
	DONE	r2

ARM_CASE arm_strh_reg_neg
	mov	r12, #0x10
	strh	r2, [r0, -r12]
	DONE	r2

ARM_CASE arm_strh_pre
	strh	r2, [r0, #6]!
	DONE	r2

ARM_CASE arm_strh_post
	strh	r2, [r0], #2
	DONE	r2

ARM_CASE arm_ldrsb_imm
	ldrsb	r2, [r0, #0x11]
	DONE	r2

ARM_CASE arm_ldrsb_reg
	mov	r12, #0x23
	ldrsb	r2, [r0, r12]
	DONE	r2

ARM_CASE arm_ldrsb_post_neg
	ldrsb	r2, [r0], #-1
	DONE	r2

ARM_CASE arm_ldrsh_imm
	ldrsh	r2, [r0, #0x1a]
	DONE	r2

ARM_CASE arm_ldrsh_reg_pre
	mov	r12, #6
	ldrsh	r2, [r0, r12]!
	DONE	r2

ARM_CASE arm_ldrsh_post
	ldrsh	r2, [r0], #4
	DONE	r2

ARM_CASE arm_ldrd_imm
	ldrd	r2, r3, [r0, #0x10]
	DONE2	r2, r3

ARM_CASE arm_ldrd_imm_neg
	ldrd	r2, r3, [r0, #-8]
	DONE2	r2, r3

ARM_CASE arm_ldrd_reg
	mov	r12, #0x18
	ldrd	r2, r3, [r0, r12]
	DONE2	r2, r3

ARM_CASE arm_ldrd_pre
	ldrd	r2, r3, [r0, #8]!
	DONE2	r2, r3

ARM_CASE arm_ldrd_post_neg
	ldrd	r2, r3, [r0], #-16
	DONE2	r2, r3

ARM_CASE arm_ldrd_reg_post
	mov	r12, #8
	ldrd	r2, r3, [r0], r12
	DONE2	r2, r3

ARM_CASE arm_ldrd_high
	push	{r4-r11}
	mov	r9, r0
	ldrd	r10, r11, [r9, #0x20]
	DONE2_HIGH r10, r11, r9

ARM_CASE arm_strd_imm
	strd	r2, r3, [r0, #0x18]
	DONE	r2

ARM_CASE arm_strd_reg_neg
	mov	r12, #0x10
	strd	r2, r3, [r0, -r12]
	DONE	r2

ARM_CASE arm_strd_pre_neg
	strd	r2, r3, [r0, #-8]!
	DONE	r2

ARM_CASE arm_strd_post
	strd	r2, r3, [r0], #8
	DONE	r2

ARM_CASE arm_strd_high_pre
	push	{r4-r11}
	mov	r7, r0
	mov	r8, r2
	mov	r9, r3
	strd	r8, r9, [r7, #0x10]!
	DONE_HIGH r8, r7

	/* The classic: load sp from the device with writeback. */
ARM_CASE arm_ldr_sp_pre
	mov	r12, sp
	ldr	sp, [r0, #4]!
	mov	r2, sp
	mov	sp, r12
	DONE	r2

ARM_CASE arm_str_sp
	mov	r12, sp
	mov	sp, r2
	str	sp, [r0, #0x88]
	mov	sp, r12
	DONE	r2

ARM_CASE arm_ldr_lr
	mov	r12, lr
	ldr	lr, [r0, #0x8c]
	mov	r2, lr
	mov	lr, r12
	DONE	r2

ARM_CASE arm_str_lr_post
	mov	r12, lr
	mov	lr, r2
	str	lr, [r0], #4
	mov	lr, r12
	DONE	r2

ARM_CASE arm_ldr_high_reg
	push	{r4-r11}
	mov	r11, r0
	mov	r10, #0x10
	ldr	r8, [r11, r10, lsl #1]
	DONE_HIGH r8, r11

ARM_CASE arm_str_high_pre
	push	{r4-r11}
	mov	r10, r0
	mov	r9, r2
	str	r9, [r10, #0xc]!
	DONE_HIGH r9, r10

	/* Conditions that fail: no access, no writeback, r2 untouched. */
ARM_CASE arm_ldr_cond_fail
	cmp	r0, r0
	ldrne	r2, [r0, #4]!
	DONE	r2

ARM_CASE arm_str_cond_fail
	cmp	r0, r0
	strne	r2, [r0, #0x18]
	DONE	r2

ARM_CASE arm_ldr_cond_pass
	cmp	r0, r0
	ldreq	r2, [r0, #0x1c]
	DONE	r2

ARM_CASE arm_ldrh_cond_pass_post
	cmp	r0, r0
	ldrheq	r2, [r0], #2
	DONE	r2

	.ltorg

	.section .note.GNU-stack, "", %progbits
