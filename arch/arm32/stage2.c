/* SPDX-License-Identifier: MIT */
/*
 * Stage-2 translation table builder (ARMv7 LPAE, 4 KiB granule).
 *
 * This file owns the contents of one partition's stage-2 tables: it creates
 * the level-1 table, links level-2 and level-3 tables in as mappings need
 * them, writes and clears leaf descriptors, splits 2 MiB blocks when part of
 * one is unmapped, and reads the tables back (lookup, walk). It does not own
 * table memory (the caller's s2_mm_ops hands out zeroed 4 KiB tables and
 * translates between their virtual and physical addresses) and it does no
 * cache or TLB maintenance: see "Maintenance" below.
 *
 * The walk, for a 32-bit IPA with VTCR.T0SZ = 0, VTCR.SL0 = 1
 * (ARM ARM B3.6, "Long-descriptor translation table format"):
 *
 *   IPA  31 30 29         21 20         12 11          0
 *       +-----+-------------+-------------+-------------+
 *       | L1  |     L2      |     L3      |   offset    |
 *       +-----+-------------+-------------+-------------+
 *          |         |             |
 *          v         |             |
 *   VTTBR -> L1: 4 x 1 GiB         |       table descriptors only
 *             |      v             |
 *             +-> L2: 512 x 2 MiB  |       block (0b01) or table (0b11)
 *                    |             v
 *                    +--------> L3: 512 x 4 KiB   page (0b11)
 *
 * Keel never writes 1 GiB blocks at level 1: every guest region it maps is
 * far smaller, and keeping level 1 table-only means every leaf is either a
 * 2 MiB block or a 4 KiB page.
 *
 * Tables are never freed (s2_mm_ops has no free callback). A table, once
 * linked in, stays linked even when it holds no valid entry, and is reused
 * by later mappings of the same range. In particular a 2 MiB region that has
 * an L3 table (because it was page-mapped or a block there was split) is
 * mapped with 512 pages, not a block, from then on: replacing the table with
 * a block would leak it, a little more on every map/unmap cycle.
 *
 * Maintenance: callers changing tables the hardware may be walking (the
 * partition's VTTBR is live on some CPU) must, after the call, make the
 * writes visible to the walker (DSB; plus a D-cache clean if the walks are
 * not cache-coherent per VTCR.{SH0,IRGN0,ORGN0}) and, after s2_unmap, also
 * invalidate the partition's stage-2 TLB entries (ARMv7 has no invalidation
 * by IPA: e.g. TLBIALLNSNHIS, then DSB and ISB); ARM ARM B3.10. s2_map only
 * turns invalid entries into valid ones, which TLBs do not hold, so it needs
 * the DSB but no TLBI. When s2_unmap splits a block it replaces one valid
 * entry with another (a table of equivalent pages) without the break-before-
 * make sequence this file cannot perform; until the TLBI a CPU may hold both
 * the old block and new pages. Prefer splitting while the partition is not
 * running.
 */
#include <arch/stage2.h>
#include <keel/errno.h>

/* Descriptor type, bits[1:0] (B3.6.1). */
#define S2_DESC_VALID		0x1ull
#define S2_DESC_TYPE_MASK	0x3ull
#define S2_DESC_BLOCK		0x1ull		/* level 2 leaf */
#define S2_DESC_TABLE		0x3ull		/* level 1/2: next-level table */
#define S2_DESC_PAGE		0x3ull		/* level 3 leaf */

/* Stage-2 lower attributes, bits[11:2] (B3.6.2). */
#define S2_MEMATTR_SHIFT	2
#define S2_MEMATTR_MASK		(0xfull << S2_MEMATTR_SHIFT)
#define S2_MEMATTR_NORMAL_WB	(0xfull << S2_MEMATTR_SHIFT)	/* outer+inner WB */
#define S2_MEMATTR_DEVICE	(0x1ull << S2_MEMATTR_SHIFT)	/* Device */
/* MemAttr[3:2] == 0b00 is Strongly-ordered or Device, anything else Normal. */
#define S2_MEMATTR_DEVICE_MASK	(0xcull << S2_MEMATTR_SHIFT)
#define S2_HAP_R		(0x1ull << 6)
#define S2_HAP_W		(0x2ull << 6)
#define S2_HAP_RW		(S2_HAP_R | S2_HAP_W)
#define S2_SH_INNER		(0x3ull << 8)
#define S2_DESC_AF		(0x1ull << 10)

