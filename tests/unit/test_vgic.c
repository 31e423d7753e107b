/* SPDX-License-Identifier: MIT */
/*
 * The virtual GICv2 distributor (devices/vgic.c) on the host: guest register
 * accesses as the MMIO path would make them, device lines, and the LR
 * traffic (collect / sync) the arch code drives. Offsets, reset values and
 * bit layouts are written out here from IHI 0048B (Table 4-1 and 4.3), not
 * taken from vgic.c. Kicks are counted per vCPU.
 */
#include "unit.h"
#include <keel/errno.h>
#include <devices/vgic.h>

#define CTLR        0x000
#define TYPER       0x004
#define IIDR        0x008
#define IGROUPR     0x080
#define ISENABLER   0x100
#define ICENABLER   0x180
#define ISPENDR     0x200
#define ICPENDR     0x280
#define ISACTIVER   0x300
#define ICACTIVER   0x380
#define IPRIORITYR  0x400
#define ITARGETSR   0x800
#define ICFGR       0xc00
#define SGIR        0xf00
#define CPENDSGIR   0xf10
#define SPENDSGIR   0xf20
#define ICPIDR2     0xfe8

#define SGIR_LIST(l)   (0u << 24 | (uint32_t)(l) << 16)
#define SGIR_OTHERS    (1u << 24)
#define SGIR_SELF      (2u << 24)

static struct vgic D;
static unsigned kicks[VGIC_MAX_VCPUS];

static void on_kick(void *ctx, unsigned vcpu)
{
	CHECK(ctx == &D);
	CHECK(vcpu < D.nr_vcpus);
	if (vcpu < VGIC_MAX_VCPUS)
		kicks[vcpu]++;
}

static void clear_kicks(void)
{
	memset(kicks, 0, sizeof(kicks));
}

static void setup(unsigned nr_vcpus)
{
	memset(&D, 0x5a, sizeof(D));     /* init must not rely on zeroed memory */
	vgic_init(&D, nr_vcpus);
	D.kick = on_kick;
	D.kick_ctx = &D;
	clear_kicks();
}

static enum mmio_result acc(unsigned vcpu, uint32_t off, unsigned size, bool write,
			    uint32_t *val)
{
	struct mmio_access a = {
		.addr = 0x08000000u + off, .offset = off, .size = size, .is_write = write,
		.value = write ? *val : 0xcafef00du,
	};
	enum mmio_result r = vgic_dist_access(&D, vcpu, &a);

	if (!write)
		*val = a.value;
	return r;
}

/* A read as the guest sees it: only the accessed bytes. */
static uint32_t rd_sz(unsigned vcpu, uint32_t off, unsigned size)
{
	uint32_t v = 0;

	CHECK_EQ_MSG(acc(vcpu, off, size, false, &v), MMIO_OK, "read");
	return size >= 4 ? v : v & ((1u << (8 * size)) - 1);
}

static void wr_sz(unsigned vcpu, uint32_t off, unsigned size, uint32_t v)
{
	CHECK_EQ_MSG(acc(vcpu, off, size, true, &v), MMIO_OK, "write");
}

static uint32_t rd(unsigned vcpu, uint32_t off) { return rd_sz(vcpu, off, 4); }
static uint32_t rdb(unsigned vcpu, uint32_t off) { return rd_sz(vcpu, off, 1); }
static void wr(unsigned vcpu, uint32_t off, uint32_t v) { wr_sz(vcpu, off, 4, v); }
static void wrb(unsigned vcpu, uint32_t off, uint32_t v) { wr_sz(vcpu, off, 1, v); }

/* Bit n of a bit-per-interrupt register array at base. */
static bool bit_of(unsigned vcpu, uint32_t base, unsigned irq)
{
	return (rd(vcpu, base + irq / 32 * 4) >> (irq % 32)) & 1;
}

static void set_bit_in(unsigned vcpu, uint32_t base, unsigned irq)
{
	wr(vcpu, base + irq / 32 * 4, 1u << (irq % 32));
}

/* An SPI ready for delivery: enabled, targeted, with edge or level config. */
static void spi(unsigned irq, uint8_t targets, bool edge, uint8_t prio)
{
	uint32_t cfg_off = ICFGR + irq / 16 * 4, shift = (irq % 16) * 2;
	uint32_t cfg = rd(0, cfg_off);

	cfg = (cfg & ~(3u << shift)) | ((edge ? 2u : 0u) << shift);
	wr(0, cfg_off, cfg);
	wrb(0, ITARGETSR + irq, targets);
	wrb(0, IPRIORITYR + irq, prio);
	set_bit_in(0, ISENABLER, irq);
}

static void enable_dist(void)
{
	wr(0, CTLR, 1);
}

static unsigned collect(unsigned vcpu, struct vgic_lr_req *out, unsigned max)
{
	return vgic_collect(&D, vcpu, out, max);
}

/* Collect everything (up to 16) and check that exactly one request came back. */
static struct vgic_lr_req collect_one(unsigned vcpu)
{
	struct vgic_lr_req r[16];
	unsigned n = collect(vcpu, r, 16);

	CHECK_EQ(n, 1);
	if (n != 1)
		memset(&r[0], 0, sizeof(r[0]));
	return r[0];
}

static unsigned collect_count(unsigned vcpu)
{
	struct vgic_lr_req r[64];

	return collect(vcpu, r, 64);
}

/* ---- identification and reset values ------------------------------------- */

TEST(typer_by_vcpu_count)
{
	/* ITLinesNumber = 4 (160 ids), CPUNumber = n - 1, SecurityExtn = 0. */
	static const uint32_t expect[] = { 0x04, 0x24, 0x44, 0x64 };

	for (unsigned n = 1; n <= 4; n++) {
		char label[16];

		snprintf(label, sizeof(label), "%u vcpus", n);
		setup(n);
		CHECK_EQ_MSG(rd(0, TYPER), expect[n - 1], label);
		CHECK_EQ_MSG(D.nr_vcpus, n, label);
		/* Every vCPU reads the same TYPER. */
		CHECK_EQ_MSG(rd(n - 1, TYPER), expect[n - 1], label);
	}
}

TEST(init_clamps_vcpu_count)
{
	setup(0);
	CHECK_EQ(D.nr_vcpus, 1);
	CHECK_EQ(rd(0, TYPER), 0x04);
	setup(9);
	CHECK_EQ(D.nr_vcpus, 4);
	CHECK_EQ(rd(0, TYPER), 0x64);
}

TEST(identification_registers)
{
	setup(1);
	CHECK_EQ(rd(0, IIDR), 0x0100043b);
	CHECK_EQ(rd(0, ICPIDR2), 0x20);
	/* The other ID registers (0xfd0-0xffc) read as zero. */
	for (uint32_t off = 0xfd0; off <= 0xffc; off += 4) {
		char label[16];

		snprintf(label, sizeof(label), "0x%03x", off);
		if (off != ICPIDR2)
			CHECK_EQ_MSG(rd(0, off), 0, label);
	}
	/* All read-only. */
	wr(0, TYPER, 0xffffffff);
	wr(0, IIDR, 0);
	wr(0, ICPIDR2, 0);
	CHECK_EQ(rd(0, TYPER), 0x04);
	CHECK_EQ(rd(0, IIDR), 0x0100043b);
	CHECK_EQ(rd(0, ICPIDR2), 0x20);
}

static const struct {
	uint32_t off, val;
} reset_regs[] = {
	{ CTLR, 0 },
	{ IGROUPR, 0 }, { IGROUPR + 4, 0 }, { IGROUPR + 16, 0 },
	{ ISENABLER, 0x0000ffff }, { ICENABLER, 0x0000ffff },     /* SGIs on */
	{ ISENABLER + 4, 0 }, { ICENABLER + 16, 0 },
	{ ISPENDR, 0 }, { ICPENDR + 4, 0 }, { ISACTIVER, 0 }, { ICACTIVER + 16, 0 },
	{ IPRIORITYR, 0 }, { IPRIORITYR + 28, 0 }, { IPRIORITYR + 156, 0 },
	{ ITARGETSR, 0x01010101 }, { ITARGETSR + 28, 0x01010101 },
	{ ITARGETSR + 32, 0 }, { ITARGETSR + 156, 0 },
	{ ICFGR, 0xaaaaaaaa }, { ICFGR + 4, 0 }, { ICFGR + 8, 0 }, { ICFGR + 36, 0 },
	{ SPENDSGIR, 0 }, { SPENDSGIR + 12, 0 }, { CPENDSGIR, 0 },
	{ SGIR, 0 },
};

TEST(reset_values)
{
	setup(1);
	for (unsigned i = 0; i < ARRAY_SIZE(reset_regs); i++) {
		char label[16];

		snprintf(label, sizeof(label), "0x%03x", reset_regs[i].off);
		CHECK_EQ_MSG(rd(0, reset_regs[i].off), reset_regs[i].val, label);
	}
}

