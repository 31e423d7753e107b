/* SPDX-License-Identifier: MIT */
/*
 * Stage-2 table builder (arch/arm32/stage2.c) on the host. Tables come from
 * a static arena that pretends to live at physical 0x80000000, so the
 * descriptors hold realistic PAs and every table reached through one goes
 * through phys_to_virt. Expected descriptor values are spelled out here from
 * the ARM ARM bit positions, not taken from stage2.c.
 */
#include "unit.h"
#include <arch/stage2.h>
#include <keel/errno.h>

/* Descriptor bits, written out independently of stage2.c (B3.6.1, B3.6.2). */
#define D_BLOCK		0x1ull
#define D_TABLE		0x3ull
#define D_PAGE		0x3ull
#define D_NORMAL	(0xfull << 2)
#define D_DEVICE	(0x1ull << 2)
#define D_HAP_R		(0x1ull << 6)
#define D_HAP_W		(0x2ull << 6)
#define D_SH_IS		(0x3ull << 8)
#define D_AF		(0x1ull << 10)
#define D_XN		(0x1ull << 54)
#define D_ADDR		0x000000fffffff000ull

#define ARENA_TABLES	256
#define ARENA_PA	0x80000000ull

static _Alignas(4096) uint64_t arena[ARENA_TABLES][512];
static unsigned arena_used;
static unsigned arena_limit;
static bool arena_dirty;	/* hand out tables without zeroing them */

static void *arena_alloc(void *ctx)
{
	(void)ctx;
	if (arena_used >= arena_limit)
		return NULL;
	if (!arena_dirty)
		memset(arena[arena_used], 0, sizeof(arena[0]));
	return arena[arena_used++];
}

static paddr_t arena_v2p(void *ctx, void *va)
{
	uintptr_t off = (uintptr_t)va - (uintptr_t)arena;

	(void)ctx;
	CHECK(off < sizeof(arena));
	return ARENA_PA + off;
}

static void *arena_p2v(void *ctx, paddr_t pa)
{
	(void)ctx;
	/* Only handed-out tables may be reached through a descriptor. */
	if (pa < ARENA_PA || pa >= ARENA_PA + (paddr_t)arena_used * 4096 ||
	    (pa & 0xfff)) {
		CHECK(!"phys_to_virt of an address that is no table");
		abort();
	}
	return (char *)arena + (pa - ARENA_PA);
}

static const struct s2_mm_ops ops = {
	.alloc_table = arena_alloc,
	.virt_to_phys = arena_v2p,
	.phys_to_virt = arena_p2v,
	.ctx = NULL,
};

static struct s2_table T;

/* Fresh arena (poisoned so unallocated memory is never mistaken for zero). */
static void setup(void)
{
	memset(arena, 0xa5, sizeof(arena));
	arena_used = 0;
	arena_limit = ARENA_TABLES;
	arena_dirty = false;
	CHECK_EQ(s2_init(&T, &ops), 0);
}

/* ---- reading the tables back through the arena ------------------------- */

static uint64_t *tbl_at(uint64_t desc)
{
	static uint64_t none[512];

	/* A failed check, not a crash that would hide the other cases. */
	CHECK_EQ(desc & 3, D_TABLE);
	if ((desc & 3) != D_TABLE) {
		memset(none, 0, sizeof(none));
		return none;
	}
	return arena_p2v(NULL, desc & D_ADDR);
}

/* Raw L2 entry for ipa (0 if its L1 entry is empty). */
static uint64_t raw_l2(ipa_t ipa)
{
	uint64_t l1e = T.root[(ipa >> 30) & 3];

	if (!l1e)
		return 0;
	return tbl_at(l1e)[(ipa >> 21) & 511];
}

/* Raw L3 entry for ipa (0 if there is no L3 table). */
static uint64_t raw_l3(ipa_t ipa)
{
	uint64_t l2e = raw_l2(ipa);

	if ((l2e & 3) != D_TABLE)
		return 0;
	return tbl_at(l2e)[(ipa >> 12) & 511];
}

/* ---- s2_walk collector -------------------------------------------------- */

struct leaf {
	ipa_t ipa;
	paddr_t pa;
	uint64_t size;
	unsigned flags;
};

#define MAX_LEAVES 2048

struct collect {
	struct leaf l[MAX_LEAVES];
	unsigned n;
	unsigned stop_at;	/* return stop_ret on the stop_at-th leaf (1-based) */
	int stop_ret;
};

static struct collect C;

static int collect_fn(void *arg, ipa_t ipa, paddr_t pa, uint64_t size, unsigned flags)
{
	struct collect *c = arg;

	if (c->n < MAX_LEAVES)
		c->l[c->n] = (struct leaf){ ipa, pa, size, flags };
	c->n++;
	if (c->stop_at && c->n == c->stop_at)
		return c->stop_ret;
	return 0;
}

