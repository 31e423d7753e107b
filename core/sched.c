/* SPDX-License-Identifier: MIT */
/*
 * The scheduler of one physical CPU: round-robin over the runnable vCPUs,
 * switching context (load/put) only when the next vCPU differs from the one
 * loaded. Each trip through the guest is timed and counted by exit reason:
 * that is the cost model's raw data. Returns when no partition can run.
 */
#include <keel/arch.h>
#include <keel/console.h>
#include <keel/irq.h>
#include <keel/stats.h>
#include <keel/trap.h>
#include <keel/vm.h>

/*
 * A vCPU keeps the CPU for this many consecutive exits (unless it blocks or
 * stops) before the next runnable one gets its turn. Rotating on every exit
 * would cost a full context switch per trap, and would never let a vCPU
 * retry the instruction whose trap just handed it the VFP registers.
 * Time-based slices with the Hyp timer replace this count.
 */
#define SLICE_EXITS 64
/* With other vCPUs waiting, a vCPU that does not trap is preempted after this (ms). */
#define SLICE_MS 1

static struct vcpu *loaded;
static unsigned slice_left;

void sched_yield(void)
{
	slice_left = 0;
}

/* A blocked vCPU whose virtual timer is due: once loaded, the timer fires by itself. */
static bool timer_due(const struct vcpu *v)
{
	uint64_t when;

	return arch_vcpu_timer_deadline(v, &when) && arch_now() >= when;
}

/*
 * The Hyp timer's deadline (~0: off). This runs on every exit, so the timer
 * registers are only written when the deadline changes; the interrupt path
 * cancels the timer when it fires and says so through wakeup_fired().
 */
static uint64_t armed = ~0ull;

static void arm_wakeup(uint64_t when)
{
	if (when == armed)
		return;
	armed = when;
	if (when == ~0ull)
		arch_wakeup_cancel();
	else
		arch_wakeup_at(when);
}

void sched_wakeup_fired(void)
{
	arch_wakeup_cancel();
	armed = ~0ull;
	slice_left = 0;
}

/*
 * A vCPU's virtual timer only runs while the vCPU is loaded. For the blocked
 * ones that are not, the Hyp timer is set to the earliest of their deadlines.
 */
static void arm_wakeups(const struct vcpu *next)
{
	uint64_t first = ~0ull, when;
	bool others = false;

	for (unsigned i = 0; i < VM_MAX; i++) {
		struct vm *vm = &vms[i];

		if (!vm_alive(vm))
			continue;
		for (unsigned j = 0; j < vm->nr_vcpus; j++) {
			const struct vcpu *o = &vm->vcpus[j];

			if (o->state == VCPU_BLOCKED && arch_vcpu_timer_deadline(o, &when) &&
			    when < first)
				first = when;
			others |= o != next && o->state == VCPU_RUNNABLE;
		}
	}
	/* Someone else wants this CPU: preempt `next` if it runs without trapping. */
	if (next && others)
		first = MIN(first, arch_now() + arch_counter_freq() / 1000 * SLICE_MS);
	arm_wakeup(first);
}

static struct vcpu *pick_next(void)
{
	static unsigned cursor;

	if (loaded && loaded->state == VCPU_RUNNABLE && slice_left && vm_alive(loaded->vm)) {
		slice_left--;
		return loaded;
	}
	slice_left = SLICE_EXITS;

	for (unsigned n = 0; n < VM_MAX * VM_MAX_VCPUS; n++) {
		unsigned slot = (cursor + n) % (VM_MAX * VM_MAX_VCPUS);
		struct vm *vm = &vms[slot / VM_MAX_VCPUS];
		struct vcpu *v = &vm->vcpus[slot % VM_MAX_VCPUS];

		if (!vm_alive(vm) || slot % VM_MAX_VCPUS >= vm->nr_vcpus)
			continue;
		if (v->state == VCPU_BLOCKED && (virq_pending(v) || timer_due(v)))
			v->state = VCPU_RUNNABLE;
		if (v->state == VCPU_RUNNABLE) {
			cursor = slot + 1;
			return v;
		}
	}
	return NULL;
}

static void partition_ended(struct vm *vm)
{
	console_guest_flush(vm);
	if (loaded && loaded->vm == vm) {
		arch_vcpu_put(loaded);
		loaded = NULL;
	}
	/* tools/keel-run reads this line: keep its shape. */
	printk("keel: partition '%s' %s; exit status %d\n", vm->name, vm->stop_reason,
	       vm->exit_status);
	stats_report(vm);
}

static void run_once(struct vcpu *v)
{
	uint64_t t0;

	if (loaded != v) {
		if (loaded)
			arch_vcpu_put(loaded);
		arch_vcpu_load(v);
		loaded = v;
	}
	v->vm->state = VM_RUNNING;
	virq_flush(v);
	arch_vcpu_run(v);
	t0 = arch_now();
	trap_handle(v);
	v->stats.count[v->exit.reason]++;
	v->stats.ticks[v->exit.reason] += arch_now() - t0;

	if (v->vm->reset_requested && v->vm->state != VM_STOPPED) {
		v->vm->reset_requested = false;
		printk("keel: partition '%s' restarting (PSCI SYSTEM_RESET)\n", v->vm->name);
		if (vm_reset(v->vm))
			vm_stop(v->vm, KEEL_STATUS_FAULT, "stopped: restart failed");
	}
	if (v->vm->state == VM_STOPPED)
		partition_ended(v->vm);
}

static bool any_partition_alive(void)
{
	for (unsigned i = 0; i < VM_MAX; i++)
		if (vm_alive(&vms[i]))
			return true;
	return false;
}

void sched_run(void)
{
	struct vcpu *v;

	while (any_partition_alive()) {
		v = pick_next();
		arm_wakeups(v);
		if (v) {
			run_once(v);
			continue;
		}
		/* Every vCPU waits for an interrupt: sleep until one arrives. */
		arch_idle();
		irq_drain(loaded);
	}
}
