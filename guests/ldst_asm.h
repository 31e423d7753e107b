/* SPDX-License-Identifier: MIT */
/*
 * Shared assembler macros for the ldst case functions. Every case is
 *	void case(uint32_t base, struct ldst_res *res, uint32_t v1, uint32_t v2)
 * with r0 = base (a test-device address), r1 = res, r2/r3 = values to
 * store. It performs exactly one test-device access (or, for the
 * condition-fails cases, none) and then records the loaded register(s) in
 * res->val/val2 and the base register in res->base (see ldst.c).
 */
#ifndef LDST_ASM_H
#define LDST_ASM_H

#define RES_VAL		0
#define RES_VAL2	4
#define RES_BASE	8

	.syntax unified

	.macro	ARM_CASE name
	.arm
	.align	2
	.global	\name
	.type	\name, %function
\name:
	.endm

	.macro	THUMB_CASE name
	.thumb
	.align	2
	.global	\name
	.type	\name, %function
	.thumb_func
\name:
	.endm

	/* res->val = rt, res->base = rn; return. */
	.macro	DONE rt, rn=r0
	str	\rt, [r1, #RES_VAL]
	str	\rn, [r1, #RES_BASE]
	bx	lr
	.endm

	/* res->val = rt, res->val2 = rt2, res->base = rn; return. */
	.macro	DONE2 rt, rt2, rn=r0
	str	\rt, [r1, #RES_VAL]
	str	\rt2, [r1, #RES_VAL2]
	str	\rn, [r1, #RES_BASE]
	bx	lr
	.endm

	/* As DONE/DONE2, for cases that pushed r4-r11 first. */
	.macro	DONE_HIGH rt, rn
	str	\rt, [r1, #RES_VAL]
	str	\rn, [r1, #RES_BASE]
	pop	{r4-r11}
	bx	lr
	.endm

	.macro	DONE2_HIGH rt, rt2, rn
	str	\rt, [r1, #RES_VAL]
	str	\rt2, [r1, #RES_VAL2]
	str	\rn, [r1, #RES_BASE]
	pop	{r4-r11}
	bx	lr
	.endm

#endif
