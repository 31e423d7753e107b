/* SPDX-License-Identifier: MIT */
/* What guests/bench.c shares with the benchmark of its own file, bench_switch.c. */
#ifndef GUEST_BENCH_H
#define GUEST_BENCH_H

#include <stdbool.h>
#include <stdint.h>

/* Print "bench: <name> <tenths / 10>.<tenths % 10>", tools/bench.sh's format. */
void bench_report(const char *name, uint64_t tenths);

/* partition-switch, as partition A (timing) or B (answering). */
void bench_switch(bool a, uint32_t ns_per_tick);

#endif
