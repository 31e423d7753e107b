/* SPDX-License-Identifier: MIT */
/*
 * ldst: every load/store form against Keel's test device (ARM, Thumb-2
 * 32-bit and Thumb 16-bit; see ldst_cases.h). For each case the device is
 * reset and prefilled with plain word stores, the case function makes its
 * one access, and then the guest checks the loaded value(s), the
 * written-back base register, the device's LAST register (size, write,
 * offset), the number of accesses the device counted, and, for stores,
 * the stored data read back with plain loads. One PASS/FAIL line per case.
 *
 * Built with -DLDST_ON_RAM (not part of `make guests`) the same cases run
 * against a RAM buffer on bare QEMU, without the LAST/COUNT checks: that
 * checks the case table against the asm without Keel.
 */
#include "guest.h"
#include <keel/testdev.h>

enum { LD, ST, NONE };

struct ldst_res {
	uint32_t val, val2, base;
};

typedef void (*ldst_fn)(uint32_t base, struct ldst_res *res, uint32_t v1,
			uint32_t v2);

struct ldst_case {
	const char *name;
	ldst_fn fn;
	uint8_t kind, size, sign;
	uint32_t base, addr, wb, pat;
};

#include "ldst_cases.h"

#define DECLARE(n, ...)	void n(uint32_t, struct ldst_res *, uint32_t, uint32_t);
LDST_ARM_CASES(DECLARE)
LDST_THUMB2_CASES(DECLARE)
LDST_THUMB16_CASES(DECLARE)

#define ROW(n, k, sz, sg, b, a, w, p) { #n, n, k, sz, sg, b, a, w, p },
static const struct ldst_case cases[] = {
	LDST_ARM_CASES(ROW)
	LDST_THUMB2_CASES(ROW)
	LDST_THUMB16_CASES(ROW)
};

#define SENTINEL	0x5e17e1a1u	/* r2 of a NONE case must keep this */
#define BG0		0xa1b2c3d4u	/* store cases: background around the */
#define BG1		0x5e6f7081u	/* stored bytes */

#ifdef LDST_ON_RAM
static uint32_t ram_dev[TESTDEV_DATA_SIZE / 4] __attribute__((aligned(256)));
#define DEV_BASE	((uint32_t)ram_dev)
#define HAVE_REGS	0
#else
#define DEV_BASE	TESTDEV_BASE
#define HAVE_REGS	1
#endif

static uint32_t dev_rd(uint32_t off) { return mmio_read32(DEV_BASE + off); }
static void dev_wr(uint32_t off, uint32_t v) { mmio_write32(DEV_BASE + off, v); }

static void dev_reset(void)
{
	if (HAVE_REGS)
		dev_wr(TESTDEV_RESET, 0);
	else
		for (uint32_t off = 0; off < TESTDEV_DATA_SIZE; off += 4)
			dev_wr(off, 0);
}

/* Accesses counted by COUNT; LAST, COUNT on their own, see count_baseline. */
static uint32_t count_baseline;

static void measure_count_baseline(void)
{
	uint32_t c0 = dev_rd(TESTDEV_COUNT);

	(void)dev_rd(TESTDEV_LAST);
	count_baseline = dev_rd(TESTDEV_COUNT) - c0;
}

static uint32_t loaded(uint32_t pat, uint32_t addr, unsigned size, bool sign)
{
	uint32_t v = pat >> (8 * (addr & 3));

	if (size == 1)
		return sign ? (uint32_t)(int32_t)(int8_t)v : (v & 0xffu);
	if (size == 2)
		return sign ? (uint32_t)(int32_t)(int16_t)v : (v & 0xffffu);
	return v;
}

static uint32_t merged(uint32_t bg, uint32_t val, uint32_t addr, unsigned size)
{
	unsigned shift = 8 * (addr & 3);
	uint32_t mask = size >= 4 ? ~0u : ((1u << (8 * size)) - 1) << shift;

	return (bg & ~mask) | ((val << shift) & mask);
}

