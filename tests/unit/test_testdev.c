/* SPDX-License-Identifier: MIT */
/*
 * The emulated test device (devices/testdev.c) through its vdev_ops, against
 * the register map documented in <keel/testdev.h>.
 */
#include "unit.h"
#include <keel/testdev.h>
#include <devices/testdev.h>
#include <keel/vm.h>

#define POOL_GUARD 64

static struct testdev *dev0;

/* The device pool is never given back, so every case shares one device. */
static struct testdev *get_dev(void)
{
	if (!dev0)
		dev0 = testdev_create();
	CHECK(dev0 != NULL);
	testdev_ops.reset(dev0);
	return dev0;
}

static enum mmio_result access(struct testdev *t, uint32_t off, unsigned size, bool write,
			       uint32_t *val)
{
	struct mmio_access a = {
		.addr = TESTDEV_BASE + off, .offset = off, .size = size, .is_write = write,
		.value = write ? *val : 0xcafef00du,
	};
	enum mmio_result r = testdev_ops.access(t, &a);

	if (!write)
		*val = a.value;
	return r;
}

static uint32_t rd(struct testdev *t, uint32_t off, unsigned size)
{
	uint32_t v = 0;

	CHECK_EQ_MSG(access(t, off, size, false, &v), MMIO_OK, "read");
	return v;
}

static void wr(struct testdev *t, uint32_t off, unsigned size, uint32_t v)
{
	CHECK_EQ_MSG(access(t, off, size, true, &v), MMIO_OK, "write");
}

static uint32_t last_of(unsigned size, bool write, uint32_t off)
{
	return size | (write ? 1u << 8 : 0) | off << 16;
}

TEST(register_map_constants)
{
	/* The header's accessors agree with the documented bit layout. */
	uint32_t v = 0x0abc0104u;

	CHECK_EQ(TESTDEV_LAST_SIZE(v), 4);
	CHECK_EQ(TESTDEV_LAST_WRITE(v), 1);
	CHECK_EQ(TESTDEV_LAST_OFFSET(v), 0xabc);
	CHECK_EQ(TESTDEV_LAST_OFFSET(0xf0000000u), 0);
}

TEST(create_pool)
{
	struct testdev *got[POOL_GUARD];
	unsigned n = 0;

	get_dev();
	while (n < POOL_GUARD && (got[n] = testdev_create()) != NULL) {
		CHECK(got[n] != dev0);
		for (unsigned j = 0; j < n; j++)
			CHECK(got[n] != got[j]);
		n++;
	}
	/* One device per possible partition, then NULL. */
	CHECK_EQ(n + 1, VM_MAX);
	CHECK(testdev_create() == NULL);
}

TEST(data_reads_back_little_endian)
{
	struct testdev *t = get_dev();

	for (uint32_t off = 0; off < TESTDEV_DATA_SIZE; off += 4)
		CHECK_EQ_MSG(rd(t, off, 4), 0, "zero after reset");

	wr(t, 0x10, 4, 0x44332211u);
	CHECK_EQ(rd(t, 0x10, 4), 0x44332211u);
	CHECK_EQ(rd(t, 0x10, 2), 0x2211);
	CHECK_EQ(rd(t, 0x12, 2), 0x4433);
	CHECK_EQ(rd(t, 0x10, 1), 0x11);
	CHECK_EQ(rd(t, 0x11, 1), 0x22);
	CHECK_EQ(rd(t, 0x12, 1), 0x33);
	CHECK_EQ(rd(t, 0x13, 1), 0x44);
	/* Narrow writes change only their bytes. */
	wr(t, 0x11, 1, 0xaa);
	CHECK_EQ(rd(t, 0x10, 4), 0x4433aa11u);
	wr(t, 0x12, 2, 0xbbcc);
	CHECK_EQ(rd(t, 0x10, 4), 0xbbccaa11u);
	/* Only the low `size` bytes of a narrow write's value count. */
	wr(t, 0x20, 1, 0xffffff5au);
	CHECK_EQ(rd(t, 0x20, 4), 0x5a);
	wr(t, 0x24, 2, 0xffff1234u);
	CHECK_EQ(rd(t, 0x24, 4), 0x1234);
	/* Neighbours untouched. */
	CHECK_EQ(rd(t, 0x0c, 4), 0);
	CHECK_EQ(rd(t, 0x14, 4), 0);
}

