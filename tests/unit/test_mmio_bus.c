/* SPDX-License-Identifier: MIT */
/*
 * The MMIO bus (core/mmio.c): registration rules (no overlap, adjacency
 * allowed, bounded table, argument checks), lookup, dispatch with a
 * region-relative offset, and reset of every device.
 */
#include "unit.h"
#include <keel/errno.h>
#include <keel/mmio.h>

/* A recording device: remembers the last access it saw and how often. */
struct rec_dev {
	unsigned accesses, resets;
	struct mmio_access last;
	enum mmio_result answer;
	uint32_t read_value;
};

static enum mmio_result rec_access(void *dev, struct mmio_access *a)
{
	struct rec_dev *d = dev;

	d->accesses++;
	if (!a->is_write)
		a->value = d->read_value;
	d->last = *a;
	return d->answer;
}

static void rec_reset(void *dev)
{
	((struct rec_dev *)dev)->resets++;
}

static const struct vdev_ops rec_ops = { .access = rec_access, .reset = rec_reset };
static const struct vdev_ops rec_ops_noreset = { .access = rec_access, .reset = NULL };
static const struct vdev_ops no_access_ops = { .access = NULL, .reset = rec_reset };

static struct mmio_bus bus;

static void setup(void)
{
	memset(&bus, 0, sizeof(bus));
}

/* The device whose region holds addr, or NULL. */
static void *dev_at(uint64_t addr)
{
	const struct mmio_region *r = mmio_find(&bus, addr);

	return r ? r->dev : NULL;
}

TEST(register_and_find)
{
	struct rec_dev a = { 0 }, b = { 0 };
	const struct mmio_region *r;

	setup();
	CHECK_EQ(mmio_register(&bus, 0x09000000, 0x1000, &rec_ops, &a, "a"), 0);
	CHECK_EQ(mmio_register(&bus, 0x0b000000, 0x100, &rec_ops, &b, "b"), 0);
	CHECK_EQ(bus.count, 2);

	static const struct {
		uint64_t addr;
		int which;   /* 0: none, 1: a, 2: b */
	} cases[] = {
		{ 0x08ffffff, 0 }, { 0x09000000, 1 }, { 0x09000fff, 1 }, { 0x09001000, 0 },
		{ 0x0affffff, 0 }, { 0x0b000000, 2 }, { 0x0b0000ff, 2 }, { 0x0b000100, 0 },
		{ 0, 0 }, { UINT64_MAX, 0 }, { 0x109000000ull, 0 },
	};
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		char label[32];

		snprintf(label, sizeof(label), "find 0x%llx", (unsigned long long)cases[i].addr);
		r = mmio_find(&bus, cases[i].addr);
		if (!cases[i].which) {
			CHECK_EQ_MSG(r == NULL, 1, label);
			continue;
		}
		CHECK_EQ_MSG(r != NULL, 1, label);
		if (r)
			CHECK_EQ_MSG(r->dev == (cases[i].which == 1 ? (void *)&a : (void *)&b), 1,
				     label);
	}
	r = mmio_find(&bus, 0x09000010);
	CHECK(r && r->base == 0x09000000 && r->size == 0x1000 && r->ops == &rec_ops &&
	      !strcmp(r->name, "a"));
}

