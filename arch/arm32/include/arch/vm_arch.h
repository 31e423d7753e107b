/* SPDX-License-Identifier: MIT */
/* The arch part of a partition: its stage-2 translation tables. */
#ifndef ARCH_VM_ARCH_H
#define ARCH_VM_ARCH_H

#include <arch/stage2.h>

struct arch_vm {
	struct s2_table s2;
	uint64_t cntvoff;   /* the partition's virtual counter starts at 0 */
};

#endif
