/* SPDX-License-Identifier: MIT */
/*
 * What happens after a guest traps: one handler per exit reason. Guest
 * misbehaviour is answered as the hardware would (an abort or an undefined
 * instruction injected into the guest) or, when the guest can make no more
 * progress, by stopping that partition with a report. Nothing a guest does
 * here can stop Keel or touch another partition.
 */
#include <keel/arch.h>
#include <keel/console.h>
#include <keel/hypercall_impl.h>
#include <keel/irq.h>
#include <keel/printf.h>
#include <keel/sched.h>
#include <keel/stats.h>
#include <keel/trap.h>
#include <keel/vm.h>

/* Aborts injected back to back with no other exit: the guest is stuck. */
#define FAULT_STREAK_MAX 64
/* Log this many guest faults per partition, then only count them. */
#define FAULT_LOG_MAX 16

/* The device an access goes to, found once (handle_dabt) before decoding. */
struct bus_target {
	struct vcpu *v;
	const struct mmio_region *region;
};

static inline enum mmio_result bus_access(void *ctx, struct mmio_access *a)
{
	struct bus_target *t = ctx;
	const struct mmio_region *r = t->region;
	enum mmio_result res;

	a->vcpu = t->v->idx;
	if (!mmio_place(r, a))
		return MMIO_UNHANDLED;
	if (!a->is_write && r->ops->peek && r->ops->peek(r->dev, a))
		return MMIO_OK;
	vm_lock(t->v->vm);   /* devices are shared by the partition's vCPUs */
	res = r->ops->access(r->dev, a);
	vm_unlock(t->v->vm);
	return res;
}

/* The guest cannot go on: a crash, with its vCPU's registers in the report. */
static __attribute__((noinline, cold)) void crash_with_report(struct vcpu *v, const char *what)
{
	printk("keel: partition '%s' vcpu %u: %s\n", v->vm->name, v->idx, what);
	arch_vcpu_report(v);
	vm_crash(v->vm, "%s", what);
}

/* Undefined instructions Keel answers back to back with no other exit: stuck. */
static __attribute__((noinline, cold)) void inject_undef(struct vcpu *v)
{
	arch_inject_undef(v);
	if (++v->fault_streak > FAULT_STREAK_MAX)
		crash_with_report(v, "undefined instructions keep coming with no progress "
				  "in between");
}

/*
 * An abort for the guest. `refused`: an emulated device refused the access;
 * it is named as the cost model names it (exit.row is its row).
 */
static __attribute__((noinline, cold)) void guest_abort(struct vcpu *v, bool refused)
{
	const struct vcpu_exit *e = &v->exit;
	bool data = e->reason == EXIT_DABT;
	char device[48];

	arch_exit_fault_detail(v);
	if (refused)
		snprintf(device, sizeof(device), "refused by emulated device '%s'",
			 stats_row_name(v->vm, e->row));
	v->stats.injected_aborts++;
	if (v->stats.injected_aborts <= FAULT_LOG_MAX)
		printk("keel: partition '%s' vcpu %u: %s abort at IPA 0x%08llx (va 0x%08x, pc 0x%08x): "
		       "%s%s; HSR 0x%08x%s\n", v->vm->name, v->idx,
		       data ? (e->write ? "data write" : "data read") : "instruction fetch",
		       (unsigned long long)e->ipa, e->va, arch_vcpu_pc(v),
		       e->s1ptw ? "its page-table walk reached " : "",
		       refused ? device : e->permission ? "permission fault" : "nothing mapped there",
		       arch_exit_syndrome(v),
		       v->stats.injected_aborts == FAULT_LOG_MAX ? " (further faults not logged)" : "");
	if (arch_inject_abort(v, e) == INJECT_NESTED) {
		crash_with_report(v, "faulted again inside its own abort handler");
		return;
	}
	if (++v->fault_streak > FAULT_STREAK_MAX)
		crash_with_report(v, "aborts keep coming with no progress in between");
}

/*
 * Emulated MMIO. Fast (true) when the access is done and raised no interrupt
 * for this vCPU (virq_dirty tells); writes to the distributor always go the
 * slow way. The syndrome's access (the common case) is done here, inline;
 * the decoder's goes through bus_access for each of its accesses.
 */