TEST(overlap_refused_in_every_shape)
{
	/* Existing region [0x1000, 0x2000). */
	static const struct {
		const char *label;
		uint64_t base, size;
	} cases[] = {
		{ "identical",            0x1000, 0x1000 },
		{ "inside",               0x1400, 0x100 },
		{ "one byte inside",      0x1800, 1 },
		{ "covers it",            0x0800, 0x2000 },
		{ "covers it exactly+1",  0x0fff, 0x1002 },
		{ "overlaps its start",   0x0800, 0x1000 },
		{ "overlaps by 1 at start", 0x0fff, 2 },
		{ "overlaps its end",     0x1800, 0x1000 },
		{ "overlaps by 1 at end", 0x1fff, 2 },
		{ "same start, shorter",  0x1000, 0x10 },
		{ "same start, longer",   0x1000, 0x2000 },
		{ "same end, starts in",  0x1f00, 0x100 },
		{ "same end, starts before", 0x0f00, 0x1100 },
		{ "last byte",            0x1fff, 1 },
		{ "first byte",           0x1000, 1 },
		{ "all of 4 GiB but a byte", 0, 0xffffffffull },
	};
	struct rec_dev d = { 0 }, e = { 0 };

	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		setup();
		CHECK_EQ(mmio_register(&bus, 0x1000, 0x1000, &rec_ops, &d, "d"), 0);
		CHECK_EQ_MSG(mmio_register(&bus, cases[i].base, cases[i].size, &rec_ops, &e, "e"),
			     (uint64_t)-KEEL_EEXIST, cases[i].label);
		CHECK_EQ_MSG(bus.count, 1, cases[i].label);
	}
	/* An overlap with the second of several regions is found too. */
	setup();
	CHECK_EQ(mmio_register(&bus, 0x1000, 0x1000, &rec_ops, &d, "d"), 0);
	CHECK_EQ(mmio_register(&bus, 0x5000, 0x1000, &rec_ops, &d, "d2"), 0);
	CHECK_EQ(mmio_register(&bus, 0x5800, 0x10, &rec_ops, &e, "e"), -KEEL_EEXIST);
	CHECK_EQ(bus.count, 2);
}

TEST(adjacent_regions_allowed)
{
	struct rec_dev d = { 0 }, lo = { 0 }, hi = { 0 };
	struct mmio_access acc = { .size = 1 };

	setup();
	CHECK_EQ(mmio_register(&bus, 0x1000, 0x1000, &rec_ops, &d, "d"), 0);
	CHECK_EQ(mmio_register(&bus, 0x0000, 0x1000, &rec_ops, &lo, "lo"), 0);   /* ends at its start */
	CHECK_EQ(mmio_register(&bus, 0x2000, 0x1000, &rec_ops, &hi, "hi"), 0);   /* starts at its end */
	CHECK_EQ(mmio_register(&bus, 0x3000, 1, &rec_ops, &hi, "hi1"), 0);
	CHECK_EQ(bus.count, 4);
	/* The boundary bytes go to the right device. */
	CHECK(dev_at(0x0fff) == &lo);
	CHECK(dev_at(0x1000) == &d);
	CHECK(dev_at(0x1fff) == &d);
	CHECK(dev_at(0x2000) == &hi);
	acc.addr = 0x1fff;
	CHECK_EQ(mmio_dispatch(&bus, &acc), MMIO_OK);
	CHECK_EQ(d.accesses, 1);
	CHECK_EQ(acc.offset, 0xfff);
	CHECK_EQ(lo.accesses + hi.accesses, 0);
}

TEST(full_bus)
{
	struct rec_dev d = { 0 };

	setup();
	for (unsigned i = 0; i < MMIO_MAX_REGIONS; i++)
		CHECK_EQ_MSG(mmio_register(&bus, 0x10000 * (i + 1), 0x1000, &rec_ops, &d, "r"), 0,
			     "fill");
	CHECK_EQ(bus.count, MMIO_MAX_REGIONS);
	CHECK_EQ(mmio_register(&bus, 0x10000000, 0x1000, &rec_ops, &d, "more"), -KEEL_ENOMEM);
	CHECK_EQ(bus.count, MMIO_MAX_REGIONS);
	/* Overlap is still reported as overlap on a full bus. */
	CHECK_EQ(mmio_register(&bus, 0x10000, 0x10, &rec_ops, &d, "dup"), -KEEL_EEXIST);
	/* Every one of them is still reachable. */
	for (unsigned i = 0; i < MMIO_MAX_REGIONS; i++)
		CHECK_EQ_MSG(mmio_find(&bus, 0x10000 * (i + 1) + 0x800) != NULL, 1, "find");
}

