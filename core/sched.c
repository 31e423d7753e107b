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
#include <limits.h>
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
	int slice_left;        /* exits before the next pick; <= 0: pick now */
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

static uint64_t us_to_ticks(uint32_t us)
{
	return (uint64_t)arch_counter_freq() / 1000000 * us;
}

void sched_vcpu_init(struct vcpu *v)
{
	v->budget_left = us_to_ticks(v->vm->cfg.budget_us);
	v->period_end = 0;
}

/*
 * Which vCPU runs first: one within its budget before one that has used it
 * up (which only gets what nobody else wants), then the higher priority.
 * A new period gives the budget back.
 */
static unsigned rank(struct vcpu *v, uint64_t now)
{
	const struct vm_config *c = &v->vm->cfg;

	if (!c->budget_us)
		return 0x100 | c->priority;
	if (now >= v->period_end) {
		v->period_end = now + us_to_ticks(c->period_us);
		v->budget_left = us_to_ticks(c->budget_us);
	}
	return (v->budget_left ? 0x100 : 0) | c->priority;
}

/*
 * Time a vCPU spent on the CPU (its world switch and its exits included)
 * comes off its budget; used up, it gives way. A remainder shorter than an
 * exit's round trip counts as used up, or the vCPU would come back for
 * slivers, each costing more than it runs.
 */
#define BUDGET_MIN_US 50

static void charge(struct cpu_sched *c, struct vcpu *v, uint64_t spent)
{
	if (!v->vm->cfg.budget_us)
		return;
	v->budget_left -= MIN(spent, v->budget_left);
	if (v->budget_left < us_to_ticks(BUDGET_MIN_US)) {
		v->budget_left = 0;
		c->slice_left = 0;
	}
}

static struct cpu_sched *this_cpu(void)
{
	return &cpus[arch_cpu_id()];
}