static unsigned walk_all(void)
{
	memset(&C, 0, sizeof(C));
	CHECK_EQ(s2_walk(&T, collect_fn, &C), 0);
	return C.n;
}

/* Snapshot of everything the builder could have touched. */
static uint64_t snap[ARENA_TABLES][512];
static unsigned snap_used;

static void snapshot(void)
{
	memcpy(snap, arena, sizeof(arena));
	snap_used = arena_used;
}

static bool unchanged(void)
{
	return arena_used == snap_used && !memcmp(snap, arena, sizeof(arena));
}

/* ---- s2_leaf_desc -------------------------------------------------------- */

TEST(leaf_desc_literal_values)
{
	/* RW Normal block at 0x48000000: XN | PA | AF SH=11 HAP=11 WB 0b01. */
	CHECK_EQ(s2_leaf_desc(0x48000000, S2_RW, false), 0x00400000480007fdull);
	/* RWX Normal page at 0x48001000: no XN, type 0b11. */
	CHECK_EQ(s2_leaf_desc(0x48001000, S2_RWX, true), 0x00000000480017ffull);
	/* RW Device page at 0x09000000: MemAttr 0b0001, SH 00, XN. */
	CHECK_EQ(s2_leaf_desc(0x09000000, S2_RW | S2_DEVICE, true), 0x00400000090004c7ull);
	/* Read-only Device block with a 40-bit PA. */
	CHECK_EQ(s2_leaf_desc(0xffffe00000ull, S2_R | S2_DEVICE, false),
		 0x004000ffffe00445ull);
}

TEST(leaf_desc_every_permission)
{
	for (unsigned f = 0; f < 16; f++) {
		char label[32];
		bool dev = f & S2_DEVICE;
		uint64_t attrs = D_AF | (dev ? D_DEVICE : D_NORMAL | D_SH_IS) |
				 ((f & S2_R) ? D_HAP_R : 0) |
				 ((f & S2_W) ? D_HAP_W : 0) |
				 ((f & S2_X) ? 0 : D_XN);

		snprintf(label, sizeof(label), "flags=%#x", f);
		CHECK_EQ_MSG(s2_leaf_desc(0x12345000ull, f, true),
			     0x12345000ull | attrs | D_PAGE, label);
		CHECK_EQ_MSG(s2_leaf_desc(0x12200000ull, f, false),
			     0x12200000ull | attrs | D_BLOCK, label);
		/* XN iff no S2_X, on both kinds. */
		CHECK_EQ_MSG(!!(s2_leaf_desc(0, f, true) & D_XN), !(f & S2_X), label);
		CHECK_EQ_MSG(!!(s2_leaf_desc(0, f, false) & D_XN), !(f & S2_X), label);
	}
}

/* ---- init ---------------------------------------------------------------- */

TEST(init_empty_table)
{
	setup();
	CHECK_EQ(arena_used, 1);
	CHECK(T.root == arena[0]);
	CHECK_EQ(T.root_pa, ARENA_PA);
	for (unsigned i = 0; i < 512; i++)
		CHECK_EQ(T.root[i], 0);
	CHECK_EQ(walk_all(), 0);
	CHECK_EQ(s2_lookup(&T, 0x40000000, NULL, NULL, NULL), -KEEL_ENOENT);
}

TEST(init_enomem)
{
	setup();
	arena_used = 0;
	arena_limit = 0;
	CHECK_EQ(s2_init(&T, &ops), -KEEL_ENOMEM);
	CHECK(T.root == NULL);
}

/* ---- block / page choice ------------------------------------------------- */

TEST(aligned_2mib_is_one_block)
{
	setup();
	CHECK_EQ(s2_map(&T, 0x40000000, 0x48000000, 0x200000, S2_RWX), 0);
	/* Root + one L2 table, no L3. */
	CHECK_EQ(arena_used, 2);
	CHECK_EQ(T.root[1], (ARENA_PA + 0x1000) | D_TABLE);
	CHECK_EQ(T.root[0], 0);
	CHECK_EQ(raw_l2(0x40000000), 0x48000000ull | D_AF | D_SH_IS | D_HAP_R |
		 D_HAP_W | D_NORMAL | D_BLOCK);
	CHECK_EQ(raw_l2(0x40200000), 0);
	CHECK_EQ(walk_all(), 1);
	CHECK_EQ(C.l[0].ipa, 0x40000000);
	CHECK_EQ(C.l[0].pa, 0x48000000);
	CHECK_EQ(C.l[0].size, 0x200000);
	CHECK_EQ(C.l[0].flags, S2_RWX);
}

