/* SPDX-License-Identifier: MIT */
/*
 * Stage-2 translation tables (ARMv7 LPAE, 4 KiB granule) for one partition.
 *
 * The builder maps IPA ranges to host physical ranges with 2 MiB blocks where
 * IPA, PA and size allow it and 4 KiB pages otherwise, and refuses to map over
 * anything already mapped. Table memory comes from a caller-supplied allocator
 * so the same code runs in the hypervisor and in host unit tests.
 *
 * Layout: 32-bit IPA space (VTCR.T0SZ = 0), walk starts at level 1
 * (VTCR.SL0 = 1): level 1 has 4 entries of 1 GiB, level 2 entries cover
 * 2 MiB, level 3 entries 4 KiB.
 */
#ifndef ARCH_STAGE2_H
#define ARCH_STAGE2_H

#include <keel/types.h>

/* Permissions and memory type of a mapping. */
#define S2_R        0x1u
#define S2_W        0x2u
#define S2_X        0x4u
#define S2_RW       (S2_R | S2_W)
#define S2_RWX      (S2_R | S2_W | S2_X)
#define S2_DEVICE   0x8u   /* Device memory (passthrough MMIO); else Normal WB */

#define S2_IPA_LIMIT   (1ull << 32)

struct s2_mm_ops {
	/* Returns one zeroed, 4 KiB-aligned 4 KiB table, or NULL. */
	void *(*alloc_table)(void *ctx);
	paddr_t (*virt_to_phys)(void *ctx, void *va);
	void *(*phys_to_virt)(void *ctx, paddr_t pa);
	void *ctx;
};

struct s2_table {
	uint64_t *root;                 /* level-1 table */
	paddr_t root_pa;                /* what VTTBR.BADDR points at */
	const struct s2_mm_ops *ops;
};

/* Set up an empty table. Returns 0 or -KEEL_ENOMEM. */
int s2_init(struct s2_table *t, const struct s2_mm_ops *ops);

/*
 * Map [ipa, ipa + size) to [pa, pa + size) with `flags` (S2_*).
 * ipa, pa and size must be 4 KiB aligned, size > 0, and the range below
 * S2_IPA_LIMIT (-KEEL_EINVAL). Any page of the range already mapped gives
 * -KEEL_EEXIST and nothing is changed. -KEEL_ENOMEM when tables run out.
 */
int s2_map(struct s2_table *t, ipa_t ipa, paddr_t pa, uint64_t size, unsigned flags);

/* Remove every mapping in [ipa, ipa + size) (blocks are split as needed). */
int s2_unmap(struct s2_table *t, ipa_t ipa, uint64_t size);

/*
 * Translate one IPA. Returns 0 and fills pa/flags/block_size (size of the
 * descriptor that maps it: 4 KiB or 2 MiB), or -KEEL_ENOENT when unmapped.
 * Any out-parameter may be NULL.
 */
int s2_lookup(const struct s2_table *t, ipa_t ipa, paddr_t *pa, unsigned *flags,
	      uint64_t *block_size);

/*
 * Call fn once per leaf mapping (block or page), in IPA order. Used to prove
 * isolation (no frame in two partitions). Stops and returns fn's value when
 * it is non-zero.
 */
typedef int (*s2_walk_fn)(void *arg, ipa_t ipa, paddr_t pa, uint64_t size, unsigned flags);
int s2_walk(const struct s2_table *t, s2_walk_fn fn, void *arg);

/* The stage-2 descriptor bits Keel uses (ARM ARM B3.6.1, stage 2). */
uint64_t s2_leaf_desc(paddr_t pa, unsigned flags, bool page);

#endif