TEST(reset_returns_to_init_state)
{
	struct vgic_lr_req r;

	setup(2);
	enable_dist();
	spi(40, 1, true, 0x80);
	wr(1, IGROUPR, 0xffffffff);
	wr(1, ISENABLER, 0xffff0000);
	CHECK_EQ(vgic_map_hw(&D, 0, 41, 73), 0);
	CHECK_EQ(vgic_set_level(&D, 0, 42, true), 0);
	CHECK_EQ(vgic_pulse(&D, 0, 40), 0);
	vgic_reset(&D);
	/* vCPU 1 reads its own ITARGETSR bit. */
	for (unsigned i = 0; i < ARRAY_SIZE(reset_regs); i++) {
		char label[24];
		uint32_t want = reset_regs[i].val;

		if (reset_regs[i].off >= ITARGETSR && reset_regs[i].off < ITARGETSR + 32)
			want = 0x02020202;
		snprintf(label, sizeof(label), "vcpu1 0x%03x", reset_regs[i].off);
		CHECK_EQ_MSG(rd(1, reset_regs[i].off), want, label);
	}
	CHECK_EQ(rd(0, ISPENDR + 4), 0);          /* latch and line gone */
	/* Kept: the vCPU count, the kick callback, the hw mapping. */
	CHECK_EQ(D.nr_vcpus, 2);
	CHECK(D.kick == on_kick);
	spi(41, 1, false, 0);
	enable_dist();
	CHECK_EQ(vgic_pulse(&D, 0, 41), 0);
	r = collect_one(0);
	CHECK(r.hw);
	CHECK_EQ(r.hw_id, 73);
	CHECK(kicks[0] > 0);
}

/* ---- access widths --------------------------------------------------------- */

TEST(word_only_registers_refuse_bytes_and_halfwords)
{
	static const uint32_t offs[] = {
		CTLR, TYPER, IIDR, IGROUPR, ISENABLER + 4, ICENABLER + 4, ISPENDR + 4,
		ICPENDR + 4, ISACTIVER + 4, ICACTIVER + 4, ICFGR + 8, SGIR, ICPIDR2,
		0x00c, 0xd00, 0xe00,                    /* reserved/unimplemented: word too */
	};

	setup(1);
	for (unsigned i = 0; i < ARRAY_SIZE(offs); i++) {
		for (unsigned sz = 1; sz <= 2; sz++) {
			for (unsigned b = 0; b < 4; b += sz) {
				char label[32];
				uint32_t v = 0xffffffff;

				snprintf(label, sizeof(label), "0x%03x+%u size %u", offs[i], b, sz);
				CHECK_EQ_MSG(acc(0, offs[i] + b, sz, false, &v), MMIO_GUEST_FAULT, label);
				v = 0xffffffff;
				CHECK_EQ_MSG(acc(0, offs[i] + b, sz, true, &v), MMIO_GUEST_FAULT, label);
			}
		}
	}
	/* The refused writes changed nothing. */
	CHECK_EQ(rd(0, CTLR), 0);
	CHECK_EQ(rd(0, ISENABLER + 4), 0);
	CHECK_EQ(rd(0, ISPENDR + 4), 0);
	CHECK_EQ(rd(0, ICFGR + 8), 0);
	CHECK_EQ(rd(0, SPENDSGIR), 0);
}

TEST(byte_accessible_registers)
{
	static const uint32_t offs[] = { IPRIORITYR + 32, ITARGETSR + 32, SPENDSGIR, CPENDSGIR + 4 };

	setup(4);
	for (unsigned i = 0; i < ARRAY_SIZE(offs); i++) {
		char label[16];
		uint32_t v = 0;

		snprintf(label, sizeof(label), "0x%03x", offs[i]);
		for (unsigned b = 0; b < 4; b++) {
			CHECK_EQ_MSG(acc(0, offs[i] + b, 1, false, &v), MMIO_OK, label);
			CHECK_EQ_MSG(acc(0, offs[i] + b, 1, true, &v), MMIO_OK, label);
		}
		/* Halfwords are not among the allowed widths. */
		CHECK_EQ_MSG(acc(0, offs[i], 2, false, &v), MMIO_GUEST_FAULT, label);
		CHECK_EQ_MSG(acc(0, offs[i] + 2, 2, true, &v), MMIO_GUEST_FAULT, label);
	}
	/* Bytes and words see the same fields. */
	wrb(0, IPRIORITYR + 33, 0x48);
	wrb(0, IPRIORITYR + 35, 0xf0);
	CHECK_EQ(rd(0, IPRIORITYR + 32), 0xf0004800);
	wr(0, IPRIORITYR + 36, 0x10203040);
	CHECK_EQ(rdb(0, IPRIORITYR + 36), 0x40);
	CHECK_EQ(rdb(0, IPRIORITYR + 37), 0x30);
	CHECK_EQ(rdb(0, IPRIORITYR + 39), 0x10);
	wrb(0, ITARGETSR + 34, 0x04);
	CHECK_EQ(rd(0, ITARGETSR + 32), 0x00040000);
	wrb(2, SPENDSGIR + 1, 0x09);
	CHECK_EQ(rd(2, SPENDSGIR), 0x00000900);
	CHECK_EQ(rdb(2, SPENDSGIR + 1), 0x09);
}

TEST(unaligned_and_odd_sizes_fault)
{
	static const struct {
		uint32_t off;
		unsigned size;
	} cases[] = {
		{ 0x402, 4 }, { 0x801, 4 }, { 0x101, 4 }, { 0x003, 4 }, { 0xf21, 4 },
		{ 0x401, 2 }, { 0x400, 3 }, { 0x400, 8 }, { 0x400, 0 },
	};

	setup(1);
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		char label[24];
		uint32_t v = 0xff;

		snprintf(label, sizeof(label), "0x%03x size %u", cases[i].off, cases[i].size);
		CHECK_EQ_MSG(acc(0, cases[i].off, cases[i].size, true, &v), MMIO_GUEST_FAULT, label);
		CHECK_EQ_MSG(acc(0, cases[i].off, cases[i].size, false, &v), MMIO_GUEST_FAULT, label);
	}
	CHECK_EQ(rd(0, IPRIORITYR), 0);
}

TEST(bad_vcpu_or_offset_unhandled)
{
	uint32_t v = 1;

	setup(2);
	CHECK_EQ(acc(2, CTLR, 4, true, &v), MMIO_UNHANDLED);
	CHECK_EQ(acc(7, TYPER, 4, false, &v), MMIO_UNHANDLED);
	CHECK_EQ(acc(0, 0x1000, 4, false, &v), MMIO_UNHANDLED);
	CHECK_EQ(rd(0, CTLR), 0);
}

TEST(reserved_and_unimplemented_raz_wi)
{
	static const uint32_t offs[] = {
		0x00c, 0x040, 0x07c,                    /* reserved */
		IGROUPR + 20, ISENABLER + 20, ICENABLER + 20, ISPENDR + 20,
		ICPENDR + 20, ISACTIVER + 20, ICACTIVER + 20, /* ids 160+ */
		IPRIORITYR + 160, IPRIORITYR + 0x3f8, 0x7fc,
		ITARGETSR + 160, ITARGETSR + 0x3f8, 0xbfc,
		ICFGR + 40, ICFGR + 0xfc,
		0xd00, 0xe00, 0xf04, 0xf0c, 0xf30, 0xfd0, 0xffc,
	};

	setup(2);
	for (unsigned i = 0; i < ARRAY_SIZE(offs); i++) {
		char label[16];

		snprintf(label, sizeof(label), "0x%03x", offs[i]);
		wr(0, offs[i], 0xffffffff);
		CHECK_EQ_MSG(rd(0, offs[i]), 0, label);
	}
	/* Nothing else moved. */
	CHECK_EQ(rd(0, CTLR), 0);
	CHECK_EQ(rd(0, ISENABLER + 16), 0);
	CHECK_EQ(rd(0, IPRIORITYR + 156), 0);
	CHECK_EQ(rd(0, ICFGR + 36), 0);
	CHECK_EQ(rd(0, SPENDSGIR), 0);
	/* Byte-accessible arrays past the last id: bytes are fine and RAZ/WI. */
	wrb(0, IPRIORITYR + 160, 0xff);
	CHECK_EQ(rdb(0, IPRIORITYR + 160), 0);
	wrb(0, ITARGETSR + 200, 0xff);
	CHECK_EQ(rdb(0, ITARGETSR + 200), 0);
}

/* ---- the registers ---------------------------------------------------------- */

TEST(ctlr_enable_bit)
{
	setup(1);
	wr(0, CTLR, 0xffffffff);
	CHECK_EQ(rd(0, CTLR), 1);
	wr(0, CTLR, 2);                  /* EnableGrp1 position: RAZ/WI */
	CHECK_EQ(rd(0, CTLR), 0);
	wr(0, CTLR, 1);
	CHECK_EQ(rd(0, CTLR), 1);
	CHECK(D.enabled);
}

TEST(sgir_reads_zero)
{
	setup(2);
	enable_dist();
	wr(0, SGIR, SGIR_LIST(3) | 4);
	CHECK_EQ(rd(0, SGIR), 0);
}

/* Set/clear pairs: both views read the same state; writing 0 bits does nothing. */
static const struct {
	const char *name;
	uint32_t set, clr;
} pairs[] = {
	{ "enable", ISENABLER, ICENABLER },
	{ "pending", ISPENDR, ICPENDR },
	{ "active", ISACTIVER, ICACTIVER },
};