/* Upper attributes. */
#define S2_XN			(0x1ull << 54)

/* Output / next-level table address, bits[39:12]; a block's is [39:21]. */
#define S2_OA_MASK		0x000000fffffff000ull
#define S2_BLOCK_OA_MASK	0x000000ffffe00000ull
/* Everything of a leaf but its type and address: what a split copies. */
#define S2_LEAF_ATTR_MASK	(~(S2_OA_MASK | S2_DESC_TYPE_MASK))

#define S2_PA_LIMIT		(1ull << 40)

#define S2_L1_SHIFT		30
#define S2_L2_SHIFT		21
#define S2_L3_SHIFT		12
#define S2_L1_ENTRIES		4
#define S2_ENTRIES		512
#define S2_L1_SIZE		(1ull << S2_L1_SHIFT)
#define S2_BLOCK_SIZE		(1ull << S2_L2_SHIFT)
#define S2_PAGE_SIZE		(1ull << S2_L3_SHIFT)

#define S2_FLAGS_ALL		(S2_RWX | S2_DEVICE)

static inline unsigned l1_index(ipa_t ipa)
{
	return (unsigned)(ipa >> S2_L1_SHIFT) & (S2_L1_ENTRIES - 1);
}

static inline unsigned l2_index(ipa_t ipa)
{
	return (unsigned)(ipa >> S2_L2_SHIFT) & (S2_ENTRIES - 1);
}

static inline unsigned l3_index(ipa_t ipa)
{
	return (unsigned)(ipa >> S2_L3_SHIFT) & (S2_ENTRIES - 1);
}

static inline bool desc_valid(uint64_t d)
{
	return d & S2_DESC_VALID;
}

/* At levels 1 and 2; at level 3 the same encoding means "page". */
static inline bool desc_is_table(uint64_t d)
{
	return (d & S2_DESC_TYPE_MASK) == S2_DESC_TABLE;
}

static inline bool desc_is_block(uint64_t d)
{
	return (d & S2_DESC_TYPE_MASK) == S2_DESC_BLOCK;
}

/* End of the naturally aligned `size` region holding ipa, capped at end. */
static inline ipa_t region_end(ipa_t ipa, uint64_t size, ipa_t end)
{
	ipa_t next = ALIGN_DOWN(ipa, size) + size;

	return MIN(next, end);
}

uint64_t s2_leaf_desc(paddr_t pa, unsigned flags, bool page)
{
	uint64_t d = S2_DESC_AF;

	if (page)
		d |= (pa & S2_OA_MASK) | S2_DESC_PAGE;
	else
		d |= (pa & S2_BLOCK_OA_MASK) | S2_DESC_BLOCK;

	/*
	 * Device: SH is ignored for Device memory (always treated as Outer
	 * Shareable), so leave it 0. Normal: Inner Shareable, since an SMP
	 * guest's RAM must stay coherent across CPUs whatever its stage 1
	 * says (stage 1 and 2 combine to the stronger shareability).
	 */
	if (flags & S2_DEVICE)
		d |= S2_MEMATTR_DEVICE;
	else
		d |= S2_MEMATTR_NORMAL_WB | S2_SH_INNER;

	if (flags & S2_R)
		d |= S2_HAP_R;
	if (flags & S2_W)
		d |= S2_HAP_W;
	if (!(flags & S2_X))
		d |= S2_XN;
	return d;
}

/* The S2_* flags a leaf descriptor written by s2_leaf_desc() stands for. */
static unsigned leaf_flags(uint64_t d)
{
	unsigned flags = 0;

	if (d & S2_HAP_R)
		flags |= S2_R;
	if (d & S2_HAP_W)
		flags |= S2_W;
	if (!(d & S2_XN))
		flags |= S2_X;
	if (!(d & S2_MEMATTR_DEVICE_MASK))
		flags |= S2_DEVICE;
	return flags;
}

