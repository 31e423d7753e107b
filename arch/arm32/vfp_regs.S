/* SPDX-License-Identifier: MIT */
/*
 * Saving and loading a vCPU's VFP/NEON state: d0-d31, FPSCR, FPEXC. The only
 * place Keel touches VFP (everything else is built -mgeneral-regs-only); the
 * caller has cleared HCPTR's cp10/cp11 traps first.
 */
#include <arch/context.h>

	.syntax unified
	.arm
	.fpu neon-vfpv4
	.text

#define FPEXC_EN (1 << 30)

/* void vfp_save(struct arch_vfp *s) */
	.global vfp_save
vfp_save:
	vmrs	r1, fpexc
	str	r1, [r0, #VFP_FPEXC]
	orr	r2, r1, #FPEXC_EN		@ the registers are only reachable enabled
	vmsr	fpexc, r2
	vmrs	r2, fpscr
	str	r2, [r0, #VFP_FPSCR]
	vstmia	r0!, {d0-d15}
	vstmia	r0, {d16-d31}
	bx	lr

/* void vfp_load(const struct arch_vfp *s) */
	.global vfp_load
vfp_load:
	mov	r2, #FPEXC_EN
	vmsr	fpexc, r2
	ldr	r2, [r0, #VFP_FPSCR]
	vmsr	fpscr, r2
	ldr	r1, [r0, #VFP_FPEXC]
	vldmia	r0!, {d0-d15}
	vldmia	r0, {d16-d31}
	vmsr	fpexc, r1			@ last: may disable access again
	bx	lr

	.section .note.GNU-stack, "", %progbits