TEST(data_whole_range_each_size)
{
	static const unsigned sizes[] = { 1, 2, 4 };
	struct testdev *t = get_dev();

	for (unsigned s = 0; s < ARRAY_SIZE(sizes); s++) {
		unsigned size = sizes[s];

		testdev_ops.reset(t);
		for (uint32_t off = 0; off < TESTDEV_DATA_SIZE; off += size)
			wr(t, off, size, 0x9e3779b9u * (off + 1));
		for (uint32_t off = 0; off < TESTDEV_DATA_SIZE; off += size) {
			uint32_t want = 0x9e3779b9u * (off + 1);

			if (size < 4)
				want &= (1u << (8 * size)) - 1;
			CHECK_EQ_MSG(rd(t, off, size), want, "read back");
		}
		/* Byte view of the last word. */
		{
			uint32_t w = rd(t, TESTDEV_DATA_SIZE - 4, 4);

			for (unsigned i = 0; i < 4; i++)
				CHECK_EQ_MSG(rd(t, TESTDEV_DATA_SIZE - 4 + i, 1), (w >> (8 * i)) & 0xff,
					     "byte of last word");
		}
	}
}

TEST(last_describes_previous_access)
{
	static const struct {
		uint32_t off;
		unsigned size;
		bool write;
	} cases[] = {
		{ 0x00, 4, true }, { 0x00, 4, false }, { 0x11, 1, true }, { 0xfe, 2, false },
		{ 0xff, 1, false }, { 0xfc, 4, true }, { 0x10c, 4, false }, { 0x200, 2, true },
		{ 0xffc, 4, false }, { 0xfff, 1, true }, { 0x104, 4, true }, { 0x100, 4, true },
		{ 0x108, 4, false },
	};
	struct testdev *t = get_dev();

	CHECK_EQ(rd(t, TESTDEV_LAST, 4), 0);
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		uint32_t v = 0x12345678u, last;
		char label[32];

		snprintf(label, sizeof(label), "%s 0x%03x/%u", cases[i].write ? "wr" : "rd",
			 cases[i].off, cases[i].size);
		CHECK_EQ_MSG(access(t, cases[i].off, cases[i].size, cases[i].write, &v), MMIO_OK,
			     label);
		last = rd(t, TESTDEV_LAST, 4);
		CHECK_EQ_MSG(last, last_of(cases[i].size, cases[i].write, cases[i].off), label);
		CHECK_EQ_MSG(TESTDEV_LAST_SIZE(last), cases[i].size, label);
		CHECK_EQ_MSG(TESTDEV_LAST_WRITE(last), cases[i].write, label);
		CHECK_EQ_MSG(TESTDEV_LAST_OFFSET(last), cases[i].off, label);
		/* Reading LAST again still shows the same access. */
		CHECK_EQ_MSG(rd(t, TESTDEV_LAST, 4), last, label);
	}
}

TEST(count_and_info_reads)
{
	struct testdev *t = get_dev();
	uint32_t before;

	CHECK_EQ(rd(t, TESTDEV_COUNT, 4), 0);
	wr(t, 0, 4, 1);
	CHECK_EQ(rd(t, TESTDEV_COUNT, 4), 1);
	rd(t, 0, 1);
	rd(t, 0x80, 2);
	CHECK_EQ(rd(t, TESTDEV_COUNT, 4), 3);
	/* Reading LAST or COUNT is not counted and does not change LAST. */
	for (unsigned i = 0; i < 10; i++) {
		rd(t, TESTDEV_LAST, 4);
		rd(t, TESTDEV_COUNT, 4);
	}
	CHECK_EQ(rd(t, TESTDEV_COUNT, 4), 3);
	CHECK_EQ(rd(t, TESTDEV_LAST, 4), last_of(2, false, 0x80));
	/* Accesses elsewhere count, reads and writes alike. */
	rd(t, 0x200, 4);
	wr(t, 0x200, 4, 7);
	CHECK_EQ(rd(t, TESTDEV_COUNT, 4), 5);
	/* Writes to the read-only registers are ignored but are accesses. */
	before = rd(t, TESTDEV_COUNT, 4);
	wr(t, TESTDEV_COUNT, 4, 1000);
	CHECK_EQ(rd(t, TESTDEV_COUNT, 4), before + 1);
	wr(t, TESTDEV_LAST, 4, 0xffffffffu);
	CHECK_EQ(rd(t, TESTDEV_LAST, 4), last_of(4, true, TESTDEV_LAST));
	CHECK_EQ(rd(t, TESTDEV_COUNT, 4), before + 2);
	/* Many accesses. */
	for (unsigned i = 0; i < 1000; i++)
		wr(t, 4 * (i % 64), 4, i);
	CHECK_EQ(rd(t, TESTDEV_COUNT, 4), before + 1002);
}

