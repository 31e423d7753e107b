/* SPDX-License-Identifier: MIT */
/*
 * Keel's entry point. The image starts with a Linux zImage header so that
 * QEMU's -kernel (raw image) and U-Boot's bootz load it and hand over
 * r0 = 0, r1 = machine id, r2 = the board's DTB. From here: mask
 * interrupts, move the image to its link address if it was loaded elsewhere
 * (the Hyp page tables identity-map RAM, so Keel runs where it is linked),
 * clear .bss, take CPU 0's Hyp stack and call boot_main(dtb, cpsr, load
 * address) in C,
 * which decides whether this CPU can host partitions at all.
 *
 * Secondary CPUs come in at secondary_entry, started by CPU 0 through the
 * host's PSCI CPU_ON in Hyp mode with r0 = their CPU number.
 */
#include <arch/context.h>
#define HYP_STACK_BYTES 8192	/* = HYP_STACK_SIZE in <arch/percpu.h> */
#define NR_CPUS_MAX_S 4		/* = NR_CPUS_MAX in <arch/percpu.h> */

	.syntax unified
	.arm

	.section .text.head, "ax"
	.global _start
_start:
	.rept	8
	mov	r0, r0
	.endr
	b	reset				@ 0x20
	.word	0x016f2818			@ 0x24 zImage magic
	.word	0				@ 0x28 0: load anywhere
	.word	__zimage_size			@ 0x2c image size
	.word	0x04030201			@ 0x30 little-endian
	.word	0x4c45454b			@ 0x34 "KEEL": Keel's own fields follow
	.word	__keel_size			@ 0x38 in memory with .bss: an appended
						@      boot bundle starts here (tools/keel-pack)

reset:
	cpsid	aif
	mov	r10, r2				@ DTB from the boot loader
	mrs	r11, cpsr			@ mode we were started in
	adr	r12, _start			@ where we were loaded (appended bundle)

	/* Move to the link address if loaded elsewhere (overlap-safe). */
	adr	r4, _start
	ldr	r5, =_start
	cmp	r4, r5
	beq	relocated
	ldr	r6, =__load_end
	sub	r6, r6, r5			@ bytes to copy, multiple of 4
	cmp	r5, r4
	blo	copy_fwd
	add	r7, r4, r6			@ destination above source: copy down
	add	r8, r5, r6
1:	ldr	r9, [r7, #-4]!
	str	r9, [r8, #-4]!
	cmp	r8, r5
	bhi	1b
	b	copied
copy_fwd:
	mov	r7, r4
	mov	r8, r5
1:	ldr	r9, [r7], #4
	str	r9, [r8], #4
	subs	r6, r6, #4
	bne	1b
copied:
	dsb	sy
	mcr	p15, 0, r0, c7, c5, 0		@ ICIALLU: the copy is new code
	dsb	sy
	isb
	ldr	pc, =relocated

relocated:
	ldr	r4, =__bss_start
	ldr	r5, =__bss_end
	mov	r6, #0
1:	cmp	r4, r5
	strlo	r6, [r4], #4
	blo	1b

	ldr	sp, =hyp_stacks + HYP_STACK_BYTES

	/* In Hyp mode, take Hyp exceptions from now on, so early faults report. */
	and	r4, r11, #0x1f
	cmp	r4, #0x1a
	ldreq	r4, =hyp_vectors
	mcreq	p15, 4, r4, c12, c0, 0		@ HVBAR
	isb

	/* HTPIDR -> struct pcpu: arch_cpu_id() (printk's lock) works from here on. */
	and	r4, r11, #0x1f
	cmp	r4, #0x1a
	ldreq	r4, =pcpus
	mcreq	p15, 4, r4, c13, c0, 2

	mov	r0, r10
	mov	r1, r11
	mov	r2, r12
	bl	boot_main
halt:
	wfi
	b	halt

	.global secondary_entry
secondary_entry:
	cpsid	aif
	cmp	r0, #NR_CPUS_MAX_S
	bhs	halt
	ldr	r4, =hyp_stacks + HYP_STACK_BYTES
	mov	r5, #HYP_STACK_BYTES
	mla	sp, r0, r5, r4			@ top of this CPU's stack
	ldr	r4, =hyp_vectors
	mcr	p15, 4, r4, c12, c0, 0		@ HVBAR
	isb
	bl	secondary_start			@ C, MMU still off: cpu.c
	b	halt

	.section .bss.stacks, "aw", %nobits
	.balign	16
	.global hyp_stacks
hyp_stacks:
	.space	HYP_STACK_BYTES * NR_CPUS_MAX_S
