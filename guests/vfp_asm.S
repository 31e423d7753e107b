/* SPDX-License-Identifier: MIT */
/*
 * VFP/NEON helpers for the vfp guest: fill all 32 double registers and FPSCR
 * from a seed, and check them. Separate from C because the guests are built
 * with -mgeneral-regs-only.
 */
	.syntax unified
	.arm
	.fpu neon-vfpv4
	.text

/* void vfp_enable(void): CPACR cp10/cp11 full access, FPEXC.EN */
	.global vfp_enable
vfp_enable:
	mrc	p15, 0, r0, c1, c0, 2
	orr	r0, r0, #(0xf << 20)
	mcr	p15, 0, r0, c1, c0, 2
	isb
	mov	r0, #(1 << 30)
	vmsr	fpexc, r0
	bx	lr

/* void vfp_fill(uint32_t seed): d<i> = {seed + 2i, seed + 2i + 1}; FPSCR = seed's NZCV */
	.global vfp_fill
vfp_fill:
	push	{r4, lr}
	sub	sp, sp, #256
	mov	r1, sp
	mov	r2, #0
1:	add	r3, r0, r2
	str	r3, [r1, r2, lsl #2]
	add	r2, r2, #1
	cmp	r2, #64
	blo	1b
	vldmia	r1!, {d0-d15}
	vldmia	r1, {d16-d31}
	and	r4, r0, #0xf0000000
	vmsr	fpscr, r4
	add	sp, sp, #256
	pop	{r4, pc}

/* int vfp_check(uint32_t seed): number of 32-bit words (and FPSCR) that differ */
	.global vfp_check
vfp_check:
	push	{r4-r6, lr}
	sub	sp, sp, #256
	mov	r1, sp
	vstmia	r1!, {d0-d15}
	vstmia	r1, {d16-d31}
	mov	r1, sp
	mov	r2, #0
	mov	r5, #0
1:	add	r3, r0, r2
	ldr	r4, [r1, r2, lsl #2]
	cmp	r3, r4
	addne	r5, r5, #1
	add	r2, r2, #1
	cmp	r2, #64
	blo	1b
	vmrs	r4, fpscr
	and	r4, r4, #0xf0000000
	and	r6, r0, #0xf0000000
	cmp	r4, r6
	addne	r5, r5, #1
	mov	r0, r5
	add	sp, sp, #256
	pop	{r4-r6, pc}

	.section .note.GNU-stack,"",%progbits
