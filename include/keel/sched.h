/* SPDX-License-Identifier: MIT */
/*
 * The scheduler (core/sched.c): each physical CPU runs the vCPUs placed on
 * it (by the config: pinned ones alone, time-sliced ones shared), the best
 * by budget and priority first, round robin among equals. Other CPUs reach a vCPU only through its partition's
 * shared state and a kick.
 */
#ifndef KEEL_SCHED_H
#define KEEL_SCHED_H

#include <keel/types.h>

struct vcpu;
struct vm;

/* How many physical CPUs run vCPUs (set once, before any partition exists). */
void sched_set_cpus(unsigned n);
unsigned sched_cpus(void);
/* A new vCPU's scheduling state (its budget); its CPU comes from the config. */
void sched_vcpu_init(struct vcpu *v);

/* Run the partitions' vCPUs on this CPU until none is left to run. */
void sched_run(void);

/* Give up the rest of this CPU's slice: the next vCPU runs after this exit. */
void sched_yield(void);

/* Keel's wake-up timer fired (a deadline, or the end of a slice): it is off now. */
void sched_wakeup_fired(void);

/*
 * v's state changed from another CPU (an interrupt for it, CPU_ON, its
 * partition stopped): make its CPU leave the guest or wake from idle and
 * look again. Nothing to do when v is this CPU's own.
 */
void vcpu_kick(struct vcpu *v);
/* The same for every vCPU of a partition (it stops or restarts). */
void vm_kick(struct vm *vm);

#endif
