/* SPDX-License-Identifier: MIT */
/*
 * The cost model's report: per partition, each exit reason with its count and
 * the time Keel spent handling it (ARMvisor's T_virt, split by trap kind).
 */
#ifndef KEEL_STATS_H
#define KEEL_STATS_H

struct vm;

/* Print the partition's exit counts and costs on Keel's console. */
void stats_report(struct vm *vm);

#endif