TEST(set_clear_pairs_spis)
{
	setup(2);
	for (unsigned i = 0; i < ARRAY_SIZE(pairs); i++) {
		for (uint32_t reg = 1; reg < 5; reg++) {
			char label[32];
			uint32_t s = pairs[i].set + reg * 4, c = pairs[i].clr + reg * 4;

			snprintf(label, sizeof(label), "%s reg %u", pairs[i].name, reg);
			wr(0, s, 0x80000101);
			CHECK_EQ_MSG(rd(0, s), 0x80000101, label);
			CHECK_EQ_MSG(rd(0, c), 0x80000101, label);
			CHECK_EQ_MSG(rd(1, s), 0x80000101, label);   /* SPIs: shared */
			wr(0, s, 0x00100000);                        /* sets only, no clears */
			CHECK_EQ_MSG(rd(0, s), 0x80100101, label);
			wr(0, c, 0x00000100);
			CHECK_EQ_MSG(rd(0, s), 0x80100001, label);
			CHECK_EQ_MSG(rd(0, c), 0x80100001, label);
			wr(0, c, 0);
			CHECK_EQ_MSG(rd(0, s), 0x80100001, label);
			wr(1, c, 0xffffffff);
			CHECK_EQ_MSG(rd(0, s), 0, label);
		}
	}
}

TEST(set_clear_pairs_ppis_banked)
{
	setup(2);
	for (unsigned i = 0; i < ARRAY_SIZE(pairs); i++) {
		char label[16];
		uint32_t sgis = i == 0 ? 0xffff : 0;   /* SGI enables read as one */

		snprintf(label, sizeof(label), "%s", pairs[i].name);
		wr(1, pairs[i].set, 0x08000000);            /* PPI 27 on vCPU 1 */
		CHECK_EQ_MSG(rd(1, pairs[i].set), 0x08000000 | sgis, label);
		CHECK_EQ_MSG(rd(1, pairs[i].clr), 0x08000000 | sgis, label);
		CHECK_EQ_MSG(rd(0, pairs[i].set), sgis, label);
		wr(0, pairs[i].set, 0x40000000);            /* PPI 30 on vCPU 0 */
		CHECK_EQ_MSG(rd(0, pairs[i].set), 0x40000000 | sgis, label);
		CHECK_EQ_MSG(rd(1, pairs[i].set), 0x08000000 | sgis, label);
		wr(0, pairs[i].clr, 0xffff0000);
		CHECK_EQ_MSG(rd(0, pairs[i].set), sgis, label);
		CHECK_EQ_MSG(rd(1, pairs[i].set), 0x08000000 | sgis, label);
	}
}

TEST(sgi_enables_rao_wi)
{
	setup(2);
	wr(0, ICENABLER, 0xffffffff);
	CHECK_EQ(rd(0, ISENABLER), 0x0000ffff);
	CHECK_EQ(rd(0, ICENABLER), 0x0000ffff);
	wr(1, ISENABLER, 0xffffffff);
	wr(1, ICENABLER, 0x0000ffff);
	CHECK_EQ(rd(1, ISENABLER), 0xffffffff);
	/* And they are delivered, being enabled. */
	enable_dist();
	wr(1, SGIR, SGIR_SELF | 9);
	CHECK_EQ(collect_one(1).irq, 9);
}

TEST(sgi_pending_bits_wi_in_ispendr_icpendr)
{
	setup(2);
	wr(0, ISPENDR, 0x0000ffff);
	CHECK_EQ(rd(0, ISPENDR), 0);
	CHECK_EQ(rd(0, SPENDSGIR), 0);
	wr(1, SGIR, SGIR_LIST(1) | 2);
	CHECK_EQ(rd(0, ISPENDR), 1u << 2);
	wr(0, ICPENDR, 0x0000ffff);
	CHECK_EQ(rd(0, ISPENDR), 1u << 2);
	CHECK_EQ(rdb(0, SPENDSGIR + 2), 0x02);
}

TEST(level_pending_latch_and_line)
{
	setup(1);
	/* ISPENDR on a level irq sets the latch: it stays pending with the line low. */
	wr(0, ISPENDR + 4, 1u << 1);                       /* SPI 33 */
	CHECK(bit_of(0, ISPENDR, 33));
	CHECK_EQ(vgic_set_level(&D, 0, 33, false), 0);
	CHECK(bit_of(0, ISPENDR, 33));
	wr(0, ICPENDR + 4, 1u << 1);
	CHECK(!bit_of(0, ISPENDR, 33));
	/* An asserted line is pending; ICPENDR cannot clear it (4.3.8). */
	CHECK_EQ(vgic_set_level(&D, 0, 33, true), 0);
	CHECK(bit_of(0, ISPENDR, 33));
	wr(0, ICPENDR + 4, 1u << 1);
	CHECK(bit_of(0, ISPENDR, 33));
	CHECK_EQ(vgic_set_level(&D, 0, 33, false), 0);
	CHECK(!bit_of(0, ISPENDR, 33));
	/* An edge irq's line is not pending state by itself. */
	wr(0, ICFGR + 8, 2u << 4);                         /* SPI 34 edge */
	CHECK_EQ(vgic_set_level(&D, 0, 34, true), 0);
	CHECK(bit_of(0, ISPENDR, 34));
	wr(0, ICPENDR + 4, 1u << 2);
	CHECK(!bit_of(0, ISPENDR, 34));                    /* line still high */
}

TEST(priority_low_bits_raz)
{
	static const struct {
		uint32_t in, out;
	} cases[] = {
		{ 0xffffffff, 0xf8f8f8f8 }, { 0x12345678, 0x10305078 }, { 0x07070707, 0 },
		{ 0x08a0c0f8, 0x08a0c0f8 },
	};

	setup(2);
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		wr(0, IPRIORITYR + 40, cases[i].in);
		CHECK_EQ(rd(0, IPRIORITYR + 40), cases[i].out);
		wrb(0, IPRIORITYR + 45, cases[i].in & 0xff);
		CHECK_EQ(rdb(0, IPRIORITYR + 45), cases[i].out & 0xff);
	}
	/* Private priorities are banked, SPI ones shared. */
	wrb(1, IPRIORITYR + 27, 0xa0);
	CHECK_EQ(rdb(1, IPRIORITYR + 27), 0xa0);
	CHECK_EQ(rdb(0, IPRIORITYR + 27), 0);
	CHECK_EQ(rd(1, IPRIORITYR + 40), rd(0, IPRIORITYR + 40));
}

TEST(itargetsr_private_bytes_read_own_bit)
{
	setup(4);
	for (unsigned v = 0; v < 4; v++) {
		for (uint32_t off = ITARGETSR; off < ITARGETSR + 32; off += 4) {
			char label[24];

			snprintf(label, sizeof(label), "vcpu %u 0x%03x", v, off);
			wr(v, off, 0x0f0f0f0f);                     /* read-only */
			CHECK_EQ_MSG(rd(v, off), 0x01010101u << v, label);
			CHECK_EQ_MSG(rdb(v, off + 3), 1u << v, label);
		}
	}
}

TEST(itargetsr_spi_keeps_existing_vcpus)
{
	static const struct {
		unsigned nr;
		uint32_t in, out;
	} cases[] = {
		{ 1, 0xffffffff, 0x01010101 }, { 2, 0x0f0f0f0f, 0x03030303 },
		{ 3, 0xf8040201, 0x00040201 }, { 4, 0xffffffff, 0x0f0f0f0f },
		{ 2, 0x00fc0200, 0x00000200 },
	};

	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		char label[16];

		snprintf(label, sizeof(label), "case %u", i);
		setup(cases[i].nr);
		wr(0, ITARGETSR + 32, cases[i].in);
		CHECK_EQ_MSG(rd(0, ITARGETSR + 32), cases[i].out, label);
		wrb(0, ITARGETSR + 159, 0xff);
		CHECK_EQ_MSG(rdb(0, ITARGETSR + 159), (1u << cases[i].nr) - 1, label);
	}
}

TEST(icfgr_read_only_parts)
{
	setup(2);
	wr(0, ICFGR, 0);                     /* SGIs: always edge */
	CHECK_EQ(rd(0, ICFGR), 0xaaaaaaaa);
	wr(1, ICFGR + 4, 0xffffffff);        /* PPIs: fixed level */
	CHECK_EQ(rd(1, ICFGR + 4), 0);
	wr(0, ICFGR + 8, 0xffffffff);        /* SPIs: only the high bit of each pair */
	CHECK_EQ(rd(0, ICFGR + 8), 0xaaaaaaaa);
	CHECK_EQ(rd(1, ICFGR + 8), 0xaaaaaaaa);
	wr(0, ICFGR + 8, 0x55555555);
	CHECK_EQ(rd(0, ICFGR + 8), 0);
	wr(0, ICFGR + 36, 0x80000002);       /* SPIs 144 and 159 */
	CHECK_EQ(rd(0, ICFGR + 36), 0x80000002);
}

TEST(igroupr_read_write_banked)
{
	setup(2);
	wr(0, IGROUPR, 0x80000001);
	wr(1, IGROUPR, 0x00010000);
	wr(0, IGROUPR + 8, 0xdeadbeef);
	CHECK_EQ(rd(0, IGROUPR), 0x80000001);
	CHECK_EQ(rd(1, IGROUPR), 0x00010000);
	CHECK_EQ(rd(1, IGROUPR + 8), 0xdeadbeef);
	/* The group goes into the request. */
	enable_dist();
	wr(0, SGIR, SGIR_SELF | 0);
	CHECK(collect_one(0).group1);
	wr(1, SGIR, SGIR_SELF | 0);
	CHECK(!collect_one(1).group1);
}

