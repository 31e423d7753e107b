/* SPDX-License-Identifier: MIT */
/*
 * The exit-stats device (devices/statdev.c) through its vdev_ops, against the
 * register map documented in <keel/statdev.h>: a test-owned partition of two
 * vCPUs whose cost-model rows the tests set by hand, with devices on its bus
 * (core/mmio.c) so that device rows have names.
 */
#include "unit.h"
#include "fakes.h"
#include <keel/hypercall.h>
#include <keel/statdev.h>
#include <keel/stats.h>
#include <keel/vm.h>
#include <devices/statdev.h>

static struct vm vm;
static struct statdev *dev0;

static enum mmio_result nop_access(void *dev, struct mmio_access *a)
{
	(void)dev;
	(void)a;
	return MMIO_OK;
}

static const struct vdev_ops nop_ops = { .access = nop_access };

/* Two vCPUs, the bus of a partition with the exit-stats device third. */
static struct statdev *setup(void)
{
	fake_reset();
	memset(&vm, 0, sizeof(vm));
	vm.nr_vcpus = 2;
	for (unsigned i = 0; i < vm.nr_vcpus; i++) {
		vm.vcpus[i].vm = &vm;
		vm.vcpus[i].idx = i;
	}
	/* The device pool is never given back: every case shares one device. */
	if (!dev0)
		dev0 = statdev_create(&vm, ROW_DEVICE + 2);
	CHECK(dev0 != NULL);
	CHECK_EQ(mmio_register(&vm.mmio, 0x08000000, 0x10000, &nop_ops, NULL, "gic-distributor"),
		 0);
	CHECK_EQ(mmio_register(&vm.mmio, 0x09000000, 0x1000, &nop_ops, NULL, "pl011"), 0);
	CHECK_EQ(mmio_register(&vm.mmio, STATDEV_BASE, STATDEV_SIZE, &statdev_ops, dev0,
			       "exit-stats"), 0);
	statdev_ops.reset(dev0);
	return dev0;
}

static enum mmio_result access(struct statdev *d, unsigned vcpu, uint32_t off, unsigned size,
			       bool write, uint32_t *val)
{
	struct mmio_access a = {
		.addr = STATDEV_BASE + off, .offset = off, .size = size, .is_write = write,
		.value = write ? *val : 0xcafef00du, .vcpu = vcpu,
	};
	enum mmio_result r = statdev_ops.access(d, &a);

	if (!write)
		*val = a.value;
	return r;
}

static uint32_t rd(struct statdev *d, uint32_t off)
{
	uint32_t v = 0;

	CHECK_EQ_MSG(access(d, 0, off, 4, false, &v), MMIO_OK, "read");
	return v;
}

static void latch(struct statdev *d, unsigned vcpu, uint32_t scope)
{
	CHECK_EQ_MSG(access(d, vcpu, STATDEV_LATCH, 4, true, &scope), MMIO_OK, "latch");
}

static uint64_t rd64(struct statdev *d, unsigned row, uint32_t lo)
{
	return rd(d, STATDEV_ROW(row) + lo) | (uint64_t)rd(d, STATDEV_ROW(row) + lo + 4) << 32;
}

static void set_row(unsigned vcpu, unsigned row, uint64_t count, uint64_t ticks)
{
	vm.vcpus[vcpu].stats.row[row].count = count;
	vm.vcpus[vcpu].stats.row[row].ticks = ticks;
}

/* Row i's name as the guest reads it, 4 characters a register. */
static void name_of(struct statdev *d, unsigned row, char *buf)
{
	for (uint32_t k = 0; k < STATDEV_NAME_MAX; k += 4) {
		uint32_t w = rd(d, STATDEV_ROW(row) + STATDEV_NAME + k);

		for (unsigned b = 0; b < 4; b++)
			buf[k + b] = (char)(w >> (8 * b));
	}
}

TEST(header)
{
	struct statdev *d = setup();

	CHECK_EQ(rd(d, STATDEV_ID), STATDEV_MAGIC);
	CHECK_EQ(memcmp(&(uint32_t){ STATDEV_MAGIC }, "KXST", 4), 0);
	CHECK_EQ(rd(d, STATDEV_VERSION), 1);
	CHECK_EQ(rd(d, STATDEV_ROWS), ROW_DEVICE + 3);
	CHECK_EQ(rd(d, STATDEV_FREQ), 1000000);   /* the fake counter's */
	CHECK_EQ(rd(d, STATDEV_SEQ), 0);
	CHECK_EQ(rd(d, STATDEV_SELF), ROW_DEVICE + 2);
	/* the rows fit the page */
	CHECK(STATDEV_ROW(STATDEV_ROWS_MAX) <= STATDEV_SIZE);
	CHECK(STATS_ROWS <= STATDEV_ROWS_MAX);
}