TEST(reset_register_clears)
{
	struct testdev *t = get_dev();

	for (uint32_t off = 0; off < TESTDEV_DATA_SIZE; off += 4)
		wr(t, off, 4, 0xffffffffu);
	CHECK(rd(t, TESTDEV_COUNT, 4) != 0);
	/* Reading RESET does nothing but read 0 (and counts as an access). */
	CHECK_EQ(rd(t, TESTDEV_RESET, 4), 0);
	CHECK_EQ(rd(t, 0x40, 4), 0xffffffffu);
	CHECK_EQ(rd(t, TESTDEV_LAST, 4), last_of(4, false, 0x40));

	wr(t, TESTDEV_RESET, 4, 0);    /* any value */
	CHECK_EQ(rd(t, TESTDEV_LAST, 4), 0);
	CHECK_EQ(rd(t, TESTDEV_COUNT, 4), 0);
	for (uint32_t off = 0; off < TESTDEV_DATA_SIZE; off += 4)
		CHECK_EQ_MSG(rd(t, off, 4), 0, "cleared");

	wr(t, 0x8, 4, 5);
	wr(t, TESTDEV_RESET, 4, 0xdeadbeefu);
	CHECK_EQ(rd(t, 0x8, 4), 0);
	CHECK_EQ(rd(t, TESTDEV_COUNT, 4), 1);   /* the read of 0x8 just now */
}

TEST(ops_reset_clears)
{
	struct testdev *t = get_dev();

	wr(t, 0x30, 4, 0xabcdef01u);
	testdev_ops.reset(t);
	CHECK_EQ(rd(t, TESTDEV_COUNT, 4), 0);
	CHECK_EQ(rd(t, TESTDEV_LAST, 4), 0);
	CHECK_EQ(rd(t, 0x30, 4), 0);
}

TEST(unaligned_faults)
{
	static const struct {
		uint32_t off;
		unsigned size;
	} cases[] = {
		{ 0x01, 4 }, { 0x02, 4 }, { 0x03, 4 }, { 0x01, 2 }, { 0x03, 2 }, { 0xfd, 2 },
		{ 0xfe, 4 }, { 0xff, 2 }, { 0x101, 4 }, { 0x102, 4 }, { 0x105, 2 }, { 0x109, 4 },
		{ 0xffe, 4 },
	};
	struct testdev *t = get_dev();

	wr(t, 0, 4, 0x11223344u);
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		uint32_t v = 0xffffffffu;
		char label[24];

		snprintf(label, sizeof(label), "0x%03x/%u", cases[i].off, cases[i].size);
		CHECK_EQ_MSG(access(t, cases[i].off, cases[i].size, true, &v), MMIO_GUEST_FAULT,
			     label);
		CHECK_EQ_MSG(access(t, cases[i].off, cases[i].size, false, &v), MMIO_GUEST_FAULT,
			     label);
	}
	/* A refused access changes nothing and is not recorded. */
	CHECK_EQ(rd(t, 0, 4), 0x11223344u);
	CHECK_EQ(rd(t, 0x100 - 4, 4), 0);
	CHECK_EQ(rd(t, TESTDEV_COUNT, 4), 3);
	CHECK_EQ(rd(t, TESTDEV_LAST, 4), last_of(4, false, 0xfc));
}

TEST(other_offsets_read_zero)
{
	static const uint32_t offs[] = { 0x10c, 0x110, 0x1fc, 0x200, 0x800, 0xffc };
	struct testdev *t = get_dev();

	for (unsigned i = 0; i < ARRAY_SIZE(offs); i++) {
		wr(t, offs[i], 4, 0xffffffffu);
		CHECK_EQ_MSG(rd(t, offs[i], 4), 0, "reads 0");
		CHECK_EQ_MSG(rd(t, offs[i], 1), 0, "byte reads 0");
	}
	/* The writes did not land in DATA either. */
	for (uint32_t off = 0; off < TESTDEV_DATA_SIZE; off += 4)
		CHECK_EQ_MSG(rd(t, off, 4), 0, "data untouched");
	/* Sub-word reads inside LAST/COUNT/RESET words are "elsewhere" too. */
	CHECK_EQ(rd(t, 0x102, 2), 0);
	CHECK_EQ(rd(t, 0x107, 1), 0);
}
