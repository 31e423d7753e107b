/* SPDX-License-Identifier: MIT */
/*
 * The memory proof (core/mem_proof.c). mem_proof_check() is pure logic over
 * runs of stage-2 mappings: no host frame in two partitions except inside a
 * channel between exactly those two (or the GIC's virtual CPU interface,
 * shared by all), and no mapping touching Keel's own memory. mem_prove()
 * gathers those runs from the partitions' tables; here arch_vm_walk(),
 * mem_keel_pages(), vms[] and the_board are small fakes defined below
 * (printk is fakes.c's).
 */
#include "unit.h"
#include "fakes.h"
#include <keel/arch.h>
#include <keel/board.h>
#include <keel/channel.h>
#include <keel/errno.h>
#include <keel/mem.h>
#include <keel/mem_proof.h>
#include <keel/vm.h>

static char why[512];

static const char *const names[] = { "alpha", "beta", "gamma", "delta" };

enum { A, B, C, D };

#define MAP(owner, ipa, pa, size) { owner, ipa, pa, size }
#define SHARE(pa, size, a, b)    { pa, size, a, b }

static const struct cfg_region keel_mem[] = {
	{ 0x40000000, 0x200000 },       /* Keel's image */
	{ 0x5f000000, 0x1000 },         /* a table page */
};
static const char *const keel_what[] = { "Keel's image", "one of Keel's table pages" };

static int run(const struct proof_map *maps, unsigned nr_maps,
	       const struct proof_shared *shared, unsigned nr_shared)
{
	struct proof_input in = {
		.maps = maps, .nr_maps = nr_maps, .shared = shared, .nr_shared = nr_shared,
		.keel = keel_mem, .keel_what = keel_what, .nr_keel = ARRAY_SIZE(keel_mem),
		.names = names,
	};

	memset(why, 0, sizeof(why));
	return mem_proof_check(&in, why, sizeof(why));
}

#define RUN(maps, shared) run(maps, ARRAY_SIZE(maps), shared, ARRAY_SIZE(shared))
#define RUN_NOSHARE(maps) run(maps, ARRAY_SIZE(maps), NULL, 0)

static void refused(int ret, const char *label, const char *const *want)
{
	CHECK_EQ_MSG(ret, -KEEL_EINVAL, label);
	check_why_has(why, sizeof(why), label, want);
}

static void holds(int ret, const char *label)
{
	CHECK_EQ_MSG(ret, 0, label);
	if (ret)
		fprintf(stderr, "  [%s] why: %s\n", label, why);
}

/* The channel and GICV of the tests below. */
#define CHAN_PA 0x70000000ull
#define GICV    0x08040000ull

/* ---- mem_proof_check ------------------------------------------------------ */

TEST(nothing_mapped)
{
	holds(run(NULL, 0, NULL, 0), "no maps");
}

TEST(disjoint_partitions_hold)
{
	static const struct proof_map maps[] = {
		MAP(A, 0x40000000, 0x50000000, 0x4000000),
		MAP(B, 0x40000000, 0x54000000, 0x4000000),   /* right after alpha's */
		MAP(C, 0x40000000, 0x58000000, 0x2000000),
		MAP(A, 0x1c000000, 0x1c000000, 0x1000),        /* passthrough devices */
		MAP(B, 0x1c001000, 0x1c001000, 0x1000),
	};

	holds(RUN_NOSHARE(maps), "disjoint");
}

TEST(shared_frame_fails_naming_both)
{
	static const struct proof_map maps[] = {
		MAP(A, 0x40000000, 0x50000000, 0x10000),
		MAP(B, 0x40000000, 0x5000f000, 0x10000),
	};
	static const struct proof_map one_page[] = {
		MAP(C, 0x40000000, 0x60000000, 0x1000),
		MAP(A, 0x40000000, 0x50000000, 0x1000),
		MAP(D, 0x48000000, 0x60000000, 0x1000),
	};
	static const struct proof_map inside[] = {
		MAP(B, 0x40000000, 0x50000000, 0x4000000),
		MAP(D, 0x0c000000, 0x51000000, 0x2000),        /* in the middle of beta's RAM */
	};

	refused(RUN_NOSHARE(maps), "last page",
		WANT("host 0x5000f000-0x5000ffff", "partitions 'alpha' and 'beta'",
		     "no channel joins them"));
	refused(RUN_NOSHARE(one_page), "one page",
		WANT("host 0x60000000-0x60000fff", "'gamma' and 'delta'"));
	refused(RUN_NOSHARE(inside), "inside",
		WANT("host 0x51000000-0x51001fff", "'beta' and 'delta'"));
	/* A channel elsewhere does not help. */
	{
		static const struct proof_shared elsewhere[] = { SHARE(CHAN_PA, 0x1000, A, B) };

		refused(RUN(maps, elsewhere), "channel elsewhere", WANT("'alpha' and 'beta'"));
	}
}