/* ---- SGIs ------------------------------------------------------------------- */

TEST(sgir_filters_table)
{
	static const struct {
		const char *name;
		unsigned sender;
		uint32_t val;
		uint8_t targets;
	} cases[] = {
		{ "list 1,2", 0, SGIR_LIST(0x06) | 5, 0x06 },
		{ "list self", 1, SGIR_LIST(0x02) | 5, 0x02 },
		{ "list all", 3, SGIR_LIST(0x0f) | 5, 0x0f },
		{ "list none", 0, SGIR_LIST(0) | 5, 0 },
		{ "list beyond", 2, SGIR_LIST(0xf0) | 5, 0 },
		{ "list mixed", 2, SGIR_LIST(0x81) | 5, 0x01 },
		{ "others of 2", 2, SGIR_OTHERS | SGIR_LIST(0x04) | 5, 0x0b },
		{ "others of 0", 0, SGIR_OTHERS | 5, 0x0e },
		{ "self 3", 3, SGIR_SELF | SGIR_LIST(0x01) | 5, 0x08 },
		{ "reserved", 1, (3u << 24) | SGIR_LIST(0x0f) | 5, 0 },
		{ "NSATT ignored", 1, SGIR_LIST(0x01) | (1u << 15) | 5, 0x01 },
	};

	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		setup(4);
		enable_dist();
		wr(cases[i].sender, SGIR, cases[i].val);
		for (unsigned v = 0; v < 4; v++) {
			char label[32];
			bool hit = cases[i].targets & (1u << v);

			snprintf(label, sizeof(label), "%s vcpu %u", cases[i].name, v);
			/* Pending from the sender only, on SGI 5 only. */
			CHECK_EQ_MSG(rd(v, SPENDSGIR + 4), hit ? (1u << cases[i].sender) << 8 : 0, label);
			CHECK_EQ_MSG(rd(v, ISPENDR), hit ? 1u << 5 : 0, label);
			CHECK_EQ_MSG(kicks[v], hit, label);
			CHECK_EQ_MSG(vgic_has_pending(&D, v), hit, label);
		}
	}
}

TEST(sgir_targets_beyond_vcpus_ignored)
{
	setup(2);
	enable_dist();
	wr(0, SGIR, SGIR_LIST(0xfe) | 15);
	CHECK_EQ(rdb(1, SPENDSGIR + 15), 0x01);
	CHECK_EQ(rdb(0, SPENDSGIR + 15), 0);
	CHECK_EQ(kicks[0], 0);
	CHECK_EQ(kicks[1], 1);
	CHECK_EQ(kicks[2] + kicks[3], 0);
	wr(1, SGIR, SGIR_OTHERS | 15);
	CHECK_EQ(rdb(0, SPENDSGIR + 15), 0x02);
	CHECK_EQ(rdb(1, SPENDSGIR + 15), 0x01);
}

TEST(spendsgir_sources_and_cpendsgir_clears)
{
	setup(3);
	enable_dist();
	wr(1, SGIR, SGIR_LIST(1) | 7);
	wr(2, SGIR, SGIR_LIST(1) | 7);
	wr(0, SGIR, SGIR_SELF | 4);
	CHECK_EQ(rdb(0, SPENDSGIR + 7), 0x06);
	/* SGIs 4-7 share a word: byte 0 is SGI 4 (from self), byte 3 SGI 7. */
	CHECK_EQ(rd(0, SPENDSGIR + 4), 0x06000001);
	CHECK_EQ(rd(0, CPENDSGIR + 4), 0x06000001);   /* same view through CPENDSGIR */
	CHECK_EQ(rd(0, SPENDSGIR), 0);
	/* Clear one source, then the other; the SGI stops being pending. */
	wrb(0, CPENDSGIR + 7, 0x02);
	CHECK_EQ(rdb(0, SPENDSGIR + 7), 0x04);
	CHECK(bit_of(0, ISPENDR, 7));
	wr(0, CPENDSGIR + 4, 0xff000000);
	CHECK_EQ(rdb(0, SPENDSGIR + 7), 0);
	CHECK(!bit_of(0, ISPENDR, 7));
	CHECK(bit_of(0, ISPENDR, 4));
	/* SPENDSGIR sets sources directly, only existing ones. */
	clear_kicks();
	wrb(1, SPENDSGIR + 3, 0xfd);
	CHECK_EQ(rdb(1, SPENDSGIR + 3), 0x05);
	CHECK_EQ(kicks[1], 1);
	CHECK_EQ(rdb(0, SPENDSGIR + 3), 0);
}

TEST(sgi_two_sources_two_requests)
{
	struct vgic_lr_req r[8] = { 0 };

	setup(3);
	enable_dist();
	wr(2, SGIR, SGIR_LIST(2) | 3);
	wr(0, SGIR, SGIR_LIST(2) | 3);
	CHECK_EQ(collect(1, r, 8), 2);
	CHECK_EQ(r[0].irq, 3);
	CHECK_EQ(r[0].source, 0);
	CHECK_EQ(r[1].irq, 3);
	CHECK_EQ(r[1].source, 2);
	CHECK_EQ(r[0].state, VGIC_LR_PENDING);
	CHECK(!r[0].eoi_notify && !r[0].hw);
	/* Still pending as far as the guest's registers go: the LRs hold it. */
	CHECK_EQ(rdb(1, SPENDSGIR + 3), 0x05);
	CHECK_EQ(collect_count(1), 0);
	/* The same source again while its first is in an LR: waits. */
	wr(0, SGIR, SGIR_LIST(2) | 3);
	CHECK_EQ(collect_count(1), 0);
	CHECK(!vgic_lr_sync(&D, 1, &r[0], VGIC_LR_INACTIVE, true));
	CHECK(!vgic_lr_sync(&D, 1, &r[1], VGIC_LR_INACTIVE, true));
	CHECK_EQ(rdb(1, SPENDSGIR + 3), 0x01);
	CHECK_EQ(collect_one(1).source, 0);
}

TEST(sgi_active_source_blocks_other_sources)
{
	struct vgic_lr_req a, b;

	setup(2);
	enable_dist();
	wr(0, SGIR, SGIR_SELF | 1);
	a = collect_one(0);
	CHECK(vgic_lr_sync(&D, 0, &a, VGIC_LR_ACTIVE, true));
	CHECK(bit_of(0, ISACTIVER, 1));
	wr(1, SGIR, SGIR_LIST(1) | 1);
	CHECK_EQ(rdb(0, SPENDSGIR + 1), 0x02);
	CHECK(!vgic_has_pending(&D, 0));
	CHECK_EQ(collect_count(0), 0);
	CHECK(!vgic_lr_sync(&D, 0, &a, VGIC_LR_INACTIVE, true));
	b = collect_one(0);
	CHECK_EQ(b.source, 1);
}

/* ---- delivery: collect and sync ------------------------------------------- */

TEST(edge_spi_pulse_lifecycle)
{
	struct vgic_lr_req r;

	setup(1);
	enable_dist();
	spi(40, 1, true, 0x40);
	CHECK_EQ(vgic_pulse(&D, 0, 40), 0);
	CHECK(vgic_has_pending(&D, 0));
	r = collect_one(0);
	CHECK_EQ(r.irq, 40);
	CHECK_EQ(r.source, 0);
	CHECK_EQ(r.priority, 0x40);
	CHECK_EQ(r.state, VGIC_LR_PENDING);
	CHECK(!r.eoi_notify);
	/* In an LR now: not again, but still pending in the register view. */
	CHECK_EQ(collect_count(0), 0);
	CHECK(!vgic_has_pending(&D, 0));
	CHECK(bit_of(0, ISPENDR, 40));
	CHECK(vgic_lr_sync(&D, 0, &r, VGIC_LR_PENDING, true));
	CHECK_EQ(collect_count(0), 0);
	CHECK(vgic_lr_sync(&D, 0, &r, VGIC_LR_ACTIVE, true));
	CHECK(!bit_of(0, ISPENDR, 40));
	CHECK(bit_of(0, ISACTIVER, 40));
	CHECK(!vgic_lr_sync(&D, 0, &r, VGIC_LR_INACTIVE, true));
	CHECK(!bit_of(0, ISACTIVER, 40));
	CHECK_EQ(collect_count(0), 0);
	CHECK(!vgic_has_pending(&D, 0));
	/* A stale sync of an entry no longer in an LR changes nothing. */
	CHECK(!vgic_lr_sync(&D, 0, &r, VGIC_LR_PENDING, true));
	CHECK(!bit_of(0, ISPENDR, 40));
	CHECK_EQ(collect_count(0), 0);
}