TEST(bad_arguments)
{
	static const struct {
		const char *label;
		uint64_t base, size;
		const struct vdev_ops *ops;
	} cases[] = {
		{ "zero size",         0x1000, 0, &rec_ops },
		{ "NULL ops",          0x1000, 0x1000, NULL },
		{ "NULL access",       0x1000, 0x1000, &no_access_ops },
		{ "wraps",             0xfffffffffffff000ull, 0x2000, &rec_ops },
		{ "wraps by 1",        UINT64_MAX, 2, &rec_ops },
		{ "size max",          1, UINT64_MAX, &rec_ops },
		{ "starts at 4 GiB",   0x100000000ull, 0x1000, &rec_ops },
		{ "ends past 4 GiB",   0xfffff000ull, 0x1001, &rec_ops },
		{ "4 GiB from 0",      0, 0x100000000ull, &rec_ops },
		{ "huge from 0",       0, 0xffffffffffff0000ull, &rec_ops },
	};
	struct rec_dev d = { 0 };

	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		setup();
		CHECK_EQ_MSG(mmio_register(&bus, cases[i].base, cases[i].size, cases[i].ops, &d, "x"),
			     (uint64_t)-KEEL_EINVAL, cases[i].label);
		CHECK_EQ_MSG(bus.count, 0, cases[i].label);
	}
	/* A device without reset is fine. */
	setup();
	CHECK_EQ(mmio_register(&bus, 0x1000, 0x1000, &rec_ops_noreset, &d, "x"), 0);
	/* The IPA space is 32 bits: a region ending at 4 GiB is fine, and found. */
	CHECK_EQ(mmio_register(&bus, 0xfffff000ull, 0x1000, &rec_ops, &d, "top"), 0);
	CHECK(mmio_find(&bus, 0xffffffffull) == &bus.regions[1]);
	/* An address past 4 GiB does not alias one below it. */
	CHECK(mmio_find(&bus, 0x1fffff000ull) == NULL);
	CHECK(mmio_find(&bus, 0x100001000ull) == NULL);
}

TEST(dispatch_offset_and_result)
{
	struct rec_dev d = { .answer = MMIO_OK, .read_value = 0x12345678 };
	struct rec_dev f = { .answer = MMIO_GUEST_FAULT };
	static const struct {
		uint64_t addr;
		unsigned size;
		bool write;
	} cases[] = {
		{ 0x09000000, 4, false }, { 0x09000004, 4, true }, { 0x09000018, 2, false },
		{ 0x09000ffc, 4, true }, { 0x09000fff, 1, false }, { 0x09000ffe, 2, true },
	};

	setup();
	CHECK_EQ(mmio_register(&bus, 0x09000000, 0x1000, &rec_ops, &d, "uart"), 0);
	CHECK_EQ(mmio_register(&bus, 0x0b000000, 0x1000, &rec_ops, &f, "faulty"), 0);
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		struct mmio_access a = {
			.addr = cases[i].addr, .offset = 0xdead, .size = cases[i].size,
			.is_write = cases[i].write, .value = 0xabcd,
		};
		unsigned before = d.accesses;

		CHECK_EQ(mmio_dispatch(&bus, &a), MMIO_OK);
		CHECK_EQ(d.accesses, before + 1);
		CHECK_EQ(a.offset, cases[i].addr - 0x09000000);
		CHECK_EQ(d.last.offset, cases[i].addr - 0x09000000);
		CHECK_EQ(d.last.addr, cases[i].addr);
		CHECK_EQ(d.last.size, cases[i].size);
		CHECK_EQ(d.last.is_write, cases[i].write);
		CHECK_EQ(a.value, cases[i].write ? 0xabcd : 0x12345678);
	}
	/* The device's answer is passed through. */
	{
		struct mmio_access a = { .addr = 0x0b000010, .size = 4 };

		CHECK_EQ(mmio_dispatch(&bus, &a), MMIO_GUEST_FAULT);
		CHECK_EQ(f.accesses, 1);
		CHECK_EQ(a.offset, 0x10);
	}
}