TEST(names_and_reasons)
{
	static const struct {
		unsigned row;
		const char *name;
		uint32_t reason;
	} cases[] = {
		{ EXIT_HVC, "hvc-unknown", EXIT_HVC }, { EXIT_SMC, "smc-refused", EXIT_SMC },
		{ EXIT_DABT, "dabt-injected", EXIT_DABT }, { EXIT_WFI, "wfi", EXIT_WFI },
		{ EXIT_UNDEF, "undef", EXIT_UNDEF },
		{ ROW_CALL, "version", EXIT_HVC },
		{ ROW_CALL + KEEL_HC_EXIT_STATS - KEEL_HC_BASE, "exit_stats", EXIT_HVC },
		{ ROW_PSCI_HVC, "psci", EXIT_HVC }, { ROW_PSCI_SMC, "psci-smc", EXIT_SMC },
		{ ROW_DEVICE, "gic-distributor", EXIT_DABT },
		{ ROW_DEVICE + 1, "pl011", EXIT_DABT }, { ROW_DEVICE + 2, "exit-stats", EXIT_DABT },
	};
	struct statdev *d = setup();

	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		char name[STATDEV_NAME_MAX];

		name_of(d, cases[i].row, name);
		CHECK_EQ_MSG(name[STATDEV_NAME_MAX - 1], '\0', cases[i].name);
		CHECK_STR_EQ(name, cases[i].name);
		CHECK_EQ_MSG(rd(d, STATDEV_ROW(cases[i].row) + STATDEV_REASON), cases[i].reason,
			     cases[i].name);
	}
}

TEST(a_long_name_is_cut_and_ends_in_nul)
{
	static const char long_name[] = "a-device-name-longer-than-thirty-one-characters";
	struct statdev *d = setup();
	char name[STATDEV_NAME_MAX];

	vm.mmio.regions[1].name = long_name;
	name_of(d, ROW_DEVICE + 1, name);
	CHECK_EQ(name[STATDEV_NAME_MAX - 1], '\0');
	CHECK_EQ(strlen(name), STATDEV_NAME_MAX - 1);
	CHECK_EQ(memcmp(name, long_name, STATDEV_NAME_MAX - 1), 0);
}

TEST(latch_copies_the_vcpu_and_the_partition)
{
	struct statdev *d = setup();

	set_row(0, EXIT_IRQ, 5, 0x100000007ull);
	set_row(1, EXIT_IRQ, 0x200000003ull, 11);
	set_row(1, ROW_DEVICE + 1, 9, 90);
	/* before any latch the copy is empty */
	CHECK_EQ(rd64(d, EXIT_IRQ, STATDEV_COUNT_LO), 0);

	latch(d, 0, STATDEV_SCOPE_VCPU);
	CHECK_EQ(rd(d, STATDEV_SEQ), 1);
	CHECK_EQ(rd(d, STATDEV_SCOPE), STATDEV_SCOPE_VCPU);
	CHECK_EQ(rd64(d, EXIT_IRQ, STATDEV_COUNT_LO), 5);
	CHECK_EQ(rd64(d, EXIT_IRQ, STATDEV_TICKS_LO), 0x100000007ull);
	CHECK_EQ(rd64(d, ROW_DEVICE + 1, STATDEV_COUNT_LO), 0);

	latch(d, 1, STATDEV_SCOPE_VCPU);
	CHECK_EQ(rd(d, STATDEV_SCOPE), STATDEV_SCOPE_VCPU | 1u << 8);
	CHECK_EQ(rd64(d, EXIT_IRQ, STATDEV_COUNT_LO), 0x200000003ull);
	CHECK_EQ(rd64(d, ROW_DEVICE + 1, STATDEV_TICKS_LO), 90);

	latch(d, 1, STATDEV_SCOPE_PARTITION);
	CHECK_EQ(rd(d, STATDEV_SEQ), 3);
	CHECK_EQ(rd(d, STATDEV_SCOPE), STATDEV_SCOPE_PARTITION | 1u << 8);
	CHECK_EQ(rd64(d, EXIT_IRQ, STATDEV_COUNT_LO), 0x200000008ull);
	CHECK_EQ(rd64(d, EXIT_IRQ, STATDEV_TICKS_LO), 0x100000012ull);
	CHECK_EQ(rd64(d, ROW_DEVICE + 1, STATDEV_COUNT_LO), 9);
}