TEST(level_spi_line_lifecycle)
{
	struct vgic_lr_req r;

	setup(1);
	enable_dist();
	spi(50, 1, false, 0);
	CHECK_EQ(vgic_set_level(&D, 0, 50, true), 0);
	r = collect_one(0);
	CHECK_EQ(r.irq, 50);
	CHECK(r.eoi_notify);
	CHECK_EQ(collect_count(0), 0);
	/* Finished while the line is still high: pending again. */
	CHECK(!vgic_lr_sync(&D, 0, &r, VGIC_LR_INACTIVE, true));
	CHECK(vgic_has_pending(&D, 0));
	r = collect_one(0);
	CHECK(vgic_lr_sync(&D, 0, &r, VGIC_LR_ACTIVE, true));
	/* The device drops the line while the guest handles it. */
	CHECK_EQ(vgic_set_level(&D, 0, 50, false), 0);
	CHECK(vgic_lr_sync(&D, 0, &r, VGIC_LR_ACTIVE, true));
	CHECK(!vgic_lr_sync(&D, 0, &r, VGIC_LR_INACTIVE, true));
	CHECK_EQ(collect_count(0), 0);
	CHECK(!bit_of(0, ISPENDR, 50));
	CHECK(!vgic_has_pending(&D, 0));
}

TEST(level_ispendr_latch_used_up_when_taken)
{
	struct vgic_lr_req r;

	setup(1);
	enable_dist();
	spi(51, 1, false, 0);
	set_bit_in(0, ISPENDR, 51);
	r = collect_one(0);
	CHECK(r.eoi_notify);
	/* Not acknowledged yet: the latch is still there. */
	CHECK(vgic_lr_sync(&D, 0, &r, VGIC_LR_PENDING, true));
	CHECK(bit_of(0, ISPENDR, 51));
	/* Acknowledged: the latch is gone (line low), only active remains. */
	CHECK(vgic_lr_sync(&D, 0, &r, VGIC_LR_ACTIVE, true));
	CHECK(!bit_of(0, ISPENDR, 51));
	CHECK(!vgic_lr_sync(&D, 0, &r, VGIC_LR_INACTIVE, true));
	CHECK_EQ(collect_count(0), 0);
}

TEST(active_blocks_redelivery_until_inactive)
{
	struct vgic_lr_req r;

	setup(1);
	enable_dist();
	spi(60, 1, true, 0);
	vgic_pulse(&D, 0, 60);
	r = collect_one(0);
	CHECK(vgic_lr_sync(&D, 0, &r, VGIC_LR_ACTIVE, true));
	/* Fires again while the guest handles it: pending + active, not delivered. */
	vgic_pulse(&D, 0, 60);
	CHECK(bit_of(0, ISPENDR, 60));
	CHECK(bit_of(0, ISACTIVER, 60));
	CHECK_EQ(collect_count(0), 0);
	CHECK(!vgic_has_pending(&D, 0));
	CHECK(vgic_lr_sync(&D, 0, &r, VGIC_LR_ACTIVE, true));
	CHECK_EQ(collect_count(0), 0);
	/* Deactivated: now the second edge goes in. */
	CHECK(!vgic_lr_sync(&D, 0, &r, VGIC_LR_INACTIVE, true));
	CHECK(vgic_has_pending(&D, 0));
	r = collect_one(0);
	CHECK_EQ(r.state, VGIC_LR_PENDING);
	CHECK_EQ(collect_count(0), 0);
}

TEST(pending_active_kept_in_lr)
{
	struct vgic_lr_req r;

	setup(1);
	enable_dist();
	spi(61, 1, true, 0);
	vgic_pulse(&D, 0, 61);
	r = collect_one(0);
	CHECK(vgic_lr_sync(&D, 0, &r, VGIC_LR_PENDING_ACTIVE, true));
	CHECK(bit_of(0, ISPENDR, 61));
	CHECK(bit_of(0, ISACTIVER, 61));
	CHECK_EQ(collect_count(0), 0);
	CHECK(!vgic_has_pending(&D, 0));
	CHECK(vgic_lr_sync(&D, 0, &r, VGIC_LR_PENDING, true));
	CHECK(!bit_of(0, ISACTIVER, 61));
	CHECK(!vgic_lr_sync(&D, 0, &r, VGIC_LR_INACTIVE, true));
	CHECK(!bit_of(0, ISPENDR, 61));
	CHECK_EQ(collect_count(0), 0);
}

TEST(eviction_restores_state_table)
{
	static const struct {
		enum vgic_lr_state evicted;
		bool pend, act;
		enum vgic_lr_state back;          /* what collect hands out next */
	} cases[] = {
		{ VGIC_LR_PENDING, true, false, VGIC_LR_PENDING },
		{ VGIC_LR_ACTIVE, false, true, VGIC_LR_ACTIVE },
		{ VGIC_LR_PENDING_ACTIVE, true, true, VGIC_LR_PENDING_ACTIVE },
		{ VGIC_LR_INACTIVE, false, false, VGIC_LR_INACTIVE },
	};

	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		struct vgic_lr_req r, out[4] = { 0 };
		char label[16];
		unsigned n;

		snprintf(label, sizeof(label), "state %u", cases[i].evicted);
		setup(2);
		enable_dist();
		spi(70, 2, true, 0x10);
		vgic_pulse(&D, 0, 70);
		r = collect_one(1);
		CHECK_EQ_MSG(vgic_lr_sync(&D, 1, &r, cases[i].evicted, false), false, label);
		CHECK_EQ_MSG(bit_of(0, ISPENDR, 70), cases[i].pend, label);
		CHECK_EQ_MSG(bit_of(1, ISACTIVER, 70), cases[i].act, label);
		CHECK_EQ_MSG(vgic_has_pending(&D, 1), cases[i].back == VGIC_LR_PENDING, label);
		CHECK_EQ_MSG(collect_count(0), 0, label);       /* not vCPU 0's */
		n = collect(1, out, 4);
		CHECK_EQ_MSG(n, cases[i].back != VGIC_LR_INACTIVE, label);
		if (n) {
			CHECK_EQ_MSG(out[0].irq, 70, label);
			CHECK_EQ_MSG(out[0].state, cases[i].back, label);
		}
	}
}

TEST(evicted_active_restored_even_when_disabled)
{
	struct vgic_lr_req r;

	setup(1);
	enable_dist();
	spi(71, 1, true, 0);
	vgic_pulse(&D, 0, 71);
	r = collect_one(0);
	CHECK(!vgic_lr_sync(&D, 0, &r, VGIC_LR_ACTIVE, false));
	set_bit_in(0, ICENABLER, 71);
	wr(0, CTLR, 0);
	/* The guest must still be able to deactivate it: back into an LR. */
	r = collect_one(0);
	CHECK_EQ(r.state, VGIC_LR_ACTIVE);
	CHECK(!vgic_lr_sync(&D, 0, &r, VGIC_LR_INACTIVE, true));
	CHECK(!bit_of(0, ISACTIVER, 71));
	CHECK_EQ(collect_count(0), 0);
}

TEST(evicted_level_pending_follows_line)
{
	struct vgic_lr_req r;

	setup(1);
	enable_dist();
	spi(72, 1, false, 0);
	vgic_set_level(&D, 0, 72, true);
	r = collect_one(0);
	CHECK(!vgic_lr_sync(&D, 0, &r, VGIC_LR_PENDING, false));
	CHECK(bit_of(0, ISPENDR, 72));
	r = collect_one(0);
	CHECK(!vgic_lr_sync(&D, 0, &r, VGIC_LR_PENDING, false));
	/* No latch was invented on the way: the line decides. */
	vgic_set_level(&D, 0, 72, false);
	CHECK(!bit_of(0, ISPENDR, 72));
	CHECK_EQ(collect_count(0), 0);
}

TEST(disabled_irq_or_distributor_collects_nothing)
{
	static const struct {
		const char *name;
		bool dist_first;                  /* enable the distributor before the irq */
	} cases[] = { { "irq last", true }, { "distributor last", false } };

	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		setup(2);
		wrb(0, ITARGETSR + 80, 0x02);
		wr(0, ICFGR + 20, 2u << 0);       /* SPI 80 edge */
		if (cases[i].dist_first)
			enable_dist();
		vgic_pulse(&D, 0, 80);
		CHECK_EQ_MSG(collect_count(1), 0, cases[i].name);
		CHECK_EQ_MSG(vgic_has_pending(&D, 1), false, cases[i].name);
		CHECK_EQ_MSG(kicks[1], 0, cases[i].name);
		if (cases[i].dist_first) {
			set_bit_in(0, ISENABLER, 80);
		} else {
			set_bit_in(0, ISENABLER, 80);
			CHECK_EQ_MSG(collect_count(1), 0, cases[i].name);
			enable_dist();
		}
		/* Becoming deliverable kicks the target, and collect finds it. */
		CHECK_EQ_MSG(kicks[1], 1, cases[i].name);
		CHECK_EQ_MSG(kicks[0], 0, cases[i].name);
		CHECK_EQ_MSG(vgic_has_pending(&D, 1), true, cases[i].name);
		CHECK_EQ_MSG(collect_one(1).irq, 80, cases[i].name);
	}
}

TEST(sgir_with_distributor_disabled_waits)
{
	setup(2);
	wr(0, SGIR, SGIR_LIST(2) | 6);
	CHECK_EQ(rdb(1, SPENDSGIR + 6), 0x01);
	CHECK_EQ(kicks[1], 0);
	CHECK_EQ(collect_count(1), 0);
	enable_dist();
	CHECK_EQ(kicks[1], 1);
	CHECK_EQ(kicks[0], 0);
	CHECK_EQ(collect_one(1).irq, 6);
}