struct verdict {
	unsigned bad;
	const char *what[8];
	uint32_t got[8], want[8];
};

static void expect(struct verdict *v, const char *what, uint32_t got, uint32_t want)
{
	if (got == want)
		return;
	if (v->bad < 8) {
		v->what[v->bad] = what;
		v->got[v->bad] = got;
		v->want[v->bad] = want;
	}
	v->bad++;
}

static uint32_t last_value(unsigned size, bool write, uint32_t off)
{
	return size | (write ? 1u << 8 : 0) | (off << 16);
}

static void run_case(const struct ldst_case *c)
{
	struct ldst_res res = { 0xdead0001u, 0xdead0002u, 0xdead0003u };
	struct verdict v;
	uint32_t word = c->addr & ~3u;
	uint32_t v1 = c->kind == NONE ? SENTINEL : c->pat;
	uint32_t c0, c1, last, accesses, want_last = 0;

	v.bad = 0;

	dev_reset();
	dev_wr(word, c->kind == ST ? BG0 : c->pat);
	if (c->size == 8)
		dev_wr(word + 4, c->kind == ST ? BG1 : ~c->pat);

	c0 = HAVE_REGS ? dev_rd(TESTDEV_COUNT) : 0;
	c->fn(DEV_BASE + c->base, &res, v1, ~c->pat);
	last = HAVE_REGS ? dev_rd(TESTDEV_LAST) : 0;
	c1 = HAVE_REGS ? dev_rd(TESTDEV_COUNT) : 0;

	/* LDRD/STRD may reach the device as one 8-byte or two 4-byte accesses. */
	if (c->kind == NONE) {
		accesses = 0;
	} else if (c->size == 8 && TESTDEV_LAST_SIZE(last) == 4) {
		accesses = 2;
		want_last = last_value(4, c->kind == ST, c->addr + 4);
	} else {
		accesses = 1;
		want_last = last_value(c->size, c->kind == ST, c->addr);
	}
	if (HAVE_REGS) {
		if (c->kind != NONE)
			expect(&v, "last", last, want_last);
		expect(&v, "accesses", c1 - c0 - count_baseline, accesses);
	}

	expect(&v, "base", res.base, DEV_BASE + c->wb);
	if (c->kind == LD && c->size == 8) {
		expect(&v, "val", res.val, c->pat);
		expect(&v, "val2", res.val2, ~c->pat);
	} else if (c->kind == LD) {
		expect(&v, "val", res.val, loaded(c->pat, c->addr, c->size, c->sign));
	} else if (c->kind == ST && c->size == 8) {
		expect(&v, "mem", dev_rd(word), c->pat);
		expect(&v, "mem+4", dev_rd(word + 4), ~c->pat);
	} else if (c->kind == ST) {
		expect(&v, "mem", dev_rd(word), merged(BG0, c->pat, c->addr, c->size));
	} else {
		expect(&v, "reg", res.val, SENTINEL);
		expect(&v, "mem", dev_rd(word), c->pat);
	}

	if (v.bad == 0) {
		test_pass(c->name);
		return;
	}
	test_fail(c->name, "%s got 0x%08x want 0x%08x (%u mismatches)",
		  v.what[0], v.got[0], v.want[0], v.bad);
	for (unsigned i = 1; i < v.bad && i < 8; i++)
		printf("  %s: %s got 0x%08x want 0x%08x\n",
		       c->name, v.what[i], v.got[i], v.want[i]);
}

/* RESET must clear DATA, or stale data could hide a wrong address. */
static void check_reset(void)
{
	dev_wr(0x40, 0xffffffffu);
	dev_reset();
	CHECK_EQ("testdev_reset_clears", dev_rd(0x40), 0);
}

int main(void)
{
	printf("ldst: %u cases against the test device at %08x\n",
	       (unsigned)(sizeof(cases) / sizeof(cases[0])), DEV_BASE);
	check_reset();
	if (HAVE_REGS)
		measure_count_baseline();
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
	return test_summary();
}
