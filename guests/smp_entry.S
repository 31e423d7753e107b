/* SPDX-License-Identifier: MIT */
/*
 * Entry of a secondary vCPU started with PSCI CPU_ON: r0 is the context id,
 * which the psci guest uses as the top of the secondary's stack.
 */
	.syntax unified
	.arm
	.text
	.global secondary_entry
secondary_entry:
	ldr	r1, =secondary_context
	str	r0, [r1]
	mov	sp, r0
	bl	secondary_main
1:	wfi
	b	1b

	.section .note.GNU-stack, "", %progbits
