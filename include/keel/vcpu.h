/* SPDX-License-Identifier: MIT */
/* A virtual CPU: its architectural context, its partition, its counters. */
#ifndef KEEL_VCPU_H
#define KEEL_VCPU_H

#include <keel/types.h>
#include <keel/arch.h>
#include <keel/exit.h>
#include <keel/hypercall.h>
#include <keel/mmio.h>
#include <keel/virq.h>
#include <arch/context.h>

struct vm;

enum vcpu_state {
	VCPU_OFF,        /* not started (PSCI CPU_ON) */
	VCPU_RUNNABLE,
	VCPU_BLOCKED,    /* in WFI until an interrupt is pending for it */
};

/*
 * The cost model's rows. Every exit is counted in exactly one: its reason's,
 * unless its handler named a finer one (which hypercall, which emulated
 * device: vcpu_exit.row), so a reason's total is its own row plus those
 * (stats_reason()). What is left in a reason's own row is the rest: an HVC
 * no one implements, an SMC refused, a data abort injected back.
 */
enum stats_row {
	/* 0 .. EXIT_NR - 1: the exit reasons */
	ROW_CALL = EXIT_NR,                       /* + id - KEEL_HC_BASE: Keel's calls (HVC) */
	ROW_PSCI_HVC = ROW_CALL + KEEL_HC_COUNT,
	ROW_PSCI_SMC,
	ROW_DEVICE,                               /* + region index: emulated MMIO devices */
	STATS_ROWS = ROW_DEVICE + MMIO_MAX_REGIONS
};

/* Side by side, in this order: arch_count_exit() updates both at once. */
struct stats_cell {
	uint64_t count;
	uint64_t ticks;            /* counter ticks in Keel, from trap to return */
};

struct vcpu_stats {
	struct stats_cell row[STATS_ROWS];
	uint64_t mmio_decoded;     /* MMIO accesses emulated from the instruction (ISV = 0) */
	uint64_t injected_aborts;
	uint64_t run_ticks;        /* on its CPU: in the guest and in Keel for it */
};

struct vcpu {
	struct arch_vcpu arch;     /* first: the world switch addresses it */
	struct vm *vm;
	unsigned idx;
	unsigned pcpu;             /* the physical CPU it runs on (pinned: core/sched.c) */
	enum vcpu_state state;     /* changed by its own CPU, or under the partition's lock */
	/* A PSCI CPU_ON for it, carried out by its own CPU (which may have it loaded). */
	bool on_pending;
	uint32_t on_entry, on_ctx;
	struct vcpu_exit exit;     /* the last exit */
	unsigned fault_streak;     /* aborts or undefs injected with no progress in between */
	/* Time-sliced with a budget (core/sched.c): counter ticks left, end of the period. */
	uint64_t budget_left, period_end;
	/* What each list register holds (core/virq.c); bit i of lr_used = slot i. */
	struct vgic_lr_req lr[ARCH_VIRQ_SLOTS];
	uint32_t lr_used;
	/*
	 * The vGIC changed in a way that concerns this vCPU since its last
	 * flush (set by the model's kick): the exit fast path must not re-enter
	 * the guest before the list registers are brought up to date.
	 */
	bool virq_dirty;
	/* Its last flush filled every free list register: more may be waiting. */
	bool virq_backlog;
	unsigned mmio_hint;        /* the emulated device it used last (mmio_find_hinted) */
	struct vcpu_stats stats;
};

/*
 * Guest register n of its current mode; the unbanked ones without a call.
 * (Host unit tests always call: their fakes record which registers a
 * handler wrote.)
 */
#ifdef KEEL_HOST_TEST
#define VCPU_REG_INLINE false
#else
#define VCPU_REG_INLINE true
#endif

static inline uint32_t vcpu_reg(struct vcpu *v, unsigned n)
{
	return VCPU_REG_INLINE && n < ARCH_UNBANKED_REGS ? *arch_unbanked_reg(&v->arch, n)
							  : arch_vcpu_get_reg(v, n);
}

static inline void vcpu_set_reg(struct vcpu *v, unsigned n, uint32_t val)
{
	if (VCPU_REG_INLINE && n < ARCH_UNBANKED_REGS)
		*arch_unbanked_reg(&v->arch, n) = val;
	else
		arch_vcpu_set_reg(v, n, val);
}

#endif