TEST(channel_between_the_two_holds)
{
	static const struct proof_map maps[] = {
		MAP(A, 0x40000000, 0x50000000, 0x4000000),
		MAP(A, 0x0c000000, CHAN_PA, 0x2000),
		MAP(B, 0x40000000, 0x54000000, 0x4000000),
		MAP(B, 0x0c200000, CHAN_PA, 0x2000),       /* its second channel slot */
	};
	static const struct proof_shared ab[] = { SHARE(CHAN_PA, 0x2000, A, B) };
	static const struct proof_shared ba[] = { SHARE(CHAN_PA, 0x2000, B, A) };
	/* Only part of the channel mapped by one end: still inside. */
	static const struct proof_map part[] = {
		MAP(A, 0x0c000000, CHAN_PA, 0x2000),
		MAP(B, 0x0c000000, CHAN_PA + 0x1000, 0x1000),
	};

	holds(RUN(maps, ab), "a-b");
	holds(RUN(maps, ba), "b-a");
	holds(RUN(part, ab), "part");
	/* Without the channel it is sharing. */
	refused(RUN_NOSHARE(maps), "no channel", WANT("'alpha' and 'beta'", "0x70000000-0x70001fff"));
}

TEST(channel_frame_mapped_by_a_third_fails)
{
	static const struct proof_map maps[] = {
		MAP(A, 0x0c000000, CHAN_PA, 0x1000),
		MAP(B, 0x0c000000, CHAN_PA, 0x1000),
		MAP(C, 0x40000000, CHAN_PA, 0x1000),
	};
	static const struct proof_shared ab[] = { SHARE(CHAN_PA, 0x1000, A, B) };
	/* Two channels: alpha-beta and beta-gamma; alpha and gamma meet in the second. */
	static const struct proof_map cross[] = {
		MAP(A, 0x0c000000, CHAN_PA, 0x1000),
		MAP(B, 0x0c000000, CHAN_PA, 0x1000),
		MAP(B, 0x0c200000, CHAN_PA + 0x10000, 0x1000),
		MAP(C, 0x0c000000, CHAN_PA + 0x10000, 0x1000),
		MAP(A, 0x0c200000, CHAN_PA + 0x10000, 0x1000),
	};
	static const struct proof_shared two[] = {
		SHARE(CHAN_PA, 0x1000, A, B), SHARE(CHAN_PA + 0x10000, 0x1000, B, C),
	};

	refused(RUN(maps, ab), "third", WANT("'alpha' and 'gamma'", "0x70000000-0x70000fff"));
	refused(RUN(cross, two), "cross",
		WANT("0x70010000-0x70010fff", "'beta' and 'alpha'"));
	/* The first four alone are fine. */
	holds(run(cross, 4, two, 2), "two channels");
}

TEST(overlap_sticking_out_of_the_channel_fails)
{
	static const struct proof_shared ab[] = { SHARE(CHAN_PA, 0x2000, A, B) };
	static const struct proof_map after[] = {
		MAP(A, 0x0c000000, CHAN_PA, 0x3000),
		MAP(B, 0x0c000000, CHAN_PA, 0x3000),
	};
	static const struct proof_map before[] = {
		MAP(A, 0x0c000000, CHAN_PA - 0x1000, 0x2000),
		MAP(B, 0x0c000000, CHAN_PA - 0x1000, 0x2000),
	};
	static const struct proof_map page_after[] = {
		MAP(A, 0x0c000000, CHAN_PA + 0x1000, 0x2000),
		MAP(B, 0x0c000000, CHAN_PA + 0x2000, 0x1000),
	};

	refused(RUN(after, ab), "after", WANT("0x70000000-0x70002fff", "'alpha' and 'beta'"));
	refused(RUN(before, ab), "before", WANT("0x6ffff000-0x70000fff", "'alpha' and 'beta'"));
	refused(RUN(page_after, ab), "page after", WANT("0x70002000-0x70002fff"));
}

TEST(keel_memory_mapped_fails)
{
	static const struct proof_map image[] = {
		MAP(A, 0x40000000, 0x50000000, 0x1000000),
		MAP(B, 0x40000000, 0x3ff00000, 0x200000),     /* into the image's first 1 MiB */
	};
	static const struct proof_map table[] = {
		MAP(C, 0x40000000, 0x5e000000, 0x2000000),    /* the table page is inside */
	};
	static const struct proof_map edges[] = {
		MAP(A, 0x40000000, 0x3fe00000, 0x200000),     /* ends where the image starts */
		MAP(B, 0x40000000, 0x40200000, 0x200000),     /* starts where it ends */
		MAP(C, 0x40000000, 0x5f001000, 0x1000),       /* after the table page */
	};

	refused(RUN_NOSHARE(image), "image",
		WANT("partition 'beta' maps host 0x40000000 (IPA 0x40100000)", "Keel's image"));
	refused(RUN_NOSHARE(table), "table page",
		WANT("partition 'gamma' maps host 0x5f000000 (IPA 0x41000000)",
		     "one of Keel's table pages"));
	holds(RUN_NOSHARE(edges), "edges");
	/* A channel or PROOF_ANY region does not make Keel's memory mappable. */
	{
		static const struct proof_shared any[] = { SHARE(0x5f000000, 0x1000, PROOF_ANY, PROOF_ANY) };
		static const struct proof_map pair[] = {
			MAP(A, 0x0c000000, 0x5f000000, 0x1000),
		};

		refused(RUN(pair, any), "shared Keel page", WANT("'alpha'", "table pages"));
	}
}