TEST(collect_order_priority_id_source)
{
	static const struct {
		unsigned irq;
		uint8_t prio;
	} irqs[] = {
		{ 100, 0x80 }, { 35, 0xa0 }, { 99, 0x80 }, { 150, 0x00 }, { 36, 0x07 },  /* 0x07 -> 0 */
		{ 27, 0x40 },
	};
	static const struct {
		unsigned irq, src;
	} order[] = {
		{ 2, 0 }, { 2, 1 }, { 36, 0 }, { 150, 0 }, { 27, 0 }, { 99, 0 }, { 100, 0 }, { 35, 0 },
	};
	struct vgic_lr_req r[16] = { 0 };
	unsigned n;

	setup(2);
	enable_dist();
	for (unsigned i = 0; i < ARRAY_SIZE(irqs); i++) {
		if (irqs[i].irq < 32) {
			wrb(0, IPRIORITYR + irqs[i].irq, irqs[i].prio);
			set_bit_in(0, ISENABLER, irqs[i].irq);
			set_bit_in(0, ISPENDR, irqs[i].irq);
		} else {
			spi(irqs[i].irq, 1, true, irqs[i].prio);
			vgic_pulse(&D, 0, irqs[i].irq);
		}
	}
	/* SGI 2 at priority 0 from both vCPUs (sent by 1 first). */
	wr(1, SGIR, SGIR_LIST(1) | 2);
	wr(0, SGIR, SGIR_SELF | 2);
	n = collect(0, r, 16);
	CHECK_EQ(n, ARRAY_SIZE(order));
	for (unsigned i = 0; i < n && i < ARRAY_SIZE(order); i++) {
		char label[16];

		snprintf(label, sizeof(label), "slot %u", i);
		CHECK_EQ_MSG(r[i].irq, order[i].irq, label);
		CHECK_EQ_MSG(r[i].source, order[i].src, label);
		if (i > 0)
			CHECK_EQ_MSG(r[i - 1].priority <= r[i].priority, 1, label);
	}
}

TEST(collect_max_leaves_rest_for_later)
{
	struct vgic_lr_req r[8] = { 0 };

	setup(1);
	enable_dist();
	for (unsigned i = 0; i < 5; i++) {
		spi(40 + i, 1, true, (uint8_t)(0x80 - 8 * i));
		vgic_pulse(&D, 0, 40 + i);
	}
	CHECK_EQ(collect(0, r, 0), 0);
	CHECK_EQ(collect(0, r, 2), 2);
	CHECK_EQ(r[0].irq, 44);
	CHECK_EQ(r[1].irq, 43);
	CHECK(vgic_has_pending(&D, 0));
	CHECK_EQ(collect(0, r, 2), 2);
	CHECK_EQ(r[0].irq, 42);
	CHECK_EQ(r[1].irq, 41);
	CHECK_EQ(collect(0, r, 8), 1);
	CHECK_EQ(r[0].irq, 40);
	CHECK(!vgic_has_pending(&D, 0));
	CHECK_EQ(collect(0, r, 8), 0);
}

TEST(spi_to_several_vcpus_delivered_once)
{
	struct vgic_lr_req r;

	setup(3);
	enable_dist();
	spi(90, 0x03, true, 0);
	vgic_pulse(&D, 0, 90);
	CHECK_EQ(kicks[0], 1);
	CHECK_EQ(kicks[1], 1);
	CHECK_EQ(kicks[2], 0);
	CHECK(vgic_has_pending(&D, 0) && vgic_has_pending(&D, 1));
	CHECK(!vgic_has_pending(&D, 2));
	/* vCPU 1 asks first and gets it; vCPU 0 then finds nothing. */
	r = collect_one(1);
	CHECK_EQ(r.irq, 90);
	CHECK(!vgic_has_pending(&D, 0));
	CHECK_EQ(collect_count(0), 0);
	/* Fires again while in vCPU 1's LR: still only one LR system-wide. */
	vgic_pulse(&D, 0, 90);
	CHECK_EQ(collect_count(0), 0);
	CHECK_EQ(collect_count(1), 0);
	/* vCPU 0 cannot sync an entry that is vCPU 1's. */
	CHECK(!vgic_lr_sync(&D, 0, &r, VGIC_LR_INACTIVE, true));
	CHECK_EQ(collect_count(0), 0);
	/* Done on vCPU 1: the next edge may go to vCPU 0, which gets kicked. */
	clear_kicks();
	CHECK(!vgic_lr_sync(&D, 1, &r, VGIC_LR_INACTIVE, true));
	CHECK_EQ(kicks[0], 1);
	CHECK_EQ(kicks[1], 0);                 /* the syncing vCPU collects anyway */
	CHECK_EQ(collect_one(0).irq, 90);
	CHECK_EQ(collect_count(1), 0);
}

TEST(hw_mapping_copied_into_request)
{
	struct vgic_lr_req r;

	setup(2);
	enable_dist();
	spi(45, 1, false, 0x20);
	CHECK_EQ(vgic_map_hw(&D, 0, 45, 77), 0);
	CHECK_EQ(vgic_map_hw(&D, 1, 26, 26), 0);       /* vCPU 1's virtual timer PPI */
	vgic_pulse(&D, 0, 45);
	r = collect_one(0);
	CHECK(r.hw);
	CHECK_EQ(r.hw_id, 77);
	CHECK(!r.eoi_notify);                         /* the physical irq resamples */
	CHECK_EQ(r.priority, 0x20);
	/* The LR holds the pending state: not collected again after it is taken. */
	CHECK(!vgic_lr_sync(&D, 0, &r, VGIC_LR_INACTIVE, true));
	CHECK_EQ(collect_count(0), 0);
	set_bit_in(1, ISENABLER, 26);
	vgic_pulse(&D, 1, 26);
	r = collect_one(1);
	CHECK(r.hw);
	CHECK_EQ(r.hw_id, 26);
	CHECK_EQ(collect_count(0), 0);
	/* Bad mappings. */
	CHECK_EQ(vgic_map_hw(&D, 0, 3, 40), -KEEL_EINVAL);     /* SGI */
	CHECK_EQ(vgic_map_hw(&D, 0, 160, 40), -KEEL_EINVAL);
	CHECK_EQ(vgic_map_hw(&D, 2, 27, 27), -KEEL_EINVAL);    /* no vCPU 2 */
	CHECK_EQ(vgic_map_hw(&D, 0, 46, 15), -KEEL_EINVAL);    /* physical SGI */
	CHECK_EQ(vgic_map_hw(&D, 0, 46, 1020), -KEEL_EINVAL);
	CHECK_EQ(vgic_map_hw(&D, 0, 46, 1019), 0);
}

TEST(eoi_notify_for_level_emulated_only)
{
	static const struct {
		const char *name;
		unsigned irq;
		bool edge, hw, notify;
	} cases[] = {
		{ "edge SPI", 40, true, false, false },
		{ "level SPI", 41, false, false, true },
		{ "level hw SPI", 42, false, true, false },
		{ "edge hw SPI", 43, true, true, false },
		{ "level PPI", 27, false, false, true },
		{ "SGI", 5, true, false, false },
	};

	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		struct vgic_lr_req r;

		setup(1);
		enable_dist();
		if (cases[i].irq >= 32)
			spi(cases[i].irq, 1, cases[i].edge, 0);
		else
			set_bit_in(0, ISENABLER, cases[i].irq);
		if (cases[i].hw)
			CHECK_EQ_MSG(vgic_map_hw(&D, 0, cases[i].irq, 100), 0, cases[i].name);
		if (cases[i].irq < 16)
			wr(0, SGIR, SGIR_SELF | cases[i].irq);
		else
			vgic_pulse(&D, 0, cases[i].irq);
		r = collect_one(0);
		CHECK_EQ_MSG(r.irq, cases[i].irq, cases[i].name);
		CHECK_EQ_MSG(r.eoi_notify, cases[i].notify, cases[i].name);
		CHECK_EQ_MSG(r.hw, cases[i].hw, cases[i].name);
	}
}

TEST(has_pending_matches_collect_table)
{
	/* Every combination of the five delivery conditions for an edge SPI. */
	for (unsigned m = 0; m < 32; m++) {
		bool dist = m & 1, en = m & 2, pend = m & 4, act = m & 8, tgt = m & 16;
		struct vgic copy;
		struct vgic_lr_req r[4] = { 0 };
		char label[16];
		unsigned n;
		bool want = dist && en && pend && !act && tgt;

		snprintf(label, sizeof(label), "mask %u", m);
		setup(2);
		wr(0, ICFGR + 12, 2u << 2);                    /* SPI 49 edge */
		wrb(0, ITARGETSR + 49, tgt ? 0x01 : 0x02);
		if (pend)
			vgic_pulse(&D, 0, 49);
		if (act)
			set_bit_in(0, ISACTIVER, 49);
		if (en)
			set_bit_in(0, ISENABLER, 49);
		if (dist)
			enable_dist();
		CHECK_EQ_MSG(vgic_has_pending(&D, 0), want, label);
		memcpy(&copy, &D, sizeof(D));
		n = collect(0, r, 4);
		/* Active with no pending part may come back as ACTIVE: not "pending". */
		CHECK_EQ_MSG(n && r[0].state == VGIC_LR_PENDING, want, label);
		memcpy(&D, &copy, sizeof(D));
		CHECK_EQ_MSG(vgic_has_pending(&D, 0), want, label);
	}
}

