/* SPDX-License-Identifier: MIT */
/*
 * The scheduler. Every physical CPU runs this loop over the vCPUs pinned to
 * it: round robin over the runnable ones, switching context (load/put) only
 * when the next vCPU differs from the one loaded. Each trip through the
 * guest is timed and counted by exit reason: the cost model's raw data.
 *
 * What crosses CPUs: a partition's shared state (under its lock), CPU_ON
 * requests, the partition stopping or restarting. The CPU that changes any
 * of these kicks the vCPU's own CPU (vcpu_kick), which then looks again; a
 * vCPU's registers are only ever loaded, put or reset by its own CPU, except
 * for a restart, which waits until every CPU has put the partition's vCPUs.
 */
#include <keel/arch.h>
#include <keel/board.h>
#include <keel/console.h>
#include <keel/guest_panic.h>
#include <keel/irq.h>
#include <keel/sched.h>
#include <keel/stats.h>
#include <keel/trap.h>
#include <keel/vm.h>

/*
 * A vCPU keeps the CPU for this many consecutive exits (unless it blocks or
 * stops) before the next runnable one gets its turn. Rotating on every exit
 * would cost a full context switch per trap, and would never let a vCPU
 * retry the instruction whose trap just handed it the VFP registers.
 */
#define SLICE_EXITS 64
/* With other vCPUs waiting, a vCPU that does not trap is preempted after this (ms). */
#define SLICE_MS 1

/* One physical CPU's scheduling state. */
struct cpu_sched {
	struct vcpu *loaded;   /* whose registers are in this CPU */
	unsigned slice_left;
	uint64_t armed;        /* the Hyp timer's deadline, ~0: off */
	unsigned cursor;       /* round-robin position */
};

static struct cpu_sched cpus[BOARD_MAX_CPUS];
static unsigned nr_cpus = 1;

/* Partition end reports: not yet, being printed, printed. */
enum { END_NONE, END_PRINTING, END_PRINTED };
static uint32_t end_report[VM_MAX];

void sched_set_cpus(unsigned n)
{
	nr_cpus = MAX(1u, MIN(n, (unsigned)BOARD_MAX_CPUS));
}

unsigned sched_cpus(void)
{
	return nr_cpus;
}

unsigned sched_place(const struct vm *vm, unsigned idx)
{
	/* Spread: a partition's vCPUs over the CPUs, partitions starting on different ones. */
	return (vm->id + idx) % nr_cpus;
}

static struct cpu_sched *this_cpu(void)
{
	return &cpus[arch_cpu_id()];
}

void vcpu_kick(struct vcpu *v)
{
	if (v->pcpu != arch_cpu_id() && v->pcpu < nr_cpus)
		arch_kick_cpu(v->pcpu);
}

void vm_kick(struct vm *vm)
{
	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		vcpu_kick(&vm->vcpus[i]);
}

void sched_yield(void)
{
	this_cpu()->slice_left = 0;
}

/* A blocked vCPU whose virtual timer is due: once loaded, the timer fires by itself. */
static bool timer_due(const struct vcpu *v)
{
	uint64_t when;

	return arch_vcpu_timer_deadline(v, &when) && arch_now() >= when;
}

/*
 * The Hyp timer's deadline. This runs on every exit, so the timer registers
 * are only written when the deadline changes; the interrupt path cancels
 * the timer when it fires and says so through sched_wakeup_fired().
 */
static void arm_wakeup(struct cpu_sched *c, uint64_t when)
{
	if (when == c->armed)
		return;
	c->armed = when;
	if (when == ~0ull)
		arch_wakeup_cancel();
	else
		arch_wakeup_at(when);
}

void sched_wakeup_fired(void)
{
	struct cpu_sched *c = this_cpu();

	arch_wakeup_cancel();
	c->armed = ~0ull;
	c->slice_left = 0;
}