TEST(gicv_any_pair_holds)
{
	static const struct proof_map maps[] = {
		MAP(A, 0x08010000, GICV, 0x2000),
		MAP(B, 0x08010000, GICV, 0x2000),
		MAP(C, 0x08010000, GICV, 0x2000),
		MAP(D, 0x08010000, GICV, 0x2000),
		MAP(A, 0x40000000, 0x50000000, 0x1000000),
		MAP(B, 0x40000000, 0x51000000, 0x1000000),
	};
	static const struct proof_shared gicv[] = {
		SHARE(CHAN_PA, 0x1000, A, B), SHARE(GICV, 0x2000, PROOF_ANY, PROOF_ANY),
	};
	/* Larger than the GIC's window: the page past it is shared too. */
	static const struct proof_map wide[] = {
		MAP(A, 0x08010000, GICV, 0x3000),
		MAP(B, 0x08010000, GICV, 0x3000),
	};

	holds(RUN(maps, gicv), "gicv");
	refused(RUN(wide, gicv), "wider than GICV", WANT("0x8040000-0x8042fff"));
}

TEST(same_owner_overlap_holds)
{
	static const struct proof_map maps[] = {
		MAP(A, 0x40000000, 0x50000000, 0x1000000),
		MAP(A, 0x60000000, 0x50000000, 0x1000000),     /* aliased at two IPAs */
		MAP(A, 0x70000000, 0x50800000, 0x1000),
		MAP(B, 0x40000000, 0x52000000, 0x1000000),
	};

	holds(RUN_NOSHARE(maps), "alias");
}

/* ---- mem_prove, over fake partitions -------------------------------------- */

struct vm vms[VM_MAX];
struct board the_board;

#define LEAVES_MAX 80

static struct leaf {
	ipa_t ipa;
	paddr_t pa;
	uint64_t size;
} leaves[VM_MAX][LEAVES_MAX];
static unsigned nr_leaves[VM_MAX];
static unsigned walks[VM_MAX];

int arch_vm_walk(struct vm *vm, arch_vm_walk_fn fn, void *arg)
{
	unsigned v = (unsigned)(vm - vms);
	int ret;

	CHECK(v < VM_MAX);
	walks[v]++;
	for (unsigned i = 0; i < nr_leaves[v]; i++)
		if ((ret = fn(arg, leaves[v][i].ipa, leaves[v][i].pa, leaves[v][i].size)))
			return ret;
	return 0;
}

static struct mem_range table_pages[2] = { { 0x5f000000, 0x1000 }, { 0x5f100000, 0x3000 } };
static bool pages_complete;

unsigned mem_keel_pages(const struct mem_range **runs, bool *complete)
{
	*runs = table_pages;
	*complete = pages_complete;
	return ARRAY_SIZE(table_pages);
}

static void leaf(unsigned v, ipa_t ipa, paddr_t pa, uint64_t size)
{
	CHECK(nr_leaves[v] < LEAVES_MAX);
	leaves[v][nr_leaves[v]++] = (struct leaf){ ipa, pa, size };
}

static struct chan_config chan_cfg = { "ab", { 0, 1 }, 0x2000 };
static struct channel chan0;

static const struct board_limits lim = {
	.nr_cpus = 4,
	.ram = { { 0x40000000, 0x40000000 } },
	.nr_ram = 1,
	.owned = { { 0x40000000, 0x200000 }, { GICV, 0x10000 }, { 0x09000000, 0x1000 } },
	.owned_what = { "Keel's image", "the GIC virtual CPU interface", "Keel's console UART" },
	.nr_owned = 3,
};

static void partition(unsigned v, paddr_t ram_pa)
{
	snprintf(vms[v].name, sizeof(vms[v].name), "%s", names[v]);
	vms[v].id = v;
	vms[v].state = VM_RUNNING;
	/* RAM as 2 MiB blocks (merged into one run), then the GICV. */
	leaf(v, 0x40000000, ram_pa, 0x200000);
	leaf(v, 0x40200000, ram_pa + 0x200000, 0x200000);
	leaf(v, GUEST_GICC_IPA, GICV, GUEST_GICC_SIZE);
}

