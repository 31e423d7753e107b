/* SPDX-License-Identifier: MIT */
/*
 * The memory rules, proven at boot (core/mem_proof.c): walk every
 * partition's stage-2 tables and show that no host frame is mapped into two
 * partitions (except a channel's, into its two) and that no frame of Keel's
 * own (its image, the DTB, the bundle, every table page) is mapped at all.
 */
#ifndef KEEL_MEM_PROOF_H
#define KEEL_MEM_PROOF_H

#include <keel/config.h>

#define PROOF_ANY (~0u)

/* One run of a partition's stage-2 mappings. */
struct proof_map {
	unsigned owner;        /* partition index */
	ipa_t ipa;
	paddr_t pa;
	uint64_t size;
};

/* Host memory two partitions may both map: a channel (a, b), or any (PROOF_ANY). */
struct proof_shared {
	paddr_t pa;
	uint64_t size;
	unsigned a, b;
};

struct proof_input {
	const struct proof_map *maps;
	unsigned nr_maps;
	const struct proof_shared *shared;
	unsigned nr_shared;
	const struct cfg_region *keel;     /* Keel's own memory */
	const char *const *keel_what;
	unsigned nr_keel;
	const char *const *names;          /* partition names by owner */
};

/* The check alone: 0, or -KEEL_EINVAL with the first broken rule in why. */
int mem_proof_check(const struct proof_input *in, char *why, size_t why_len);

/* Gather every partition's mappings and Keel's memory, check, and say so. */
int mem_prove(const struct board_limits *lim, char *why, size_t why_len);

#endif