/* The table a (valid, table-type) descriptor points at. */
static uint64_t *next_table(const struct s2_table *t, uint64_t d)
{
	return t->ops->phys_to_virt(t->ops->ctx, d & S2_OA_MASK);
}

/*
 * One fresh table from the caller, or NULL. A table whose physical address
 * a descriptor cannot hold (not 4 KiB aligned, above 40 bits) counts as an
 * allocation failure rather than being silently truncated; it is leaked,
 * but only a broken allocator can hand one out.
 */
static uint64_t *alloc_table(const struct s2_table *t, paddr_t *pa)
{
	uint64_t *tbl = t->ops->alloc_table(t->ops->ctx);

	if (!tbl)
		return NULL;
	*pa = t->ops->virt_to_phys(t->ops->ctx, tbl);
	if (!IS_ALIGNED(*pa, S2_PAGE_SIZE) || *pa >= S2_PA_LIMIT)
		return NULL;
	/*
	 * The allocator promises zeroed memory, but a stray non-zero word here
	 * would become a guest mapping of some random frame: clear it anyway.
	 */
	for (unsigned i = 0; i < S2_ENTRIES; i++)
		tbl[i] = 0;
	return tbl;
}

/*
 * The table *entry points at, linking a new empty one in if *entry is
 * invalid. *entry must be invalid or a table descriptor. NULL on ENOMEM.
 */
static uint64_t *get_table(struct s2_table *t, uint64_t *entry)
{
	uint64_t *tbl;
	paddr_t pa;

	if (desc_is_table(*entry))
		return next_table(t, *entry);
	tbl = alloc_table(t, &pa);
	if (!tbl)
		return NULL;
	*entry = pa | S2_DESC_TABLE;
	return tbl;
}

int s2_init(struct s2_table *t, const struct s2_mm_ops *ops)
{
	paddr_t pa;

	t->ops = ops;
	t->root = alloc_table(t, &pa);
	if (!t->root) {
		t->root_pa = 0;
		return -KEEL_ENOMEM;
	}
	/*
	 * VTTBR.BADDR needs the L1 table aligned to its 32-byte size only; a
	 * whole 4 KiB table keeps it simple and is what the allocator gives.
	 */
	t->root_pa = pa;
	return 0;
}

/* True when no page of [ipa, end) is mapped. */
static bool range_is_free(const struct s2_table *t, ipa_t ipa, ipa_t end)
{
	while (ipa < end) {
		ipa_t l1_end = region_end(ipa, S2_L1_SIZE, end);
		uint64_t l1e = t->root[l1_index(ipa)];
		const uint64_t *l2;

		if (!desc_is_table(l1e)) {
			ipa = l1_end;
			continue;
		}
		l2 = next_table(t, l1e);
		while (ipa < l1_end) {
			ipa_t l2_end = region_end(ipa, S2_BLOCK_SIZE, l1_end);
			uint64_t l2e = l2[l2_index(ipa)];

			if (desc_is_block(l2e))
				return false;
			if (desc_is_table(l2e)) {
				const uint64_t *l3 = next_table(t, l2e);

				for (ipa_t a = ipa; a < l2_end; a += S2_PAGE_SIZE)
					if (desc_valid(l3[l3_index(a)]))
						return false;
			}
			ipa = l2_end;
		}
	}
	return true;
}

/*
 * One pass of s2_map over a range known to be free. With write == false it
 * only links in the tables the mapping needs (the step that can fail); with
 * write == true it fills in the leaves and cannot fail, because the first
 * pass left every table in place. Both passes make the same block/page
 * choice: a block never shares its 2 MiB region with a page of the range,
 * so the first pass does not change what the second one sees.
 */
