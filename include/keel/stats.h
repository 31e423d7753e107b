/* SPDX-License-Identifier: MIT */
/*
 * The cost model's report: per partition, each exit reason with its count and
 * the time Keel spent handling it (ARMvisor's T_virt, split by trap kind).
 */
#ifndef KEEL_STATS_H
#define KEEL_STATS_H

#include <keel/types.h>
#include <keel/exit.h>

struct vm;
struct vcpu_stats;

/* A reason's total over its own row and the finer ones (hypercalls, devices). */
void stats_reason(const struct vcpu_stats *s, enum exit_reason r, uint64_t *count,
		  uint64_t *ticks);

/* Print the partition's exit counts and costs on Keel's console. */
void stats_report(struct vm *vm);

#endif
