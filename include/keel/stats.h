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

/* The reason a cost-model row belongs to (a reason's own row: itself). */
enum exit_reason stats_row_reason(unsigned row);

/*
 * A row's name in the stats lines: a reason's own row by what is left in it
 * ("hvc-unknown", "smc-refused", "dabt-injected", else the reason), each
 * call, "psci", "psci-smc", each device by its MMIO region's name.
 */
const char *stats_row_name(const struct vm *vm, unsigned row);

/* Print the partition's exit counts and costs on Keel's console. */
void stats_report(struct vm *vm);

#endif
