/* SPDX-License-Identifier: MIT */
/*
 * smccc_hvc / smccc_smc(id, a1, a2, a3, res): issue `hvc #0` / `smc #0` with
 * r0-r3 as given; store r0-r3 to *res (5th argument, on the stack) unless
 * it is NULL; return r0.
 */
	.syntax unified
	.arm
	.arch_extension virt
	.arch_extension sec

	.macro	SMCCC_CALL name, insn
	.global	\name
	.type	\name, %function
\name:
	push	{r4, lr}
	\insn	#0
	ldr	r4, [sp, #8]			@ res
	cmp	r4, #0
	stmne	r4, {r0-r3}
	pop	{r4, pc}
	.size	\name, . - \name
	.endm

	.text
	SMCCC_CALL smccc_hvc, hvc
	SMCCC_CALL smccc_smc, smc

	.section .note.GNU-stack, "", %progbits
