/* SPDX-License-Identifier: MIT */
/*
 * Per-physical-CPU data, found through HTPIDR (which only Hyp mode can read,
 * so a guest can never point Keel at forged per-CPU state).
 */
#ifndef ARCH_PERCPU_H
#define ARCH_PERCPU_H

#include <arch/context.h>
#include <arch/sysreg.h>

#define NR_CPUS_MAX 4
#define HYP_STACK_SIZE 8192

struct vcpu;

struct pcpu {
	uint32_t hyp_sp;        /* offset PCPU_HYP_SP: Hyp stack while a guest runs */
	unsigned id;            /* logical CPU number */
	struct vcpu *current;   /* the vCPU loaded on this CPU, or NULL */
	struct vcpu *vfp_owner; /* whose VFP state is in this CPU's registers */
	bool underflow;         /* GICH_HCR.UIE as last written (arch_virq_underflow) */
};

extern struct pcpu pcpus[NR_CPUS_MAX];

static inline struct pcpu *this_pcpu(void)
{
	return (struct pcpu *)read_HTPIDR();
}

#endif
