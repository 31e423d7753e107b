/* SPDX-License-Identifier: MIT */
/*
 * Thumb-2 32-bit (T32 wide) load/store case functions for the ldst guest;
 * the expected effect of each is its row in ldst_cases.h
 * (LDST_THUMB2_CASES). `.w` forces the 32-bit encoding where a 16-bit one
 * would otherwise exist; negative offsets and writeback are 32-bit only.
 */
#include "ldst_asm.h"

	.text

THUMB_CASE t2_ldr_imm12
	ldr.w	r2, [r0, #0x84]
	DONE	r2

THUMB_CASE t2_ldr_imm12_large
	ldr.w	r2, [r0, #0xf1c]
	DONE	r2

THUMB_CASE t2_ldr_imm_neg
	ldr	r2, [r0, #-0xc]
	DONE	r2

THUMB_CASE t2_ldr_pre
	ldr	r2, [r0, #0x10]!
	DONE	r2

THUMB_CASE t2_ldr_post_neg
	ldr	r2, [r0], #-4
	DONE	r2

THUMB_CASE t2_ldr_reg_lsl2
	mov.w	r12, #3
	ldr.w	r2, [r0, r12, lsl #2]
	DONE	r2

THUMB_CASE t2_ldr_high
	push	{r4-r11}
	mov	r9, r0
	ldr.w	r8, [r9, #8]
	DONE_HIGH r8, r9

THUMB_CASE t2_ldr_lr
	mov	r12, lr
	ldr.w	lr, [r0, #0x9c]
	mov	r2, lr
	mov	lr, r12
	DONE	r2

THUMB_CASE t2_ldrt
	ldrt	r2, [r0, #8]
	DONE	r2

THUMB_CASE t2_str_imm12
	str.w	r2, [r0, #0x90]
	DONE	r2

THUMB_CASE t2_str_imm_neg
	str	r2, [r0, #-0x20]
	DONE	r2

THUMB_CASE t2_str_pre
	str	r2, [r0, #4]!
	DONE	r2

THUMB_CASE t2_str_post
	str	r2, [r0], #0x20
	DONE	r2

THUMB_CASE t2_str_reg_lsl3
	mov.w	r12, #2
	str.w	r2, [r0, r12, lsl #3]
	DONE	r2

THUMB_CASE t2_str_high_post_neg
	push	{r4-r11}
	mov	r10, r0
	mov	r11, r2
	str	r11, [r10], #-12
	DONE_HIGH r11, r10

THUMB_CASE t2_ldrb_imm12
	ldrb.w	r2, [r0, #0xa5]
	DONE	r2

THUMB_CASE t2_ldrb_imm_neg
	ldrb	r2, [r0, #-3]
	DONE	r2

THUMB_CASE t2_ldrb_reg
	mov.w	r12, #7
	ldrb.w	r2, [r0, r12]
	DONE	r2

THUMB_CASE t2_strb_post
	strb	r2, [r0], #1
	DONE	r2

THUMB_CASE t2_strb_pre_neg
	strb	r2, [r0, #-2]!
	DONE	r2

THUMB_CASE t2_ldrh_imm12
	ldrh.w	r2, [r0, #0xb2]
	DONE	r2

THUMB_CASE t2_ldrh_pre
	ldrh	r2, [r0, #6]!
	DONE	r2

THUMB_CASE t2_ldrh_reg_lsl1
	mov.w	r12, #5
	ldrh.w	r2, [r0, r12, lsl #1]
	DONE	r2

THUMB_CASE t2_strh_imm12
	strh.w	r2, [r0, #0xb6]
	DONE	r2

THUMB_CASE t2_strh_post_neg
	strh	r2, [r0], #-2
	DONE	r2

THUMB_CASE t2_strh_reg
	mov.w	r12, #0x10
	strh.w	r2, [r0, r12]
	DONE	r2

THUMB_CASE t2_ldrsb_imm12
	ldrsb.w	r2, [r0, #0xc1]
	DONE	r2

THUMB_CASE t2_ldrsb_post
	ldrsb	r2, [r0], #2
	DONE	r2

THUMB_CASE t2_ldrsb_reg_lsl3
	mov.w	r12, #1
	ldrsb.w	r2, [r0, r12, lsl #3]
	DONE	r2

THUMB_CASE t2_ldrsh_imm12
	ldrsh.w	r2, [r0, #0xc6]
	DONE	r2

THUMB_CASE t2_ldrsh_pre_neg
	ldrsh	r2, [r0, #-4]!
	DONE	r2

THUMB_CASE t2_ldrsh_reg_lsl1
	mov.w	r12, #3
	ldrsh.w	r2, [r0, r12, lsl #1]
	DONE	r2

THUMB_CASE t2_ldrd_imm
	ldrd	r2, r3, [r0, #0x20]
	DONE2	r2, r3

THUMB_CASE t2_ldrd_imm_neg
	ldrd	r2, r3, [r0, #-0x10]
	DONE2	r2, r3

THUMB_CASE t2_ldrd_pre
	ldrd	r2, r3, [r0, #8]!
	DONE2	r2, r3

THUMB_CASE t2_ldrd_post_neg
	ldrd	r2, r3, [r0], #-8
	DONE2	r2, r3

	/* T32 LDRD/STRD take any two registers, not just an even pair. */
THUMB_CASE t2_ldrd_high
	push	{r4-r11}
	mov	r11, r0
	ldrd	r8, r10, [r11, #0x28]
	DONE2_HIGH r8, r10, r11

THUMB_CASE t2_strd_imm
	strd	r2, r3, [r0, #0x30]
	DONE	r2

THUMB_CASE t2_strd_pre_neg
	strd	r2, r3, [r0, #-8]!
	DONE	r2

THUMB_CASE t2_strd_post
	strd	r2, r3, [r0], #16
	DONE	r2

THUMB_CASE t2_strd_high
	push	{r4-r11}
	mov	r10, r0
	mov	r11, r2
	mov	r9, r3
	strd	r11, r9, [r10, #0x18]
	DONE_HIGH r11, r10

	/* IT blocks: a failed condition makes no access; after an emulated
	 * access the IT state must advance (else movne would run). */
THUMB_CASE t2_ldr_cond_fail
	cmp	r0, r0
	it	ne
	ldrne.w	r2, [r0, #0x10]
	DONE	r2

THUMB_CASE t2_ldr_ite
	cmp	r0, r0
	ite	eq
	ldreq.w	r2, [r0, #0x18]
	movne	r2, #0
	DONE	r2

	.section .note.GNU-stack, "", %progbits