/* Each of this CPU's vCPUs in live partitions, in slot order. */
#define for_each_my_vcpu(v, slot, me)                                                  \
	for (unsigned slot = 0; slot < VM_MAX * VM_MAX_VCPUS; slot++)                  \
		if (!vm_alive(&vms[slot / VM_MAX_VCPUS]) ||                            \
		    slot % VM_MAX_VCPUS >= vms[slot / VM_MAX_VCPUS].nr_vcpus ||        \
		    ((v) = &vms[slot / VM_MAX_VCPUS].vcpus[slot % VM_MAX_VCPUS])->pcpu != (me)) \
			;                                                              \
		else

/*
 * A vCPU's virtual timer only runs while the vCPU is loaded. For the blocked
 * ones that are not, the Hyp timer is set to the earliest of their deadlines.
 */
static void arm_wakeups(struct cpu_sched *c, const struct vcpu *next)
{
	uint64_t first = ~0ull, when;
	bool others = false;
	struct vcpu *o;

	for_each_my_vcpu(o, slot, arch_cpu_id()) {
		if (o->state == VCPU_BLOCKED && arch_vcpu_timer_deadline(o, &when) && when < first)
			first = when;
		others |= o != next && o->state == VCPU_RUNNABLE;
	}
	/* Someone else wants this CPU: preempt `next` if it runs without trapping. */
	if (next && others)
		first = MIN(first, arch_now() + arch_counter_freq() / 1000 * SLICE_MS);
	arm_wakeup(c, first);
}

/* PSCI CPU_ON asked for by another vCPU: v starts at the entry it was given. */
static void power_on(struct vcpu *v)
{
	vm_lock(v->vm);
	if (v->on_pending) {
		virq_forget(v);
		arch_vcpu_reset(v, v->on_entry, v->on_ctx, 0, 0);
		v->state = VCPU_RUNNABLE;
		WRITE_ONCE(v->on_pending, false);
	}
	vm_unlock(v->vm);
}

static struct vcpu *pick_next(struct cpu_sched *c)
{
	struct vcpu *l = c->loaded, *v;
	unsigned n = VM_MAX * VM_MAX_VCPUS;

	if (l && l->state == VCPU_RUNNABLE && c->slice_left && vm_alive(l->vm)) {
		c->slice_left--;
		return l;
	}
	c->slice_left = SLICE_EXITS;

	/* Round robin: the first candidate at or after the cursor, else the first one. */
	struct vcpu *first = NULL;
	unsigned first_slot = 0;

	for_each_my_vcpu(v, slot, arch_cpu_id()) {
		if (READ_ONCE(v->on_pending))
			power_on(v);
		if (v->state == VCPU_BLOCKED && (virq_pending(v) || timer_due(v)))
			v->state = VCPU_RUNNABLE;
		if (v->state != VCPU_RUNNABLE)
			continue;
		if (slot >= c->cursor) {
			c->cursor = (slot + 1) % n;
			return v;
		}
		if (!first) {
			first = v;
			first_slot = slot;
		}
	}
	if (first)
		c->cursor = (first_slot + 1) % n;
	return first;
}

static void put_loaded(struct cpu_sched *c)
{
	if (!c->loaded)
		return;
	/*
	 * A virtual timer interrupt taken since the last entry is still only in
	 * the model, its physical copy active: into a list register with it, so
	 * that the put deactivates it and the next vCPU's timer can fire here.
	 */
	virq_flush(c->loaded);
	arch_vcpu_put(c->loaded);
	c->loaded = NULL;
}

/* The loaded vCPU's partition stopped or restarts: its registers leave this CPU for good. */
static void put_if_gone(struct cpu_sched *c)
{
	struct vcpu *v = c->loaded;

	if (!v || vm_alive(v->vm))
		return;
	put_loaded(c);
	arch_vfp_release(v);
}