TEST(the_copy_holds_still_until_the_next_latch)
{
	struct statdev *d = setup();

	set_row(0, EXIT_WFI, 0xffffffffull, 0xfffffff0ull);
	latch(d, 0, STATDEV_SCOPE_VCPU);
	/* the counters move on (a carry into the high word) between the two halves */
	CHECK_EQ(rd(d, STATDEV_ROW(EXIT_WFI) + STATDEV_COUNT_LO), 0xffffffffu);
	set_row(0, EXIT_WFI, 0x100000000ull, 0x100000010ull);
	CHECK_EQ(rd(d, STATDEV_ROW(EXIT_WFI) + STATDEV_COUNT_HI), 0);
	CHECK_EQ(rd64(d, EXIT_WFI, STATDEV_TICKS_LO), 0xfffffff0ull);
	latch(d, 0, STATDEV_SCOPE_VCPU);
	CHECK_EQ(rd64(d, EXIT_WFI, STATDEV_COUNT_LO), 0x100000000ull);
	CHECK_EQ(rd64(d, EXIT_WFI, STATDEV_TICKS_LO), 0x100000010ull);
}

TEST(reset_forgets_the_copy)
{
	struct statdev *d = setup();

	set_row(0, EXIT_HVC, 3, 30);
	latch(d, 0, STATDEV_SCOPE_PARTITION);
	statdev_ops.reset(d);
	CHECK_EQ(rd(d, STATDEV_SEQ), 0);
	CHECK_EQ(rd(d, STATDEV_SCOPE), 0);
	CHECK_EQ(rd64(d, EXIT_HVC, STATDEV_COUNT_LO), 0);
}

/* Everything the map does not allow is an abort, and changes nothing. */
TEST(forbidden_accesses_fault)
{
	static const struct {
		const char *label;
		uint32_t off;
		unsigned size;
		bool write;
		uint32_t value;
	} cases[] = {
		{ "write ID", STATDEV_ID, 4, true, 0 },
		{ "write ROWS", STATDEV_ROWS, 4, true, 1 },
		{ "write SEQ", STATDEV_SEQ, 4, true, 0 },
		{ "write a count", STATDEV_ROW(EXIT_IRQ) + STATDEV_COUNT_LO, 4, true, 0 },
		{ "write a name", STATDEV_ROW(0) + STATDEV_NAME, 4, true, 0 },
		{ "latch scope 2", STATDEV_LATCH, 4, true, 2 },
		{ "latch scope ~0", STATDEV_LATCH, 4, true, 0xffffffffu },
		{ "read LATCH", STATDEV_LATCH, 4, false, 0 },
		{ "byte read", STATDEV_ID, 1, false, 0 },
		{ "byte latch", STATDEV_LATCH, 1, true, 0 },
		{ "halfword read", STATDEV_ROW(0), 2, false, 0 },
		{ "unaligned read", STATDEV_ID + 1, 4, false, 0 },
		{ "unaligned row read", STATDEV_ROW(1) + 2, 4, false, 0 },
		{ "unaligned latch", STATDEV_LATCH + 2, 4, true, 0 },
		{ "header gap", 0x020, 4, false, 0 },
		{ "header end", 0x0fc, 4, false, 0 },
		{ "row gap", STATDEV_ROW(3) + 0x14, 4, false, 0 },
		{ "row gap end", STATDEV_ROW(3) + 0x1c, 4, false, 0 },
		{ "first row past ROWS", STATDEV_ROW(ROW_DEVICE + 3), 4, false, 0 },
		{ "past ROWS, name", STATDEV_ROW(ROW_DEVICE + 3) + STATDEV_NAME, 4, false, 0 },
		{ "last word of the page", STATDEV_SIZE - 4, 4, false, 0 },
		{ "past the page", STATDEV_SIZE, 4, false, 0 },
		{ "far past the page", 0xfffffffcu, 4, false, 0 },
	};
	struct statdev *d = setup();

	set_row(0, EXIT_IRQ, 4, 40);
	latch(d, 0, STATDEV_SCOPE_VCPU);
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		uint32_t v = cases[i].value;

		CHECK_EQ_MSG(access(d, 0, cases[i].off, cases[i].size, cases[i].write, &v),
			     MMIO_GUEST_FAULT, cases[i].label);
	}
	CHECK_EQ(rd(d, STATDEV_SEQ), 1);
	CHECK_EQ(rd(d, STATDEV_SCOPE), STATDEV_SCOPE_VCPU);
	CHECK_EQ(rd64(d, EXIT_IRQ, STATDEV_COUNT_LO), 4);
	CHECK_EQ(rd64(d, EXIT_IRQ, STATDEV_TICKS_LO), 40);
}

TEST(the_last_row_is_readable)
{
	struct statdev *d = setup();
	char name[STATDEV_NAME_MAX];

	name_of(d, ROW_DEVICE + 2, name);
	CHECK_STR_EQ(name, "exit-stats");
	CHECK_EQ(rd(d, STATDEV_ROW(ROW_DEVICE + 2) + STATDEV_NAME + STATDEV_NAME_MAX - 4), 0);
}

TEST(the_pool_runs_out)
{
	unsigned n = 0;

	setup();
	while (statdev_create(&vm, 0) != NULL)
		CHECK(++n < 64);
	CHECK(n < VM_MAX);
}
