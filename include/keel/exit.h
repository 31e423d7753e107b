/* SPDX-License-Identifier: MIT */
/*
 * Why a vCPU stopped running: the arch layer turns the hardware syndrome of
 * each trap into one of these reasons (plus the few facts a handler needs),
 * and core/trap.c dispatches on it. Every reason is counted by the cost
 * model (core/stats.c), so the list is also the stats table's rows.
 */
#ifndef KEEL_EXIT_H
#define KEEL_EXIT_H

#include <keel/types.h>

enum exit_reason {
	EXIT_HVC,        /* hypercall (Keel ABI or PSCI) */
	EXIT_SMC,        /* secure monitor call: PSCI or refused */
	EXIT_DABT,       /* stage-2 data abort: MMIO or a bad address */
	EXIT_IABT,       /* stage-2 instruction abort */
	EXIT_WFI,
	EXIT_WFE,
	EXIT_SYSREG,     /* trapped CP15/CP14 register access */
	EXIT_IRQ,        /* physical interrupt */
	EXIT_FIQ,
	EXIT_VFP,        /* first VFP/NEON use since another vCPU had it */
	EXIT_UNDEF,      /* anything the guest may not do: inject undefined */
	EXIT_NR
};

/* Only the fields named for the exit's reason are valid (the rest are stale). */
struct vcpu_exit {
	enum exit_reason reason;
	unsigned row;        /* the cost model's row (struct vcpu_stats): reason or finer */
	ipa_t ipa;           /* DABT/IABT: faulting guest-physical address */
	bool write;          /* DABT: the access was a write */
	bool s1ptw;          /* DABT/IABT: fault on the guest's own table walk */
	/* Filled only by arch_exit_fault_detail(): reports and injection need them, MMIO not. */
	uint32_t va;         /* DABT/IABT: faulting guest-virtual address */
	bool permission;     /* DABT/IABT: permission fault (else translation) */
};

/* Short names for reports and statistics. */
const char *exit_reason_name(enum exit_reason r);

#endif