/* alpha and beta, 4 MiB each, joined by channel 0 (8 KiB at CHAN_PA). */
static void two_partitions(void)
{
	memset(vms, 0, sizeof(vms));
	memset(nr_leaves, 0, sizeof(nr_leaves));
	memset(walks, 0, sizeof(walks));
	fake_reset();
	pages_complete = true;
	the_board.gicv = GICV;
	partition(A, 0x50000000);
	partition(B, 0x54000000);
	chan0 = (struct channel){ .cfg = &chan_cfg, .id = 0, .shm_pa = CHAN_PA,
				  .end = { &vms[A], &vms[B] } };
	for (unsigned v = A; v <= B; v++) {
		vms[v].chans[0] = &chan0;
		vms[v].nr_chans = 1;
		leaf(v, GUEST_CHAN_IPA, CHAN_PA, 0x1000);
		leaf(v, GUEST_CHAN_IPA + 0x1000, CHAN_PA + 0x1000, 0x1000);
	}
}

static int prove(void)
{
	memset(why, 0, sizeof(why));
	return mem_prove(&lim, why, sizeof(why));
}

TEST(prove_holds_and_says_so)
{
	two_partitions();
	/* A free slot is not walked, whatever it would map. */
	leaf(C, 0x40000000, 0x50000000, 0x1000);
	holds(prove(), "two partitions");
	CHECK_EQ(walks[A], 1);
	CHECK_EQ(walks[B], 1);
	CHECK_EQ(walks[C], 0);
	CHECK_EQ(fake.printk_calls, 1);
	/* Per partition: RAM (two leaves, one run), GICV, the channel (two leaves, one run). */
	if (!strstr(fake.printk_buf, "memory rules hold: 2 partitions, 6 mapped runs (8 MiB), "
			"2 of them channel memory shared by its two partitions, none of Keel's "
			"4 memory ranges mapped")) {
		fprintf(stderr, "  printk: %s\n", fake.printk_buf);
		CHECK(0);
	}
}

TEST(prove_finds_shared_and_keel_frames)
{
	/* A third partition maps the channel. */
	two_partitions();
	partition(C, 0x58000000);
	leaf(C, GUEST_CHAN_IPA, CHAN_PA + 0x1000, 0x1000);
	refused(prove(), "third on the channel",
		WANT("host 0x70001000-0x70001fff", "'gamma'", "no channel joins them"));
	CHECK_EQ(fake.printk_calls, 0);

	/* beta's RAM over alpha's. */
	two_partitions();
	leaf(B, 0x48000000, 0x50100000, 0x1000);
	refused(prove(), "ram shared", WANT("host 0x50100000-0x50100fff", "'alpha' and 'beta'"));

	/* A table page Keel keeps. */
	two_partitions();
	leaf(A, 0x48000000, 0x5f102000, 0x1000);
	refused(prove(), "table page",
		WANT("partition 'alpha' maps host 0x5f102000 (IPA 0x48000000)",
		     "one of Keel's table pages"));

	/* Keel's image and console UART (the GICV is the one owned region allowed). */
	two_partitions();
	leaf(B, 0x48000000, 0x40000000, 0x200000);
	refused(prove(), "image", WANT("partition 'beta' maps host 0x40000000", "Keel's image"));
	two_partitions();
	leaf(B, 0x09000000, 0x09000000, 0x1000);
	refused(prove(), "uart", WANT("'beta'", "Keel's console UART"));
	/* Past the 8 KiB GICV window, the rest of the owned 64 KiB is not shared. */
	two_partitions();
	leaf(A, 0x08012000, GICV + 0x2000, 0x1000);
	leaf(B, 0x08012000, GICV + 0x2000, 0x1000);
	refused(prove(), "beyond the GICV", WANT("host 0x8042000-0x8042fff", "'alpha' and 'beta'"));
}

TEST(prove_cannot_prove)
{
	two_partitions();
	pages_complete = false;
	refused(prove(), "pages lost", WANT("cannot be proven", "table pages were not all recorded"));
	CHECK_EQ(fake.printk_calls, 0);

	/* 64 runs are fine, 65 are too many (leaves 4 KiB apart in IPA never merge). */
	two_partitions();
	for (unsigned i = 0; i < 58; i++)
		leaf(A, 0x20000000 + 0x2000 * i, 0x60000000 + 0x1000 * i, 0x1000);
	holds(prove(), "64 runs");
	two_partitions();
	for (unsigned i = 0; i < 59; i++)
		leaf(A, 0x20000000 + 0x2000 * i, 0x60000000 + 0x1000 * i, 0x1000);
	refused(prove(), "65 runs", WANT("cannot be proven", "more than 64 separate mappings"));
}
