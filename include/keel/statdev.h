/* SPDX-License-Identifier: MIT */
/*
 * The exit-stats device ("keel,exit-stats", with `keel,exit-stats;` in the
 * partition's config): Keel's cost model (docs/benchmarks.md) as read-only
 * registers, for code that cannot make the KEEL_HC_EXIT_STATS hypercall
 * (Linux user space, through /dev/mem). Shared by Keel and its guests;
 * docs/hypercalls.md describes it with the hypercall.
 *
 * Every register is 32 bits, read or written with an aligned 32-bit access;
 * anything else (another size, unaligned, a write to a read-only register, a
 * read of LATCH, an offset not listed, a row past ROWS) is a data abort in
 * the guest. The counters are read from a copy taken by a write to LATCH, so
 * that the 64-bit values (lo/hi pairs) do not tear and the reads themselves
 * (which are exits too, counted in row SELF) do not change what is read.
 *
 *   0x000  ID       "KXST" (STATDEV_MAGIC)
 *   0x004  VERSION  1
 *   0x008  ROWS     rows of the partition's cost model: 20, and one for each
 *                   region of its MMIO bus (emulated devices, doorbells)
 *   0x00c  FREQ     the counter's frequency in Hz (ticks -> time)
 *   0x010  LATCH    write: copy the counters now; the value says whose:
 *                   0 the writing vCPU's, 1 the partition's (the sum over
 *                   its vCPUs); anything else is an abort
 *   0x014  SEQ      writes to LATCH so far (a reader compares it before and
 *                   after reading the rows: a change means another latch
 *                   replaced the copy under it)
 *   0x018  SCOPE    the latched copy's: bit 0 the value written to LATCH,
 *                   bits 15:8 the vCPU that wrote it
 *   0x01c  SELF     the row of this device's own accesses
 *   0x100 + 0x40 * i: row i (i < ROWS)
 *     +0x00 COUNT_LO, +0x04 COUNT_HI   exits counted in the row (latched)
 *     +0x08 TICKS_LO, +0x0c TICKS_HI   counter ticks Keel spent on them (latched)
 *     +0x10 REASON   the exit reason the row belongs to (KEEL_EXIT_NAMES
 *                    order); rows 0-10 are the reasons' own rows
 *     +0x20 NAME     32 bytes, NUL-padded: the row's name in Keel's stats
 *                    lines ("hvc-unknown", "console_write", "psci", "pl011",
 *                    ...), 4 characters a read, little-endian
 *
 * A reason's total is the sum of the rows whose REASON is that reason, as in
 * the first `keel: stats` line. An exit is counted when Keel is done with it:
 * the latching write itself lands in the next copy.
 */
#ifndef KEEL_STATDEV_H
#define KEEL_STATDEV_H

#define STATDEV_BASE        0x0b001000u  /* guest IPA, after the test device */
#define STATDEV_SIZE        0x1000u

#define STATDEV_ID          0x000u
#define STATDEV_VERSION     0x004u
#define STATDEV_ROWS        0x008u
#define STATDEV_FREQ        0x00cu
#define STATDEV_LATCH       0x010u
#define STATDEV_SEQ         0x014u
#define STATDEV_SCOPE       0x018u
#define STATDEV_SELF        0x01cu

#define STATDEV_ROW(i)      (0x100u + 0x40u * (i))
#define STATDEV_COUNT_LO    0x00u
#define STATDEV_COUNT_HI    0x04u
#define STATDEV_TICKS_LO    0x08u
#define STATDEV_TICKS_HI    0x0cu
#define STATDEV_REASON      0x10u
#define STATDEV_NAME        0x20u
#define STATDEV_NAME_MAX    32u
#define STATDEV_ROWS_MAX    60u          /* what the page has room for */

#define STATDEV_MAGIC       0x5453584bu  /* "KXST" in memory order */
#define STATDEV_VERSION_1   1u
#define STATDEV_SCOPE_VCPU      0u
#define STATDEV_SCOPE_PARTITION 1u

#endif