static void partition_ended(struct cpu_sched *c, struct vm *vm)
{
	uint32_t none = END_NONE;

	if (!__atomic_compare_exchange_n(&end_report[vm->id], &none, END_PRINTING, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
		return;   /* another CPU reports it */
	put_if_gone(c);
	console_guest_flush(vm);
	/* tools/keel-run reads this line: keep its shape. */
	printk("keel: partition '%s' %s; exit status %d\n", vm->name, vm->stop_reason,
	       vm->exit_status);
	stats_report(vm);
	WRITE_ONCE(end_report[vm->id], END_PRINTED);
	/* CPU 0 may be idle, waiting for this to turn the board off. */
	for (unsigned cpu = 0; cpu < nr_cpus; cpu++)
		if (cpu != arch_cpu_id())
			arch_kick_cpu(cpu);
}

/*
 * PSCI SYSTEM_RESET: take every vCPU of the partition off its CPU (each CPU
 * puts its own, kicked out of the guest or out of idle), then load the
 * images again. The partition is not alive meanwhile, so no CPU runs it.
 */
static void restart(struct cpu_sched *c, struct vm *vm)
{
	bool requested;

	vm_lock(vm);
	requested = vm->reset_requested;
	vm->reset_requested = false;
	/* Another vCPU got here first, it stopped, or a panic's reboot ends it instead. */
	if (!requested || vm->state == VM_STOPPED || guest_panic_stop(vm)) {
		vm_unlock(vm);
		return;
	}
	WRITE_ONCE(vm->state, VM_RESETTING);
	vm_kick(vm);
	vm_unlock(vm);

	printk("keel: partition '%s' restarting (PSCI SYSTEM_RESET)\n", vm->name);
	put_if_gone(c);
	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		while (arch_vcpu_is_loaded(&vm->vcpus[i]))
			;

	vm_lock(vm);
	if (vm->state == VM_RESETTING) {   /* not stopped meanwhile by another of its vCPUs */
		if (vm_reset(vm)) {
			vm_stop(vm, KEEL_STATUS_FAULT, "stopped: restart failed");
		} else {
			WRITE_ONCE(vm->state, VM_READY);
			vcpu_kick(&vm->vcpus[0]);
		}
	}
	vm_unlock(vm);
}

static void run_once(struct cpu_sched *c, struct vcpu *v)
{
	struct vm *vm = v->vm;
	enum vm_state ready = VM_READY;
	uint64_t t0;

	if (c->loaded != v) {
		put_loaded(c);
		arch_vcpu_load(v);
		c->loaded = v;
	}
	__atomic_compare_exchange_n(&vm->state, &ready, VM_RUNNING, false, __ATOMIC_ACQ_REL,
				    __ATOMIC_RELAXED);
	virq_flush(v);
	arch_vcpu_run(v);
	t0 = arch_now();
	trap_handle(v);
	v->stats.count[v->exit.reason]++;
	v->stats.ticks[v->exit.reason] += arch_now() - t0;

	if (READ_ONCE(vm->reset_requested))
		restart(c, vm);
	if (READ_ONCE(vm->state) == VM_STOPPED)
		partition_ended(c, vm);
}

/* Not done while a partition can run, restarts, or has an end still to report. */
static bool work_left(void)
{
	for (unsigned i = 0; i < VM_MAX; i++) {
		enum vm_state s = READ_ONCE(vms[i].state);

		if (s == VM_FREE)
			continue;
		if (s != VM_STOPPED || READ_ONCE(end_report[i]) != END_PRINTED)
			return true;
	}
	return false;
}

void sched_run(void)
{
	struct cpu_sched *c = this_cpu();
	struct vcpu *v;

	c->armed = ~0ull;
	arch_wakeup_cancel();
	while (work_left()) {
		put_if_gone(c);
		v = pick_next(c);
		arm_wakeups(c, v);
		if (v) {
			run_once(c, v);
			continue;
		}
		/* Every vCPU here waits for an interrupt (or a kick): sleep until one arrives. */
		arch_idle();
		irq_drain(c->loaded);
	}
	put_loaded(c);
}