TEST(unaligned_pa_gives_pages)
{
	setup();
	/* IPA aligned, PA off by 4 KiB: no block possible. */
	CHECK_EQ(s2_map(&T, 0x40000000, 0x48001000, 0x200000, S2_RW), 0);
	CHECK_EQ(arena_used, 3);
	CHECK_EQ(raw_l2(0x40000000) & 3, D_TABLE);
	CHECK_EQ(walk_all(), 512);
	for (unsigned i = 0; i < 512 && i < C.n; i++) {
		CHECK_EQ(C.l[i].ipa, 0x40000000ull + i * 0x1000ull);
		CHECK_EQ(C.l[i].pa, 0x48001000ull + i * 0x1000ull);
		CHECK_EQ(C.l[i].size, 0x1000);
		CHECK_EQ(C.l[i].flags, S2_RW);
	}
	CHECK_EQ(raw_l3(0x40000000), 0x48001000ull | D_AF | D_SH_IS | D_HAP_R |
		 D_HAP_W | D_NORMAL | D_XN | D_PAGE);
}

TEST(small_unaligned_range_gives_pages)
{
	setup();
	CHECK_EQ(s2_map(&T, 0x40001000, 0x48001000, 0x2000, S2_R), 0);
	CHECK_EQ(walk_all(), 2);
	CHECK_EQ(C.l[0].ipa, 0x40001000);
	CHECK_EQ(C.l[1].ipa, 0x40002000);
	CHECK_EQ(C.l[1].pa, 0x48002000);
	CHECK_EQ(C.l[0].size, 0x1000);
	CHECK_EQ(raw_l3(0x40000000), 0);
	CHECK_EQ(raw_l3(0x40003000), 0);
}

TEST(aligned_but_short_gives_pages)
{
	setup();
	/* 2 MiB aligned, but only 1 MiB long: pages. */
	CHECK_EQ(s2_map(&T, 0x40000000, 0x48000000, 0x100000, S2_RW), 0);
	CHECK_EQ(walk_all(), 256);
	CHECK_EQ(C.l[255].ipa, 0x400ff000);
	CHECK_EQ(C.l[255].size, 0x1000);
}

TEST(mixed_range_pages_blocks_pages)
{
	setup();
	/* 1 MiB of pages, two 2 MiB blocks, 1 MiB of pages. */
	CHECK_EQ(s2_map(&T, 0x40100000, 0x48100000, 0x600000, S2_RW), 0);
	CHECK_EQ(walk_all(), 256 + 2 + 256);
	if (C.n != 514)
		return;
	for (unsigned i = 0; i < 514; i++) {
		ipa_t want_ipa;
		uint64_t want_size;

		if (i < 256) {
			want_ipa = 0x40100000ull + i * 0x1000ull;
			want_size = 0x1000;
		} else if (i < 258) {
			want_ipa = 0x40200000ull + (i - 256) * 0x200000ull;
			want_size = 0x200000;
		} else {
			want_ipa = 0x40600000ull + (i - 258) * 0x1000ull;
			want_size = 0x1000;
		}
		CHECK_EQ(C.l[i].ipa, want_ipa);
		CHECK_EQ(C.l[i].pa, want_ipa + 0x08000000ull);
		CHECK_EQ(C.l[i].size, want_size);
		CHECK_EQ(C.l[i].flags, S2_RW);
	}
	CHECK_EQ(raw_l2(0x40200000) & 3, D_BLOCK);
	CHECK_EQ(raw_l2(0x40400000) & 3, D_BLOCK);
	CHECK_EQ(raw_l2(0x40000000) & 3, D_TABLE);
	CHECK_EQ(raw_l2(0x40600000) & 3, D_TABLE);
	/* Root, L2, two L3 tables. */
	CHECK_EQ(arena_used, 4);
}

TEST(guest_ram_64mib_uses_32_blocks)
{
	setup();
	CHECK_EQ(s2_map(&T, 0x40000000, 0x48000000, 64ull << 20, S2_RWX), 0);
	CHECK_EQ(arena_used, 2);
	CHECK_EQ(walk_all(), 32);
	for (unsigned i = 0; i < 32 && i < C.n; i++) {
		CHECK_EQ(C.l[i].ipa, 0x40000000ull + i * 0x200000ull);
		CHECK_EQ(C.l[i].pa, 0x48000000ull + i * 0x200000ull);
		CHECK_EQ(C.l[i].size, 0x200000);
		CHECK_EQ(C.l[i].flags, S2_RWX);
	}
}