TEST(isactiver_set_spi_goes_to_lowest_target)
{
	struct vgic_lr_req r;

	setup(3);
	enable_dist();
	spi(55, 0x06, true, 0);
	vgic_pulse(&D, 0, 55);
	clear_kicks();
	set_bit_in(0, ISACTIVER, 55);
	CHECK(!vgic_has_pending(&D, 1) && !vgic_has_pending(&D, 2));
	CHECK_EQ(collect_count(2), 0);
	r = collect_one(1);
	CHECK_EQ(r.state, VGIC_LR_PENDING_ACTIVE);
	CHECK(vgic_lr_sync(&D, 1, &r, VGIC_LR_PENDING_ACTIVE, true));
	CHECK(vgic_lr_sync(&D, 1, &r, VGIC_LR_PENDING, true));
	CHECK(!bit_of(0, ISACTIVER, 55));
	/* Set active with no target at all: blocks delivery until cleared. */
	spi(56, 0, true, 0);
	vgic_pulse(&D, 0, 56);
	set_bit_in(0, ISACTIVER, 56);
	wrb(0, ITARGETSR + 56, 0x01);
	CHECK_EQ(collect_count(0), 0);
	set_bit_in(0, ICACTIVER, 56);
	CHECK_EQ(kicks[0], 1);
	CHECK_EQ(collect_one(0).irq, 56);
}

/* ---- the model taking LR entries back ---------------------------------------- */

TEST(icpendr_takes_back_pending_lr_entry)
{
	struct vgic_lr_req r;

	setup(2);
	enable_dist();
	spi(64, 2, true, 0);
	vgic_pulse(&D, 0, 64);
	r = collect_one(1);
	CHECK(vgic_lr_sync(&D, 1, &r, VGIC_LR_PENDING, true));
	clear_kicks();
	set_bit_in(0, ICPENDR, 64);                /* from vCPU 0 */
	CHECK(!bit_of(0, ISPENDR, 64));
	CHECK_EQ(kicks[1], 1);                     /* the holder must resync */
	CHECK(!vgic_lr_sync(&D, 1, &r, VGIC_LR_PENDING, true));
	CHECK(!bit_of(1, ISPENDR, 64));
	CHECK_EQ(collect_count(1), 0);
	CHECK_EQ(collect_count(0), 0);
}

TEST(cpendsgir_takes_back_pending_lr_entry)
{
	struct vgic_lr_req r;

	setup(2);
	enable_dist();
	wr(1, SGIR, SGIR_LIST(1) | 8);
	r = collect_one(0);
	CHECK_EQ(r.source, 1);
	wrb(0, CPENDSGIR + 8, 0x02);
	CHECK_EQ(rdb(0, SPENDSGIR + 8), 0);
	CHECK(!vgic_lr_sync(&D, 0, &r, VGIC_LR_PENDING, true));
	CHECK_EQ(collect_count(0), 0);
}

TEST(icenabler_recalls_untaken_entry)
{
	struct vgic_lr_req r;

	setup(1);
	enable_dist();
	spi(65, 1, true, 0);
	vgic_pulse(&D, 0, 65);
	r = collect_one(0);
	set_bit_in(0, ICENABLER, 65);
	CHECK(bit_of(0, ISPENDR, 65));
	CHECK(!vgic_lr_sync(&D, 0, &r, VGIC_LR_PENDING, true));
	CHECK(bit_of(0, ISPENDR, 65));             /* pending, back in the model */
	CHECK_EQ(collect_count(0), 0);
	set_bit_in(0, ISENABLER, 65);
	CHECK_EQ(collect_one(0).irq, 65);
	/* Once taken, disabling does not pull it out. */
	CHECK(vgic_lr_sync(&D, 0, &r, VGIC_LR_ACTIVE, true));
	set_bit_in(0, ICENABLER, 65);
	CHECK(vgic_lr_sync(&D, 0, &r, VGIC_LR_ACTIVE, true));
}

TEST(icactiver_takes_back_active_lr_entry)
{
	struct vgic_lr_req r;

	setup(1);
	enable_dist();
	spi(66, 1, true, 0);
	vgic_pulse(&D, 0, 66);
	r = collect_one(0);
	CHECK(vgic_lr_sync(&D, 0, &r, VGIC_LR_ACTIVE, true));
	vgic_pulse(&D, 0, 66);
	set_bit_in(0, ICACTIVER, 66);
	CHECK(!bit_of(0, ISACTIVER, 66));
	CHECK(!vgic_lr_sync(&D, 0, &r, VGIC_LR_ACTIVE, true));
	CHECK(!bit_of(0, ISACTIVER, 66));
	/* The second edge, held back by the active state, now goes. */
	r = collect_one(0);
	CHECK_EQ(r.state, VGIC_LR_PENDING);
}

TEST(isactiver_on_lr_entry_applied_at_sync)
{
	struct vgic_lr_req r;

	setup(1);
	enable_dist();
	spi(67, 1, true, 0);
	vgic_pulse(&D, 0, 67);
	r = collect_one(0);
	set_bit_in(0, ISACTIVER, 67);
	CHECK(bit_of(0, ISACTIVER, 67));
	CHECK(!vgic_lr_sync(&D, 0, &r, VGIC_LR_PENDING, true));
	r = collect_one(0);
	CHECK_EQ(r.state, VGIC_LR_PENDING_ACTIVE);
}

TEST(distributor_disable_recalls_untaken_entries)
{
	struct vgic_lr_req r[4] = { 0 };

	setup(1);
	enable_dist();
	spi(68, 1, true, 0);
	spi(69, 1, true, 0);
	vgic_pulse(&D, 0, 68);
	vgic_pulse(&D, 0, 69);
	CHECK_EQ(collect(0, r, 4), 2);
	CHECK(vgic_lr_sync(&D, 0, &r[1], VGIC_LR_ACTIVE, true));
	wr(0, CTLR, 0);
	CHECK(!vgic_lr_sync(&D, 0, &r[0], VGIC_LR_PENDING, true));
	CHECK(vgic_lr_sync(&D, 0, &r[1], VGIC_LR_ACTIVE, true));   /* taken: stays */
	CHECK_EQ(collect_count(0), 0);
	enable_dist();
	CHECK_EQ(collect_one(0).irq, 68);
}

TEST(retarget_recalls_untaken_spi)
{
	struct vgic_lr_req r;

	setup(2);
	enable_dist();
	spi(75, 1, true, 0);
	vgic_pulse(&D, 0, 75);
	r = collect_one(0);
	clear_kicks();
	wrb(0, ITARGETSR + 75, 0x02);
	CHECK_EQ(kicks[0], 1);
	CHECK(!vgic_lr_sync(&D, 0, &r, VGIC_LR_PENDING, true));
	CHECK_EQ(kicks[1], 1);
	CHECK_EQ(collect_count(0), 0);
	CHECK_EQ(collect_one(1).irq, 75);
}

TEST(line_drop_recalls_untaken_level_irq)
{
	struct vgic_lr_req r;

	setup(1);
	enable_dist();
	spi(76, 1, false, 0);
	vgic_set_level(&D, 0, 76, true);
	r = collect_one(0);
	vgic_set_level(&D, 0, 76, false);
	CHECK(!bit_of(0, ISPENDR, 76));
	CHECK(!vgic_lr_sync(&D, 0, &r, VGIC_LR_PENDING, true));
	CHECK_EQ(collect_count(0), 0);
	CHECK(!bit_of(0, ISPENDR, 76));
}

/* ---- device side ------------------------------------------------------------- */

TEST(device_calls_validate_arguments)
{
	setup(2);
	CHECK_EQ(vgic_set_level(&D, 0, 5, true), -KEEL_EINVAL);     /* SGI */
	CHECK_EQ(vgic_pulse(&D, 0, 15), -KEEL_EINVAL);
	CHECK_EQ(vgic_set_level(&D, 0, 160, true), -KEEL_EINVAL);
	CHECK_EQ(vgic_pulse(&D, 0, 1000), -KEEL_EINVAL);
	CHECK_EQ(vgic_set_level(&D, 2, 27, true), -KEEL_EINVAL);    /* no vCPU 2 */
	CHECK_EQ(vgic_pulse(&D, 9, 16), -KEEL_EINVAL);
	CHECK_EQ(vgic_set_level(&D, 9, 32, true), 0);               /* SPI: vcpu ignored */
	CHECK_EQ(vgic_pulse(&D, 1, 159), 0);
	CHECK(bit_of(0, ISPENDR, 32));
	CHECK(bit_of(1, ISPENDR, 159));
	CHECK_EQ(rd(0, ISPENDR), 0);
	CHECK_EQ(rd(1, ISPENDR), 0);
}