TEST(dispatch_unhandled)
{
	struct rec_dev d = { .answer = MMIO_OK };
	static const struct {
		const char *label;
		uint64_t addr;
		unsigned size;
	} cases[] = {
		{ "straddles end by 1 (word)", 0x09000ffd, 4 },
		{ "straddles end (word)",      0x09000ffe, 4 },
		{ "straddles end (half)",      0x09000fff, 2 },
		{ "just past end",             0x09001000, 1 },
		{ "just below start",          0x08ffffff, 1 },
		{ "below, straddling start",   0x08fffffe, 4 },
		{ "unmapped",                  0x20000000, 4 },
		{ "address 0",                 0, 4 },
		{ "top of 64-bit space",       0xfffffffffffffffcull, 4 },
		{ "4 GiB above it",            0x109000000ull, 4 },
		{ "4 GiB below it, wrapped",   0xffffffff09000000ull, 4 },
	};

	setup();
	CHECK_EQ(mmio_register(&bus, 0x09000000, 0x1000, &rec_ops, &d, "uart"), 0);
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		struct mmio_access a = { .addr = cases[i].addr, .size = cases[i].size };

		CHECK_EQ_MSG(mmio_dispatch(&bus, &a), MMIO_UNHANDLED, cases[i].label);
		/* The exit path places an access in the region its hint names: refused too. */
		CHECK_EQ_MSG(mmio_place(&bus.regions[0], &a), 0, cases[i].label);
	}
	{
		struct mmio_access a = { .addr = 0x09000ffc, .size = 4 };

		CHECK(mmio_place(&bus.regions[0], &a));   /* the last word is inside */
		CHECK_EQ(a.offset, 0xffc);
		CHECK(!mmio_place(NULL, &a));
	}
	CHECK_EQ(d.accesses, 0);
	/* Empty bus. */
	setup();
	{
		struct mmio_access a = { .addr = 0x09000000, .size = 4 };

		CHECK_EQ(mmio_dispatch(&bus, &a), MMIO_UNHANDLED);
		CHECK(mmio_find(&bus, 0x09000000) == NULL);
	}
}

TEST(reset_all)
{
	struct rec_dev devs[5] = { 0 };
	struct rec_dev quiet = { 0 };

	setup();
	mmio_reset_all(&bus);    /* empty bus: nothing to do */
	for (unsigned i = 0; i < ARRAY_SIZE(devs); i++)
		CHECK_EQ(mmio_register(&bus, 0x1000 * (i + 1), 0x1000, &rec_ops, &devs[i], "d"), 0);
	CHECK_EQ(mmio_register(&bus, 0x100000, 0x1000, &rec_ops_noreset, &quiet, "q"), 0);
	mmio_reset_all(&bus);
	for (unsigned i = 0; i < ARRAY_SIZE(devs); i++)
		CHECK_EQ_MSG(devs[i].resets, 1, "reset once");
	mmio_reset_all(&bus);
	for (unsigned i = 0; i < ARRAY_SIZE(devs); i++)
		CHECK_EQ_MSG(devs[i].resets, 2, "reset twice");
	CHECK_EQ(quiet.resets, 0);
	for (unsigned i = 0; i < ARRAY_SIZE(devs); i++)
		CHECK_EQ_MSG(devs[i].accesses, 0, "no access on reset");
}

TEST(hinted_find_agrees_and_remembers)
{
	struct rec_dev a = { 0 }, b = { 0 };
	unsigned hint = 0;

	setup();
	CHECK_EQ(mmio_register(&bus, 0x08000000, 0x1000, &rec_ops, &a, "a"), 0);
	CHECK_EQ(mmio_register(&bus, 0x09000000, 0x1000, &rec_ops, &b, "b"), 0);
	CHECK(mmio_find_hinted(&bus, 0x09000018, &hint) == &bus.regions[1]);
	CHECK_EQ(hint, 1);
	CHECK(mmio_find_hinted(&bus, 0x09000ffc, &hint) == &bus.regions[1]);
	/* The hint is only a first guess: elsewhere, or nowhere, is still right. */
	CHECK(mmio_find_hinted(&bus, 0x08000004, &hint) == &bus.regions[0]);
	CHECK_EQ(hint, 0);
	CHECK(mmio_find_hinted(&bus, 0x08001000, &hint) == NULL);
	CHECK(mmio_find_hinted(&bus, 0x07ffffff, &hint) == NULL);   /* below: no wrap-round hit */
	CHECK_EQ(hint, 0);
	hint = 7;                                                    /* beyond the table */
	CHECK(mmio_find_hinted(&bus, 0x09000000, &hint) == &bus.regions[1]);
	CHECK_EQ(hint, 1);
}