TEST(range_across_1gib_boundary)
{
	setup();
	CHECK_EQ(s2_map(&T, 0x3fe00000, 0x7fe00000, 0x400000, S2_RW), 0);
	CHECK_EQ(T.root[0] & 3, D_TABLE);
	CHECK_EQ(T.root[1] & 3, D_TABLE);
	CHECK_EQ(walk_all(), 2);
	CHECK_EQ(C.l[0].ipa, 0x3fe00000);
	CHECK_EQ(C.l[1].ipa, 0x40000000);
	CHECK_EQ(C.l[1].pa, 0x80000000);
}

TEST(top_of_ipa_space_and_40bit_pa)
{
	paddr_t pa;

	setup();
	CHECK_EQ(s2_map(&T, 0xffe00000, 0xffffe00000ull, 0x200000, S2_RW), 0);
	CHECK_EQ(s2_lookup(&T, 0xfffff000, &pa, NULL, NULL), 0);
	CHECK_EQ(pa, 0xfffffff000ull);
	CHECK_EQ(raw_l2(0xffe00000) & D_ADDR, 0xffffe00000ull);
}

/* ---- permissions and memory type through s2_map ------------------------ */

TEST(map_permissions_and_type)
{
	static const unsigned perms[] = {
		S2_R, S2_W, S2_X, S2_R | S2_W, S2_R | S2_X, S2_W | S2_X, S2_RWX,
	};

	setup();
	for (unsigned i = 0; i < ARRAY_SIZE(perms); i++) {
		for (unsigned dev = 0; dev < 2; dev++) {
			unsigned f = perms[i] | (dev ? S2_DEVICE : 0);
			ipa_t blk = 0x40000000ull + (i * 2 + dev) * 0x400000ull;
			ipa_t pg = 0x80000000ull + (i * 2 + dev) * 0x1000ull;
			uint64_t attrs = D_AF | (dev ? D_DEVICE : D_NORMAL | D_SH_IS) |
					 ((f & S2_R) ? D_HAP_R : 0) |
					 ((f & S2_W) ? D_HAP_W : 0) |
					 ((f & S2_X) ? 0 : D_XN);
			unsigned got = ~0u;
			char label[32];

			snprintf(label, sizeof(label), "flags=%#x", f);
			CHECK_EQ_MSG(s2_map(&T, blk, blk + 0x10000000, 0x200000, f), 0, label);
			CHECK_EQ_MSG(s2_map(&T, pg, pg + 0x10000000, 0x1000, f), 0, label);
			CHECK_EQ_MSG(raw_l2(blk), (blk + 0x10000000) | attrs | D_BLOCK, label);
			CHECK_EQ_MSG(raw_l3(pg), (pg + 0x10000000) | attrs | D_PAGE, label);
			CHECK_EQ_MSG(s2_lookup(&T, blk + 0x1234, NULL, &got, NULL), 0, label);
			CHECK_EQ_MSG(got, f, label);
			got = ~0u;
			CHECK_EQ_MSG(s2_lookup(&T, pg, NULL, &got, NULL), 0, label);
			CHECK_EQ_MSG(got, f, label);
		}
	}
}

/* ---- refusals ------------------------------------------------------------ */

TEST(overlap_refused_table_unchanged)
{
	static const struct {
		ipa_t ipa;
		paddr_t pa;
		uint64_t size;
		const char *what;
	} bad[] = {
		{ 0x40200000, 0x50200000, 0x200000, "same block range" },
		{ 0x40008000, 0x50008000, 0x10000, "same page range" },
		{ 0x401ff000, 0x501ff000, 0x2000, "overlaps block start" },
		{ 0x403ff000, 0x503ff000, 0x2000, "overlaps block end" },
		{ 0x40300000, 0x50300000, 0x1000, "page inside block" },
		{ 0x40000000, 0x50000000, 0x200000, "block over pages" },
		{ 0x40001000, 0x50001000, 0x8000, "free pages, then first page" },
		{ 0x40017000, 0x50017000, 0x2000, "last page, then free page" },
		{ 0x40010000, 0x50010000, 0x1000, "one page in the middle" },
		{ 0x40001000, 0x50001000, 0x100000, "covers all pages" },
		{ 0x3fe00000, 0x7fe00000, 0x209000, "free 2 MiB, then mapped page" },
		{ 0x00000000, 0x10000000, 0x40201000, "1 GiB free, then block" },
	};

	setup();
	CHECK_EQ(s2_map(&T, 0x40200000, 0x48200000, 0x200000, S2_RW), 0);
	/* Pages in the middle of their 2 MiB region, not at its start. */
	CHECK_EQ(s2_map(&T, 0x40008000, 0x48008000, 0x10000, S2_RW), 0);
	snapshot();
	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		CHECK_EQ_MSG(s2_map(&T, bad[i].ipa, bad[i].pa, bad[i].size, S2_RWX),
			     -KEEL_EEXIST, bad[i].what);
		CHECK_EQ_MSG(unchanged(), 1, bad[i].what);
	}
	/* Right next to the mappings is fine. */
	CHECK_EQ(s2_map(&T, 0x40007000, 0x48007000, 0x1000, S2_RW), 0);
	CHECK_EQ(s2_map(&T, 0x40018000, 0x48018000, 0x1000, S2_RW), 0);
	CHECK_EQ(s2_map(&T, 0x40400000, 0x48400000, 0x1000, S2_RW), 0);
}

