/* SPDX-License-Identifier: MIT */
/*
 * Thumb 16-bit (T16) load/store case functions for the ldst guest; the
 * expected effect of each is its row in ldst_cases.h (LDST_THUMB16_CASES).
 * `.n` makes the assembler refuse anything but the 16-bit encoding.
 */
#include "ldst_asm.h"

	.text

THUMB_CASE t16_ldr_imm
	ldr.n	r2, [r0, #0x7c]
	DONE	r2

THUMB_CASE t16_ldr_reg
	movs	r3, #0x14
	ldr.n	r2, [r0, r3]
	DONE	r2

THUMB_CASE t16_ldr_low_regs
	push	{r4-r11}
	mov	r6, r0
	ldr.n	r7, [r6, #4]
	DONE_HIGH r7, r6

THUMB_CASE t16_str_imm
	str.n	r2, [r0, #0x40]
	DONE	r2

THUMB_CASE t16_str_reg
	movs	r3, #8
	str.n	r2, [r0, r3]
	DONE	r2

THUMB_CASE t16_ldrb_imm
	ldrb.n	r2, [r0, #0x1f]
	DONE	r2

THUMB_CASE t16_ldrb_reg
	movs	r3, #0xd
	ldrb.n	r2, [r0, r3]
	DONE	r2

THUMB_CASE t16_strb_imm
	strb.n	r2, [r0, #0x1a]
	DONE	r2

THUMB_CASE t16_strb_reg
	movs	r3, #3
	strb.n	r2, [r0, r3]
	DONE	r2

THUMB_CASE t16_ldrh_imm
	ldrh.n	r2, [r0, #0x3e]
	DONE	r2

THUMB_CASE t16_ldrh_reg
	movs	r3, #6
	ldrh.n	r2, [r0, r3]
	DONE	r2

THUMB_CASE t16_strh_imm
	strh.n	r2, [r0, #0x22]
	DONE	r2

THUMB_CASE t16_strh_reg
	movs	r3, #2
	strh.n	r2, [r0, r3]
	DONE	r2

THUMB_CASE t16_ldrsb_reg
	movs	r3, #5
	ldrsb.n	r2, [r0, r3]
	DONE	r2

THUMB_CASE t16_ldrsh_reg
	movs	r3, #0xa
	ldrsh.n	r2, [r0, r3]
	DONE	r2

	/* IT blocks around 16-bit accesses (see ldst_thumb2.S). */
THUMB_CASE t16_ldr_cond_fail
	cmp	r0, r0
	it	ne
	ldrne.n	r2, [r0, #0x10]
	DONE	r2

THUMB_CASE t16_ldr_ite
	cmp	r0, r0
	ite	eq
	ldreq.n	r2, [r0, #0x18]
	movne	r2, #0
	DONE	r2

	/* 2nd slot must still run (eq), 3rd must not (ne). */
THUMB_CASE t16_str_itte
	cmp	r0, r0
	itte	eq
	streq.n	r2, [r0, #0x20]
	addeq	r0, r0, #4
	movne	r0, #0
	DONE	r2

	.section .note.GNU-stack, "", %progbits
