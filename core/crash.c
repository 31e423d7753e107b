/* SPDX-License-Identifier: MIT */
/*
 * A partition crashed (a fault it cannot go on from, undefined instructions
 * with no progress, a watchdog timeout, a kernel panic): one report line,
 * then its restart policy decides. "restart" brings it back up to
 * max-restarts times, through the same path as PSCI SYSTEM_RESET (the
 * scheduler's restart()); after that, or with "stop", it ends with status -1.
 * The other partitions never notice. A watchdog timeout is one of them: the
 * deadline is set here, watched by the scheduler.
 */
#include <stdarg.h>
#include <keel/arch.h>
#include <keel/console.h>
#include <keel/printf.h>
#include <keel/sched.h>
#include <keel/trap.h>
#include <keel/vm.h>

bool vm_crash_restarts(struct vm *vm, const char *why)
{
	const struct vm_config *c = &vm->cfg;

	printk("keel: partition '%s' crashed: %s\n", vm->name, why);
	if (c->restart == RESTART_ALWAYS && vm->crash_restarts < c->max_restarts) {
		vm->crash_restarts++;
		snprintf(vm->reset_why, sizeof(vm->reset_why), "restart %u of %u",
			 vm->crash_restarts, c->max_restarts);
		return true;
	}
	vm_stop(vm, KEEL_STATUS_FAULT, "stopped: %s%s", why,
		c->restart == RESTART_ALWAYS ? " (no restarts left)" : "");
	return false;
}

void vm_crash(struct vm *vm, const char *fmt, ...)
{
	char why[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	vm_lock(vm);
	/* Once per crash: a partition already stopped or on its way to a restart is left be. */
	if (vm_alive(vm) && !vm->reset_requested && vm_crash_restarts(vm, why)) {
		vm->reset_requested = true;
		vm_kick(vm);
	}
	vm_unlock(vm);
}

void vm_watchdog_pet(struct vm *vm)
{
	uint32_t ms = vm->cfg.watchdog_ms;

	vm->watchdog_due = ms ? arch_now() + (uint64_t)arch_counter_freq() / 1000 * ms : 0;
}