TEST(bad_arguments_einval)
{
	static const struct {
		ipa_t ipa;
		paddr_t pa;
		uint64_t size;
		unsigned f;
		const char *what;
	} bad[] = {
		{ 0x40000800, 0x48000000, 0x1000, S2_RW, "ipa misaligned" },
		{ 0x40000000, 0x48000800, 0x1000, S2_RW, "pa misaligned" },
		{ 0x40000000, 0x48000000, 0x1800, S2_RW, "size misaligned" },
		{ 0x40000000, 0x48000000, 0, S2_RW, "zero size" },
		{ 0xfffff000, 0x48000000, 0x2000, S2_RW, "ipa range past 4 GiB" },
		{ 0x100000000ull, 0x48000000, 0x1000, S2_RW, "ipa at 4 GiB" },
		{ 0x1000, 0x48000000, 0xfffffffffffff000ull, S2_RW, "size wraps" },
		{ 0x40000000, 0xfffffff000ull, 0x2000, S2_RW, "pa range past 40 bits" },
		{ 0x40000000, 0x10000000000ull, 0x1000, S2_RW, "pa at 2^40" },
		{ 0x40000000, 0x48000000, 0x1000, 0, "no flags" },
		{ 0x40000000, 0x48000000, 0x1000, S2_DEVICE, "device, no access" },
		{ 0x40000000, 0x48000000, 0x1000, S2_RW | 0x10, "unknown flag" },
		{ 0x40000000, 0x48000000, 0x1000, S2_RW | 0x80000000u, "unknown high flag" },
	};

	setup();
	snapshot();
	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		CHECK_EQ_MSG(s2_map(&T, bad[i].ipa, bad[i].pa, bad[i].size, bad[i].f),
			     -KEEL_EINVAL, bad[i].what);
		CHECK_EQ_MSG(unchanged(), 1, bad[i].what);
	}
	/* The last page of the IPA space and the last frame below 2^40 are fine. */
	CHECK_EQ(s2_map(&T, 0xfffff000, 0xfffffff000ull, 0x1000, S2_R), 0);

	snapshot();
	CHECK_EQ(s2_unmap(&T, 0x40000800, 0x1000), -KEEL_EINVAL);
	CHECK_EQ(s2_unmap(&T, 0x40000000, 0x800), -KEEL_EINVAL);
	CHECK_EQ(s2_unmap(&T, 0x40000000, 0), -KEEL_EINVAL);
	CHECK_EQ(s2_unmap(&T, 0xfffff000, 0x2000), -KEEL_EINVAL);
	CHECK_EQ(s2_unmap(&T, 0x1000, 0xfffffffffffff000ull), -KEEL_EINVAL);
	CHECK(unchanged());
}

/* ---- running out of tables --------------------------------------------- */

TEST(enomem_maps_nothing)
{
	setup();
	/* Room for the L2 table but not the L3 one the pages need. */
	arena_limit = 2;
	CHECK_EQ(s2_map(&T, 0x40000000, 0x48000000, 0x201000, S2_RW), -KEEL_ENOMEM);
	CHECK_EQ(walk_all(), 0);
	CHECK_EQ(s2_lookup(&T, 0x40000000, NULL, NULL, NULL), -KEEL_ENOENT);
	CHECK_EQ(s2_lookup(&T, 0x40200000, NULL, NULL, NULL), -KEEL_ENOENT);

	/*
	 * The block in the second 1 GiB could be written, the L2 table for
	 * the third cannot be had: the block must not be there either.
	 */
	CHECK_EQ(s2_map(&T, 0x7fe00000, 0x48000000, 0x400000, S2_RW), -KEEL_ENOMEM);
	CHECK_EQ(walk_all(), 0);
	CHECK_EQ(T.root[2], 0);

	/* With more room the same calls succeed and reuse what was linked. */
	arena_limit = 4;
	CHECK_EQ(s2_map(&T, 0x40000000, 0x48000000, 0x201000, S2_RW), 0);
	CHECK_EQ(arena_used, 3);
	CHECK_EQ(walk_all(), 2);
	CHECK_EQ(C.l[0].size, 0x200000);
	CHECK_EQ(C.l[1].ipa, 0x40200000);
	CHECK_EQ(C.l[1].size, 0x1000);
	CHECK_EQ(s2_map(&T, 0x3fe00000, 0x47c00000, 0x200000, S2_RW), 0);
	CHECK_EQ(arena_used, 4);

	/* Now full: a map needing a fresh table fails, one that does not works. */
	CHECK_EQ(s2_map(&T, 0x80000000, 0x48000000, 0x1000, S2_RW), -KEEL_ENOMEM);
	CHECK_EQ(s2_map(&T, 0x40201000, 0x48201000, 0x1000, S2_RW), 0);
	CHECK_EQ(s2_map(&T, 0x40400000, 0x48400000, 0x200000, S2_RW), 0);
}