static int map_pass(struct s2_table *t, ipa_t ipa, paddr_t pa, ipa_t end,
		    unsigned flags, bool write)
{
	ipa_t a = ipa;

	while (a < end) {
		ipa_t l2_end = region_end(a, S2_BLOCK_SIZE, end);
		paddr_t oa = pa + (a - ipa);
		uint64_t *l2, *l2e, *l3;

		l2 = get_table(t, &t->root[l1_index(a)]);
		if (!l2)
			return -KEEL_ENOMEM;
		l2e = &l2[l2_index(a)];

		/*
		 * A block needs IPA and PA 2 MiB aligned and 2 MiB left to map.
		 * An L2 entry that already holds an (empty) L3 table keeps it:
		 * see the top of the file on why tables are never replaced.
		 */
		if (IS_ALIGNED(a, S2_BLOCK_SIZE) && IS_ALIGNED(oa, S2_BLOCK_SIZE) &&
		    end - a >= S2_BLOCK_SIZE && !desc_is_table(*l2e)) {
			if (write)
				*l2e = s2_leaf_desc(oa, flags, false);
			a = l2_end;
			continue;
		}

		l3 = get_table(t, l2e);
		if (!l3)
			return -KEEL_ENOMEM;
		if (write) {
			for (; a < l2_end; a += S2_PAGE_SIZE)
				l3[l3_index(a)] = s2_leaf_desc(pa + (a - ipa), flags, true);
		}
		a = l2_end;
	}
	return 0;
}

/* ipa, size aligned, size > 0 and [ipa, ipa + size) inside the IPA space. */
static bool ipa_range_ok(ipa_t ipa, uint64_t size)
{
	return size && IS_ALIGNED(ipa, S2_PAGE_SIZE) &&
	       IS_ALIGNED(size, S2_PAGE_SIZE) &&
	       ipa < S2_IPA_LIMIT && size <= S2_IPA_LIMIT - ipa;
}

/*
 * On -KEEL_ENOMEM nothing has been mapped, but some empty tables may have
 * been linked in; they are harmless (no valid entries) and reused later.
 */
int s2_map(struct s2_table *t, ipa_t ipa, paddr_t pa, uint64_t size, unsigned flags)
{
	ipa_t end = ipa + size;
	int ret;

	if (!ipa_range_ok(ipa, size) || !IS_ALIGNED(pa, S2_PAGE_SIZE) ||
	    pa >= S2_PA_LIMIT || size > S2_PA_LIMIT - pa)
		return -KEEL_EINVAL;
	/* A mapping nobody may read, write or execute only hides bugs. */
	if ((flags & ~S2_FLAGS_ALL) || !(flags & S2_RWX))
		return -KEEL_EINVAL;

	/* Check everything first so that a refusal changes nothing. */
	if (!range_is_free(t, ipa, end))
		return -KEEL_EEXIST;

	ret = map_pass(t, ipa, pa, end, flags, false);
	if (ret)
		return ret;
	return map_pass(t, ipa, pa, end, flags, true);
}

/*
 * Replace the block at *l2e with a table of 512 pages mapping the same
 * frames with the same attributes, so part of it can then be unmapped.
 */
static int split_block(struct s2_table *t, uint64_t *l2e)
{
	uint64_t attrs = *l2e & S2_LEAF_ATTR_MASK;
	paddr_t base = *l2e & S2_BLOCK_OA_MASK;
	uint64_t *l3;
	paddr_t l3_pa;

	l3 = alloc_table(t, &l3_pa);
	if (!l3)
		return -KEEL_ENOMEM;
	/* Block and page descriptors share attribute bit positions (B3.6.1). */
	for (unsigned i = 0; i < S2_ENTRIES; i++)
		l3[i] = attrs | (base + (uint64_t)i * S2_PAGE_SIZE) | S2_DESC_PAGE;
	/* Fill the table before it becomes reachable. */
	*l2e = l3_pa | S2_DESC_TABLE;
	return 0;
}

/*
 * Nothing is freed: tables emptied here stay linked in for later mappings.
 * On -KEEL_ENOMEM (a block that needed splitting could not be) nothing has
 * been unmapped; a block may have been split into equivalent pages.
 */