static bool handle_dabt(struct vcpu *v)
{
	struct vm *vm = v->vm;
	struct bus_target t = {
		v, v->exit.s1ptw ? NULL : mmio_find_hinted(&vm->mmio, v->exit.ipa, &v->mmio_hint)
	};
	struct mmio_access a;
	char why[128];

	if (!t.region) {
		guest_abort(v, false);
		return false;
	}
	v->exit.row = ROW_DEVICE + v->mmio_hint;   /* the region's index */
	if (arch_mmio_from_syndrome(v, &a, vm->cfg.check_decoder)) {
		if (bus_access(&t, &a) != MMIO_OK) {
			guest_abort(v, true);
			return false;
		}
		arch_mmio_syndrome_done(v, &a);
	} else {
		switch (arch_emulate_mmio(v, bus_access, &t, why, sizeof(why))) {
		case MMIO_EMUL_DONE:
			break;
		case MMIO_EMUL_FAULT:
			guest_abort(v, true);
			return false;
		case MMIO_EMUL_UNDECODABLE:
			crash_with_report(v, why);
			return false;
		}
	}
	/* reads have no side effects; writes may change what the LRs must hold */
	return !v->exit.write || v->exit.ipa - GUEST_GICD_IPA >= GUEST_GICD_SIZE;
}

static bool handle_sysreg(struct vcpu *v)
{
	if (arch_emulate_sysreg(v)) {
		v->fault_streak = 0;
		return true;
	}
	if (v->stats.row[EXIT_SYSREG].count <= FAULT_LOG_MAX)
		printk("keel: partition '%s' vcpu %u: coprocessor access not emulated "
		       "(HSR 0x%08x, pc 0x%08x): undefined instruction\n",
		       v->vm->name, v->idx, arch_exit_syndrome(v), arch_vcpu_pc(v));
	inject_undef(v);
	return false;
}

void vcpu_wait_for_interrupt(struct vcpu *v)
{
	/* Pending even if masked wakes it, as WFI does. */
	virq_flush(v);
	if (!virq_pending(v))
		v->state = VCPU_BLOCKED;
}

/* A trapped conditional instruction whose condition failed: step over it. */
static bool cond_failed(struct vcpu *v)
{
	if (!arch_exit_cond_failed(v))
		return false;
	arch_vcpu_skip_insn(v);
	return true;
}

/* WFI, WFE, VFP: progress (the fault streak ends), unless the condition failed. */
static bool progress_or_skipped(struct vcpu *v)
{
	v->fault_streak = 0;
	return cond_failed(v);
}

/* PSCI and Keel's calls that change the partition's shared state. */
static __attribute__((noinline)) void handle_call(struct vcpu *v, bool from_smc)
{
	vm_lock(v->vm);
	hypercall_handle(v, from_smc);
	vm_unlock(v->vm);
}

/*
 * One case per reason, each doing only what its reason needs: the common
 * exits (a hypercall, MMIO, the vCPU's own interrupt) are the fast path
 * (docs/benchmarks.md counts its instructions). Only classes that can trap
 * a conditional instruction check the condition (ARM ARM B3.13.6); the
 * streak of injected faults is ended by any other exit.
 */
__attribute__((always_inline)) inline bool trap_handle(struct vcpu *v)
{
	switch (v->exit.reason) {
	case EXIT_HVC:
		v->fault_streak = 0;
		if (hypercall_fast(v))
			return true;
		handle_call(v, false);
		return false;
	case EXIT_SMC:
		v->fault_streak = 0;
		handle_call(v, true);
		return false;
	case EXIT_DABT:
		return handle_dabt(v);
	case EXIT_IRQ:
	case EXIT_FIQ:
		v->fault_streak = 0;
		return !irq_take(v);
	case EXIT_SYSREG:
		return cond_failed(v) || handle_sysreg(v);
	case EXIT_IABT:
		guest_abort(v, false);
		return false;
	case EXIT_WFI:
		if (progress_or_skipped(v))
			return true;
		arch_vcpu_skip_insn(v);
		vcpu_wait_for_interrupt(v);
		return v->state == VCPU_RUNNABLE;   /* something was pending: WFI is a NOP */
	case EXIT_WFE:
		if (progress_or_skipped(v))
			return true;
		/*
		 * No event register model: WFE is a yield, as the architecture
		 * allows. A real one: a spinlock waiter lets the holder run.
		 */
		arch_vcpu_skip_insn(v);
		sched_yield();
		return false;
	case EXIT_VFP:
		if (progress_or_skipped(v))
			return true;
		/* The instruction is retried with the registers now its own. */
		arch_vfp_switch(v);
		return false;
	case EXIT_UNDEF:
	default:
		inject_undef(v);
		return false;
	}
}