TEST(enomem_on_split_keeps_block)
{
	uint64_t size = 0;
	paddr_t pa = 0;

	setup();
	CHECK_EQ(s2_map(&T, 0x40000000, 0x48000000, 0x200000, S2_RW), 0);
	arena_limit = arena_used;
	snapshot();
	CHECK_EQ(s2_unmap(&T, 0x40100000, 0x1000), -KEEL_ENOMEM);
	CHECK(unchanged());
	CHECK_EQ(s2_lookup(&T, 0x40100000, &pa, NULL, &size), 0);
	CHECK_EQ(pa, 0x48100000);
	CHECK_EQ(size, 0x200000);
	/* Unmapping all of it needs no table. */
	CHECK_EQ(s2_unmap(&T, 0x40000000, 0x200000), 0);
	CHECK_EQ(walk_all(), 0);
}

/* ---- unmap --------------------------------------------------------------- */

TEST(unmap_whole_block)
{
	setup();
	CHECK_EQ(s2_map(&T, 0x40000000, 0x48000000, 0x400000, S2_RW), 0);
	CHECK_EQ(s2_unmap(&T, 0x40000000, 0x200000), 0);
	CHECK_EQ(raw_l2(0x40000000), 0);
	CHECK_EQ(s2_lookup(&T, 0x40000000, NULL, NULL, NULL), -KEEL_ENOENT);
	CHECK_EQ(s2_lookup(&T, 0x401ff000, NULL, NULL, NULL), -KEEL_ENOENT);
	CHECK_EQ(walk_all(), 1);
	CHECK_EQ(C.l[0].ipa, 0x40200000);
	CHECK_EQ(C.l[0].size, 0x200000);
	/* No split, so no table was needed. */
	CHECK_EQ(arena_used, 2);
	/* The hole can be mapped again, as a block. */
	CHECK_EQ(s2_map(&T, 0x40000000, 0x58000000, 0x200000, S2_R), 0);
	CHECK_EQ(raw_l2(0x40000000) & 3, D_BLOCK);
	CHECK_EQ(raw_l2(0x40000000) & D_ADDR, 0x58000000);
}

TEST(unmap_part_of_block_splits)
{
	unsigned flags = 0;
	uint64_t size = 0;
	paddr_t pa = 0;
	uint64_t attrs = D_AF | D_DEVICE | D_HAP_R | D_XN;

	setup();
	CHECK_EQ(s2_map(&T, 0x40000000, 0x48000000, 0x200000, S2_R | S2_DEVICE), 0);
	CHECK_EQ(s2_unmap(&T, 0x40100000, 0x2000), 0);
	CHECK_EQ(raw_l2(0x40000000) & 3, D_TABLE);
	CHECK_EQ(arena_used, 3);

	CHECK_EQ(s2_lookup(&T, 0x40100000, NULL, NULL, NULL), -KEEL_ENOENT);
	CHECK_EQ(s2_lookup(&T, 0x40101fff, NULL, NULL, NULL), -KEEL_ENOENT);
	CHECK_EQ(s2_lookup(&T, 0x400ff004, &pa, &flags, &size), 0);
	CHECK_EQ(pa, 0x480ff004);
	CHECK_EQ(flags, S2_R | S2_DEVICE);
	CHECK_EQ(size, 0x1000);
	CHECK_EQ(s2_lookup(&T, 0x40102000, &pa, &flags, &size), 0);
	CHECK_EQ(pa, 0x48102000);

	/* Every surviving page keeps the block's PA and attributes. */
	CHECK_EQ(walk_all(), 510);
	for (unsigned i = 0, k = 0; i < 512 && k < C.n; i++) {
		ipa_t ipa = 0x40000000ull + i * 0x1000ull;

		if (i == 256 || i == 257) {
			CHECK_EQ(raw_l3(ipa), 0);
			continue;
		}
		CHECK_EQ(raw_l3(ipa), (ipa + 0x08000000) | attrs | D_PAGE);
		CHECK_EQ(C.l[k].ipa, ipa);
		CHECK_EQ(C.l[k].pa, ipa + 0x08000000);
		CHECK_EQ(C.l[k].size, 0x1000);
		CHECK_EQ(C.l[k].flags, S2_R | S2_DEVICE);
		k++;
	}

	/* The hole can be mapped again, elsewhere and with other rights. */
	CHECK_EQ(s2_map(&T, 0x40100000, 0x60000000, 0x2000, S2_RWX), 0);
	CHECK_EQ(s2_lookup(&T, 0x40101000, &pa, &flags, NULL), 0);
	CHECK_EQ(pa, 0x60001000);
	CHECK_EQ(flags, S2_RWX);
	CHECK_EQ(arena_used, 3);
	CHECK_EQ(walk_all(), 512);
}