TEST(ppi_lines_are_per_vcpu)
{
	setup(2);
	enable_dist();
	set_bit_in(0, ISENABLER, 27);
	set_bit_in(1, ISENABLER, 27);
	CHECK_EQ(vgic_set_level(&D, 1, 27, true), 0);
	CHECK(bit_of(1, ISPENDR, 27));
	CHECK(!bit_of(0, ISPENDR, 27));
	CHECK_EQ(kicks[1], 1);
	CHECK_EQ(kicks[0], 0);
	CHECK_EQ(collect_count(0), 0);
	CHECK_EQ(collect_one(1).irq, 27);
}

TEST(edge_line_latches_on_rising_edge_only)
{
	struct vgic_lr_req r;

	setup(1);
	enable_dist();
	spi(77, 1, true, 0);
	vgic_set_level(&D, 0, 77, true);
	r = collect_one(0);
	CHECK(!vgic_lr_sync(&D, 0, &r, VGIC_LR_INACTIVE, true));
	vgic_set_level(&D, 0, 77, true);          /* still high: no new edge */
	CHECK_EQ(collect_count(0), 0);
	vgic_set_level(&D, 0, 77, false);
	CHECK_EQ(collect_count(0), 0);
	vgic_set_level(&D, 0, 77, true);
	CHECK_EQ(collect_one(0).irq, 77);
}

TEST(kicks_on_guest_writes)
{
	setup(2);
	enable_dist();
	spi(85, 2, true, 0);
	CHECK_EQ(kicks[0] + kicks[1], 0);
	set_bit_in(0, ISPENDR, 85);                 /* written by vCPU 0, for vCPU 1 */
	CHECK_EQ(kicks[1], 1);
	CHECK_EQ(kicks[0], 0);
	/* Clearing never kicks; re-setting does. */
	set_bit_in(0, ICPENDR, 85);
	CHECK_EQ(kicks[1], 1);
	set_bit_in(0, ICENABLER, 85);
	set_bit_in(0, ISPENDR, 85);
	CHECK_EQ(kicks[1], 1);
	set_bit_in(0, ISENABLER, 85);
	CHECK_EQ(kicks[1], 2);
	/* A rising line on an edge irq kicks its target. */
	spi(86, 1, true, 0);
	vgic_set_level(&D, 0, 86, true);
	CHECK_EQ(kicks[0], 1);
	CHECK_EQ(collect_one(0).irq, 86);
	CHECK_EQ(vgic_collect(&D, 0, NULL, 0), 0);
	/* Without a kick callback nothing breaks. */
	D.kick = NULL;
	vgic_pulse(&D, 0, 85);
	CHECK(vgic_has_pending(&D, 1));
}

TEST(icpendr_leaves_asserted_level_irq_in_lr)
{
	struct vgic_lr_req r;

	setup(1);
	enable_dist();
	spi(78, 1, false, 0);
	vgic_set_level(&D, 0, 78, true);
	set_bit_in(0, ISPENDR, 78);                /* latch as well as line */
	r = collect_one(0);
	set_bit_in(0, ICPENDR, 78);
	/* The latch is gone but the line still holds it pending (4.3.8). */
	CHECK(bit_of(0, ISPENDR, 78));
	CHECK(vgic_lr_sync(&D, 0, &r, VGIC_LR_PENDING, true));
	/* Once the line drops, nothing is left to deliver. */
	vgic_set_level(&D, 0, 78, false);
	CHECK(!bit_of(0, ISPENDR, 78));
	CHECK(!vgic_lr_sync(&D, 0, &r, VGIC_LR_PENDING, true));
	CHECK_EQ(collect_count(0), 0);
}

TEST(line_drop_withdraws_pending_part_only)
{
	struct vgic_lr_req r;

	setup(1);
	enable_dist();
	spi(79, 1, false, 0);
	vgic_set_level(&D, 0, 79, true);
	r = collect_one(0);
	CHECK(!vgic_lr_sync(&D, 0, &r, VGIC_LR_PENDING_ACTIVE, false));
	r = collect_one(0);
	CHECK_EQ(r.state, VGIC_LR_PENDING_ACTIVE);
	vgic_set_level(&D, 0, 79, false);
	CHECK(!bit_of(0, ISPENDR, 79));
	CHECK(bit_of(0, ISACTIVER, 79));
	/* Taken back, the active state comes back alone. */
	CHECK(!vgic_lr_sync(&D, 0, &r, VGIC_LR_PENDING_ACTIVE, true));
	r = collect_one(0);
	CHECK_EQ(r.state, VGIC_LR_ACTIVE);
}

/* ---- the timer's shortcuts (core/irq.c's fast path) ------------------------- */

/* vCPU 1's forwarded timer PPI, enabled with a priority, the distributor on. */
static void timer_ready(void)
{
	setup(2);
	enable_dist();
	CHECK_EQ(vgic_map_hw(&D, 1, 27, 27), 0);
	wrb(1, IPRIORITYR + 27, 0xa0);
	set_bit_in(1, ISENABLER, 27);
}

static bool same_req(const struct vgic_lr_req *a, const struct vgic_lr_req *b)
{
	return a->irq == b->irq && a->source == b->source && a->priority == b->priority &&
	       a->hw == b->hw && a->hw_id == b->hw_id && a->eoi_notify == b->eoi_notify &&
	       a->group1 == b->group1 && a->state == b->state;
}

TEST(pulse_take_is_pulse_then_collect)
{
	static struct vgic start, shortcut;
	struct vgic_lr_req fast, slow;

	timer_ready();
	start = D;
	CHECK(vgic_pulse_take(&D, 1, 27, &fast));
	CHECK_EQ(kicks[1], 0);                          /* nothing left to collect */
	shortcut = D;
	D = start;
	vgic_pulse(&D, 1, 27);
	slow = collect_one(1);
	CHECK(same_req(&fast, &slow));
	CHECK_EQ(fast.state, VGIC_LR_PENDING);
	CHECK(fast.hw && fast.hw_id == 27 && fast.priority == 0xa0);
	CHECK(!memcmp(&shortcut.priv[1][27], &D.priv[1][27], sizeof(D.priv[1][27])));
	CHECK_EQ(collect_count(1), 0);
}

TEST(pulse_take_refuses_what_cannot_go_straight_in)
{
	struct vgic_lr_req r;

	timer_ready();
	set_bit_in(1, ICENABLER, 27);
	/* Disabled: pending in the model (as vgic_pulse), nothing deliverable. */
	CHECK(!vgic_pulse_take(&D, 1, 27, &r));
	CHECK(bit_of(1, ISPENDR, 27));
	CHECK_EQ(kicks[1], 0);
	CHECK_EQ(collect_count(1), 0);
	/* Enabled again: the usual collect delivers it. */
	set_bit_in(1, ISENABLER, 27);
	CHECK_EQ(kicks[1], 1);
	r = collect_one(1);
	CHECK_EQ(r.irq, 27);
	/* Already in an LR: refused, pending again behind it. */
	CHECK(!vgic_pulse_take(&D, 1, 27, &r));
	/* Not a PPI, or no such vCPU. */
	CHECK(!vgic_pulse_take(&D, 0, 3, &r));
	CHECK(!vgic_pulse_take(&D, 0, 40, &r));
	CHECK(!vgic_pulse_take(&D, 2, 27, &r));
}

TEST(refire_is_sync_then_pulse_take)
{
	static struct vgic start, shortcut;
	struct vgic_lr_req first, fast, slow;

	timer_ready();
	CHECK(vgic_pulse_take(&D, 1, 27, &first));
	/* The guest takes it and finishes (its LR reads empty); the timer fires again. */
	start = D;
	fast = first;
	CHECK(vgic_lr_refire(&D, 1, &fast));
	shortcut = D;
	D = start;
	slow = first;
	CHECK(!vgic_lr_sync(&D, 1, &slow, VGIC_LR_INACTIVE, true));
	CHECK(vgic_pulse_take(&D, 1, 27, &slow));
	CHECK(same_req(&fast, &slow));
	CHECK(!memcmp(&shortcut.priv[1][27], &D.priv[1][27], sizeof(D.priv[1][27])));
	CHECK(bit_of(1, ISPENDR, 27));                  /* pending, in the LR */
}

TEST(refire_refuses_after_any_other_change)
{
	static const struct { const char *name; uint32_t reg; } writes[] = {
		{ "disabled", ICENABLER }, { "pending set", ISPENDR },
		{ "active set", ISACTIVER }, { "pending cleared", ICPENDR },
	};
	static struct vgic before;
	struct vgic_lr_req r, first;

	for (unsigned i = 0; i < sizeof(writes) / sizeof(writes[0]); i++) {
		timer_ready();
		CHECK(vgic_pulse_take(&D, 1, 27, &first));
		set_bit_in(1, writes[i].reg, 27);
		before = D;
		r = first;
		CHECK_EQ_MSG(vgic_lr_refire(&D, 1, &r), false, writes[i].name);
		CHECK_EQ_MSG(memcmp(&before, &D, sizeof(D)), 0, writes[i].name);
	}
	/* The distributor off, and entries that are not a private interrupt's. */
	timer_ready();
	CHECK(vgic_pulse_take(&D, 1, 27, &first));
	wr(0, CTLR, 0);
	r = first;
	CHECK(!vgic_lr_refire(&D, 1, &r));
	r.irq = 40;
	CHECK(!vgic_lr_refire(&D, 1, &r));
	r.irq = 27;
	CHECK(!vgic_lr_refire(&D, 3, &r));
}
