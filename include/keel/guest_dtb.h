/* SPDX-License-Identifier: MIT */
/*
 * The device tree a partition boots with, generated with libfdt: the same
 * platform QEMU's virt board describes (RAM at 0x40000000, PL011 at
 * 0x09000000, PSCI), cut to what the partition really has.
 */
#ifndef KEEL_GUEST_DTB_H
#define KEEL_GUEST_DTB_H

#include <keel/config.h>

/* A channel as the partition sees it (its k-th: addresses from <keel/config.h>). */
struct guest_dtb_chan {
	uint32_t id, size;
	const char *label, *peer;
};

struct guest_dtb_params {
	const char *name;
	unsigned nr_vcpus;
	ipa_t ram_ipa;
	uint64_t ram_size;
	const char *bootargs;     /* may be NULL */
	ipa_t initrd_ipa;         /* 0: no initrd */
	uint64_t initrd_size;
	bool testdev;
	bool exit_stats;
	uint32_t restarts;        /* /chosen/keel,restart-count */
	const char *cpu_compatible; /* "arm,cortex-a15", ...; NULL: that one */
	unsigned nr_chans;
	struct guest_dtb_chan chans[CFG_MAX_CHANNELS];
};

/* Write the DTB into buf (size bytes). 0 or a negative libfdt error. */
int guest_dtb_build(void *buf, size_t size, const struct guest_dtb_params *p);

#endif