TEST(unmap_across_two_blocks_splits_both)
{
	setup();
	CHECK_EQ(s2_map(&T, 0x40000000, 0x48000000, 0x400000, S2_RW), 0);
	/* Second half of the first block, first half of the second. */
	CHECK_EQ(s2_unmap(&T, 0x40100000, 0x200000), 0);
	CHECK_EQ(arena_used, 4);
	CHECK_EQ(walk_all(), 512);
	CHECK_EQ(C.l[255].ipa, 0x400ff000);
	CHECK_EQ(C.l[256].ipa, 0x40300000);
	CHECK_EQ(C.l[256].pa, 0x48300000);
	CHECK_EQ(C.l[511].ipa, 0x403ff000);
}

TEST(unmap_pages_and_unmapped_ranges)
{
	setup();
	CHECK_EQ(s2_map(&T, 0x40100000, 0x48100000, 0x600000, S2_RW), 0);
	/* Nothing mapped there: succeeds, changes nothing. */
	snapshot();
	CHECK_EQ(s2_unmap(&T, 0x00000000, 0x40000000), 0);
	CHECK_EQ(s2_unmap(&T, 0x40000000, 0x100000), 0);
	CHECK(unchanged());
	/* Everything at once: pages, blocks, pages. */
	CHECK_EQ(s2_unmap(&T, 0x40000000, 0x1000000), 0);
	CHECK_EQ(walk_all(), 0);
	CHECK_EQ(raw_l2(0x40200000), 0);
	/* Remapping reuses the now empty tables. */
	CHECK_EQ(s2_map(&T, 0x40100000, 0x48100000, 0x600000, S2_RW), 0);
	CHECK_EQ(arena_used, 4);
	CHECK_EQ(walk_all(), 514);
}

TEST(block_after_split_reuses_l3_table)
{
	setup();
	CHECK_EQ(s2_map(&T, 0x40000000, 0x48000000, 0x200000, S2_RW), 0);
	CHECK_EQ(s2_unmap(&T, 0x40000000, 0x1000), 0);
	CHECK_EQ(s2_unmap(&T, 0x40001000, 0x1ff000), 0);
	CHECK_EQ(walk_all(), 0);
	CHECK_EQ(arena_used, 3);
	/* Tables are never freed: the region stays page-mapped, no leak. */
	CHECK_EQ(s2_map(&T, 0x40000000, 0x50000000, 0x200000, S2_RW), 0);
	CHECK_EQ(arena_used, 3);
	CHECK_EQ(walk_all(), 512);
	CHECK_EQ(C.l[511].pa, 0x501ff000);
}

TEST(tables_cleared_even_if_allocator_does_not)
{
	/* Poisoned memory (0xa5...) must never turn into guest mappings. */
	setup();
	arena_dirty = true;
	CHECK_EQ(s2_init(&T, &ops), 0);
	CHECK_EQ(s2_map(&T, 0x40001000, 0x48001000, 0x1000, S2_RW), 0);
	CHECK_EQ(walk_all(), 1);
	CHECK_EQ(C.l[0].ipa, 0x40001000);
	CHECK_EQ(s2_lookup(&T, 0x40002000, NULL, NULL, NULL), -KEEL_ENOENT);
	CHECK_EQ(s2_lookup(&T, 0x80000000, NULL, NULL, NULL), -KEEL_ENOENT);
}

TEST(reserved_l3_encoding_is_unmapped)
{
	uint64_t *l3;

	setup();
	CHECK_EQ(s2_map(&T, 0x40000000, 0x48000000, 0x1000, S2_RW), 0);
	/* 0b01 at level 3 is reserved and faults like an invalid entry. */
	l3 = tbl_at(raw_l2(0x40000000));
	l3[1] = s2_leaf_desc(0x48001000, S2_RW, false);
	CHECK_EQ(s2_lookup(&T, 0x40001000, NULL, NULL, NULL), -KEEL_ENOENT);
	CHECK_EQ(walk_all(), 1);
	CHECK_EQ(C.l[0].ipa, 0x40000000);
}