int s2_unmap(struct s2_table *t, ipa_t ipa, uint64_t size)
{
	ipa_t end = ipa + size;
	ipa_t a;

	if (!ipa_range_ok(ipa, size))
		return -KEEL_EINVAL;

	/*
	 * Pass 1: split the blocks the range covers only in part. Only the
	 * 2 MiB regions at its two ends can be such; doing this first means
	 * running out of tables leaves every mapping in place.
	 */
	for (a = ipa; a < end; a = region_end(a, S2_BLOCK_SIZE, end)) {
		ipa_t l2_end = region_end(a, S2_BLOCK_SIZE, end);
		uint64_t l1e = t->root[l1_index(a)];
		uint64_t *l2e;
		int ret;

		if (!desc_is_table(l1e))
			continue;
		l2e = &next_table(t, l1e)[l2_index(a)];
		if (!desc_is_block(*l2e) || l2_end - a == S2_BLOCK_SIZE)
			continue;
		ret = split_block(t, l2e);
		if (ret)
			return ret;
	}

	/* Pass 2: clear. Whole blocks go at level 2, the rest at level 3. */
	for (a = ipa; a < end; ) {
		ipa_t l2_end = region_end(a, S2_BLOCK_SIZE, end);
		uint64_t l1e = t->root[l1_index(a)];
		uint64_t *l2e, *l3;

		if (!desc_is_table(l1e)) {
			a = region_end(a, S2_L1_SIZE, end);
			continue;
		}
		l2e = &next_table(t, l1e)[l2_index(a)];
		if (desc_is_block(*l2e)) {
			*l2e = 0;
		} else if (desc_is_table(*l2e)) {
			l3 = next_table(t, *l2e);
			for (ipa_t p = a; p < l2_end; p += S2_PAGE_SIZE)
				l3[l3_index(p)] = 0;
		}
		a = l2_end;
	}
	return 0;
}

int s2_lookup(const struct s2_table *t, ipa_t ipa, paddr_t *pa, unsigned *flags,
	      uint64_t *block_size)
{
	uint64_t d, size;
	const uint64_t *tbl;

	if (ipa >= S2_IPA_LIMIT)
		return -KEEL_ENOENT;

	d = t->root[l1_index(ipa)];
	if (!desc_is_table(d))
		return -KEEL_ENOENT;
	tbl = next_table(t, d);
	d = tbl[l2_index(ipa)];
	if (desc_is_block(d)) {
		size = S2_BLOCK_SIZE;
	} else if (desc_is_table(d)) {
		tbl = next_table(t, d);
		d = tbl[l3_index(ipa)];
		/* 0b01 at level 3 is reserved: as unmapped as 0b00. */
		if ((d & S2_DESC_TYPE_MASK) != S2_DESC_PAGE)
			return -KEEL_ENOENT;
		size = S2_PAGE_SIZE;
	} else {
		return -KEEL_ENOENT;
	}

	if (pa)
		*pa = (d & S2_OA_MASK & ~(size - 1)) | (ipa & (size - 1));
	if (flags)
		*flags = leaf_flags(d);
	if (block_size)
		*block_size = size;
	return 0;
}

int s2_walk(const struct s2_table *t, s2_walk_fn fn, void *arg)
{
	for (unsigned i = 0; i < S2_L1_ENTRIES; i++) {
		uint64_t l1e = t->root[i];
		const uint64_t *l2;

		if (!desc_is_table(l1e))
			continue;
		l2 = next_table(t, l1e);
		for (unsigned j = 0; j < S2_ENTRIES; j++) {
			ipa_t l2_ipa = ((ipa_t)i << S2_L1_SHIFT) | ((ipa_t)j << S2_L2_SHIFT);
			uint64_t l2e = l2[j];
			const uint64_t *l3;
			int ret;

			if (desc_is_block(l2e)) {
				ret = fn(arg, l2_ipa, l2e & S2_BLOCK_OA_MASK,
					 S2_BLOCK_SIZE, leaf_flags(l2e));
				if (ret)
					return ret;
				continue;
			}
			if (!desc_is_table(l2e))
				continue;
			l3 = next_table(t, l2e);
			for (unsigned k = 0; k < S2_ENTRIES; k++) {
				uint64_t l3e = l3[k];

				if ((l3e & S2_DESC_TYPE_MASK) != S2_DESC_PAGE)
					continue;
				ret = fn(arg, l2_ipa | ((ipa_t)k << S2_L3_SHIFT),
					 l3e & S2_OA_MASK, S2_PAGE_SIZE,
					 leaf_flags(l3e));
				if (ret)
					return ret;
			}
		}
	}
	return 0;
}
