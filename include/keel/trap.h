/* SPDX-License-Identifier: MIT */
/* The trap dispatcher (core/trap.c) and the scheduler loop (core/sched.c). */
#ifndef KEEL_TRAP_H
#define KEEL_TRAP_H

struct vcpu;

/* Exit status of a partition Keel stopped (not one the guest chose). */
#define KEEL_STATUS_FAULT (-1)

/* Handle v->exit, the reason v last stopped running. */
void trap_handle(struct vcpu *v);

/* Run the partitions' vCPUs on this CPU until none is left to run. */
void sched_run(void);

/* Give up the rest of this CPU's slice: the next vCPU runs after this exit. */
void sched_yield(void);

/* Keel's wake-up timer fired (a deadline, or the end of a slice): it is off now. */
void sched_wakeup_fired(void);

#endif