void vcpu_kick(struct vcpu *v)
{
	struct cpu_sched *c;

	if (v->pcpu >= nr_cpus)
		return;
	if (v->pcpu != arch_cpu_id()) {
		arch_kick_cpu(v->pcpu);
		return;
	}
	/* One of this CPU's others (started, woken, stopped): look at once. */
	c = this_cpu();
	if (v != c->loaded)
		c->slice_left = 0;   /* ends the fast path too: pick again */
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
 * With a rival as good as `next` (same budget standing and priority), the
 * CPU is time-sliced; one that has used up its budget only comes back at
 * its next period; and `next` itself gives way when its budget is used up.
 */
static void arm_wakeups(struct cpu_sched *c, struct vcpu *next)
{
	uint64_t first = ~0ull, when, now = arch_now();
	unsigned next_rank = next ? rank(next, now) : 0;
	bool rivals = false, others = false;
	struct vcpu *o;

	for_each_my_vcpu(o, slot, arch_cpu_id()) {
		if (o->state == VCPU_BLOCKED && arch_vcpu_timer_deadline(o, &when) && when < first)
			first = when;
		/* A partition's watchdog is watched by the CPU of its vCPU 0. */
		if (o->idx == 0 && (when = READ_ONCE(o->vm->watchdog_due)))
			first = MIN(first, when);
		if (o == next || o->state != VCPU_RUNNABLE)
			continue;
		others = true;
		if (rank(o, now) >= next_rank)
			rivals = true;
		else if (o->vm->cfg.budget_us && !o->budget_left)
			first = MIN(first, o->period_end);
	}
	if (next && rivals)
		first = MIN(first, now + arch_counter_freq() / 1000 * SLICE_MS);
	if (next && others && next->vm->cfg.budget_us)
		first = MIN(first, now + next->budget_left);
	/*
	 * Alone on this CPU: no turns to take, so no scheduler pass every
	 * SLICE_EXITS exits; whatever could change that ends the slice (a kick,
	 * the Hyp timer: vcpu_kick, sched_wakeup_fired).
	 */
	if (next && !others)
		c->slice_left = INT_MAX;
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
	struct vcpu *l = c->loaded, *v, *best = NULL;
	unsigned n = VM_MAX * VM_MAX_VCPUS, best_rank = 0, best_slot = 0, best_dist = 0;
	uint64_t now;

	if (l && l->state == VCPU_RUNNABLE && c->slice_left > 0 && vm_alive(l->vm)) {
		c->slice_left--;
		return l;
	}
	c->slice_left = SLICE_EXITS;
	now = arch_now();
	for_each_my_vcpu(v, slot, arch_cpu_id()) {
		unsigned r, dist;

		if (READ_ONCE(v->on_pending))
			power_on(v);
		if (v->state == VCPU_BLOCKED && (virq_pending(v) || timer_due(v)))
			v->state = VCPU_RUNNABLE;
		if (v->state != VCPU_RUNNABLE)
			continue;
		/* The best rank; among equals, round robin from the cursor. */
		r = rank(v, now);
		dist = (slot + n - c->cursor) % n;
		if (!best || r > best_rank || (r == best_rank && dist < best_dist)) {
			best = v;
			best_rank = r;
			best_slot = slot;
			best_dist = dist;
		}
	}
	if (best)
		c->cursor = (best_slot + 1) % n;
	return best;
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
 * A restart (PSCI SYSTEM_RESET, the restart policy after a crash, the
 * shell) or a start of a stopped partition: take every vCPU of the
 * partition off its CPU (each CPU puts its own, kicked out of the guest or
 * out of idle), then load the images again. The partition is not alive
 * meanwhile, so no CPU runs it.
 */
static void restart(struct cpu_sched *c, struct vm *vm)
{
	bool requested, starting;

	vm_lock(vm);
	requested = vm->reset_requested;
	starting = vm->start_requested;
	/* A start waits until the end of the last run has been reported. */
	if (!requested || (starting && READ_ONCE(end_report[vm->id]) != END_PRINTED)) {
		vm_unlock(vm);
		return;
	}
	vm->reset_requested = vm->start_requested = false;
	/* It stopped meanwhile, or a panic's reboot is a crash its policy may end. */
	if ((vm->state == VM_STOPPED && !starting) ||
	    (vm->panicked && !starting && !guest_panic_restarts(vm))) {
		vm_unlock(vm);
		return;
	}
	WRITE_ONCE(vm->state, VM_RESETTING);
	vm_kick(vm);
	vm_unlock(vm);

	printk("keel: partition '%s' restarting (%s)\n", vm->name, vm->reset_why);
	put_if_gone(c);
	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		while (arch_vcpu_is_loaded(&vm->vcpus[i]))
			arch_relax();

	vm_lock(vm);
	if (vm->state == VM_RESETTING) {   /* not stopped meanwhile by another of its vCPUs */
		if (vm_reset(vm)) {
			vm_stop(vm, KEEL_STATUS_FAULT, "stopped: restart failed");
		} else {
			WRITE_ONCE(end_report[vm->id], END_NONE);
			WRITE_ONCE(vm->state, VM_READY);
			vm_kick(vm);
		}
	}
	vm_unlock(vm);
}

/* Whether one of vm's vCPUs lives on this CPU. */
static bool vm_here(const struct vm *vm, unsigned me)
{
	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		if (vm->vcpus[i].pcpu == me)
			return true;
	return false;
}

/* Restarts and starts asked for, watchdogs run out: the partitions with a vCPU here. */
static void partition_events(struct cpu_sched *c)
{
	unsigned me = arch_cpu_id();

	for (unsigned i = 0; i < VM_MAX; i++) {
		struct vm *vm = &vms[i];
		uint64_t due = READ_ONCE(vm->watchdog_due);

		if (vm->state == VM_FREE || !vm_here(vm, me))
			continue;
		if (due && vm->vcpus[0].pcpu == me && arch_now() >= due && vm_alive(vm)) {
			vm->watchdog_due = 0;
			vm_crash(vm, "watchdog: no sign of life for %u ms", vm->cfg.watchdog_ms);
		}
		if (READ_ONCE(vm->reset_requested))
			restart(c, vm);
		if (READ_ONCE(vm->state) == VM_STOPPED)
			partition_ended(c, vm);
	}
}

/*
 * Run v until an exit that needs the scheduler. Exits trap_handle() calls
 * fast go straight back into the guest, through a vGIC flush if they changed
 * v's virtual interrupts (virq_dirty): whatever else could need this CPU (a
 * kick, the Hyp timer of a slice or a deadline, console input, an interrupt
 * for another vCPU) arrives as a physical interrupt that irq_drain() says
 * needs the scheduler, so that exit is not fast.
 */
static void run_once(struct cpu_sched *c, struct vcpu *v)
{
	struct vm *vm = v->vm;
	enum vm_state ready = VM_READY;
	uint64_t t0, t1, t_in = arch_now();
	bool fast;

	if (c->loaded != v) {
		put_loaded(c);
		arch_vcpu_load(v);
		c->loaded = v;
	}
	__atomic_compare_exchange_n(&vm->state, &ready, VM_RUNNING, false, __ATOMIC_ACQ_REL,
				    __ATOMIC_RELAXED);
	virq_flush(v);
	do {
		arch_vcpu_run(v);
		t0 = arch_now();
		/* Fast exits count against the slice too: equals still take turns. */
		v->exit.row = v->exit.reason;   /* the handler may name a finer one */
		fast = trap_handle(v) && --c->slice_left > 0;   /* a kick set it to 0 */
		/* Relaxed: another CPU that sets it also sends an interrupt (an exit). */
		if (fast && __atomic_load_n(&v->virq_dirty, __ATOMIC_RELAXED))
			virq_flush(v);
		t1 = arch_now();
		arch_count_exit(&v->stats.row[v->exit.row], (uint32_t)(t1 - t0));
	} while (fast);
	v->stats.run_ticks += t1 - t_in;
	charge(c, v, t1 - t_in);
}

/* Not done while a partition can run, restarts, or has an end still to report. */
static bool work_left(void)
{
	for (unsigned i = 0; i < VM_MAX; i++) {
		enum vm_state s = READ_ONCE(vms[i].state);

		if (s == VM_FREE)
			continue;
		if (s != VM_STOPPED || READ_ONCE(end_report[i]) != END_PRINTED ||
		    READ_ONCE(vms[i].reset_requested))
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
	for (;;) {
		partition_events(c);
		if (!work_left())
			break;
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