/* ---- lookup -------------------------------------------------------------- */

TEST(lookup_mapped_and_unmapped)
{
	paddr_t pa = 0;
	unsigned flags = 0;
	uint64_t size = 0;

	setup();
	CHECK_EQ(s2_map(&T, 0x40000000, 0x48000000, 0x200000, S2_RWX), 0);
	CHECK_EQ(s2_map(&T, 0x40201000, 0x09000000, 0x1000, S2_RW | S2_DEVICE), 0);

	CHECK_EQ(s2_lookup(&T, 0x401abcde, &pa, &flags, &size), 0);
	CHECK_EQ(pa, 0x481abcde);
	CHECK_EQ(flags, S2_RWX);
	CHECK_EQ(size, 0x200000);
	CHECK_EQ(s2_lookup(&T, 0x40201ffc, &pa, &flags, &size), 0);
	CHECK_EQ(pa, 0x09000ffc);
	CHECK_EQ(flags, S2_RW | S2_DEVICE);
	CHECK_EQ(size, 0x1000);
	/* All out-parameters optional. */
	CHECK_EQ(s2_lookup(&T, 0x40201000, NULL, NULL, NULL), 0);

	/* Empty L1 slot, empty L2 slot, empty L3 slot, beyond the IPA space. */
	pa = 0x1234;
	CHECK_EQ(s2_lookup(&T, 0x00000000, &pa, &flags, &size), -KEEL_ENOENT);
	CHECK_EQ(pa, 0x1234);
	CHECK_EQ(s2_lookup(&T, 0x40400000, NULL, NULL, NULL), -KEEL_ENOENT);
	CHECK_EQ(s2_lookup(&T, 0x40200000, NULL, NULL, NULL), -KEEL_ENOENT);
	CHECK_EQ(s2_lookup(&T, 0x40202000, NULL, NULL, NULL), -KEEL_ENOENT);
	CHECK_EQ(s2_lookup(&T, 0x140000000ull, NULL, NULL, NULL), -KEEL_ENOENT);
}

/* ---- walk ---------------------------------------------------------------- */

TEST(walk_in_ipa_order)
{
	setup();
	/* Mapped out of order, across all four L1 slots. */
	CHECK_EQ(s2_map(&T, 0xc0000000, 0x10000000, 0x1000, S2_R), 0);
	CHECK_EQ(s2_map(&T, 0x00200000, 0x20200000, 0x200000, S2_RW), 0);
	CHECK_EQ(s2_map(&T, 0x80000000, 0x30000000, 0x1000, S2_X), 0);
	CHECK_EQ(s2_map(&T, 0x00001000, 0x20001000, 0x1000, S2_W), 0);
	CHECK_EQ(s2_map(&T, 0x7fe00000, 0x40000000, 0x200000, S2_RWX), 0);
	CHECK_EQ(walk_all(), 5);
	CHECK_EQ(C.l[0].ipa, 0x00001000);
	CHECK_EQ(C.l[0].flags, S2_W);
	CHECK_EQ(C.l[1].ipa, 0x00200000);
	CHECK_EQ(C.l[1].size, 0x200000);
	CHECK_EQ(C.l[2].ipa, 0x7fe00000);
	CHECK_EQ(C.l[2].pa, 0x40000000);
	CHECK_EQ(C.l[3].ipa, 0x80000000);
	CHECK_EQ(C.l[3].flags, S2_X);
	CHECK_EQ(C.l[4].ipa, 0xc0000000);
	CHECK_EQ(C.l[4].pa, 0x10000000);
}

TEST(walk_early_stop)
{
	setup();
	CHECK_EQ(s2_map(&T, 0x40000000, 0x48000000, 0x600000, S2_RW), 0);
	CHECK_EQ(s2_map(&T, 0x40600000, 0x48600000, 0x3000, S2_RW), 0);

	memset(&C, 0, sizeof(C));
	C.stop_at = 2;
	C.stop_ret = 7;
	CHECK_EQ(s2_walk(&T, collect_fn, &C), 7);
	CHECK_EQ(C.n, 2);

	/* Stop on a page leaf, with a negative value. */
	memset(&C, 0, sizeof(C));
	C.stop_at = 5;
	C.stop_ret = -KEEL_EEXIST;
	CHECK_EQ(s2_walk(&T, collect_fn, &C), -KEEL_EEXIST);
	CHECK_EQ(C.n, 5);
	CHECK_EQ(C.l[4].ipa, 0x40601000);

	CHECK_EQ(walk_all(), 6);
}
