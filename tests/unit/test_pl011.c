/* SPDX-License-Identifier: MIT */
/*
 * The emulated PL011 (devices/pl011.c) through its vdev_ops, as the MMIO bus
 * would call it. Register offsets, reset values and ID bytes are taken from
 * the PL011 r1p5 TRM, written out here independently of pl011.c. Transmitted
 * bytes land in the fake console (fakes.c), recorded per partition.
 */
#include "unit.h"
#include "fakes.h"
#include <keel/vm.h>
#include <devices/pl011.h>

#define DR     0x000
#define RSR    0x004
#define FR     0x018
#define ILPR   0x020
#define IBRD   0x024
#define FBRD   0x028
#define LCR_H  0x02c
#define CR     0x030
#define IFLS   0x034
#define IMSC   0x038
#define RIS    0x03c
#define MIS    0x040
#define ICR    0x044
#define DMACR  0x048

#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)
#define FR_RXFF (1u << 6)
#define FR_TXFE (1u << 7)
#define FR_BUSY (1u << 3)
#define INT_RX  (1u << 4)
#define INT_TX  (1u << 5)
#define INT_RT  (1u << 6)
#define UART_IRQ 33   /* the partition's SPI 1 */

static struct vm vm;

static struct vpl011 *setup(unsigned id)
{
	struct vpl011 *u;

	fake_reset();
	memset(&vm, 0, sizeof(vm));
	vm.id = id;
	snprintf(vm.name, sizeof(vm.name), "uart%u", id);
	u = vpl011_create(&vm);
	CHECK(u != NULL);
	return u;
}

static enum mmio_result access(struct vpl011 *u, uint32_t off, unsigned size, bool write,
			       uint32_t *val)
{
	struct mmio_access a = {
		.addr = GUEST_UART_IPA + off, .offset = off, .size = size, .is_write = write,
		.value = write ? *val : 0xcafef00du,
	};
	enum mmio_result r = vpl011_ops.access(u, &a);

	if (!write)
		*val = a.value;
	return r;
}

/*
 * A read as the guest sees it: the arch layer keeps only the accessed bytes
 * of the device's value (arch/arm32/mmio_emul.c), so the device may leave
 * higher bits set on a narrow read.
 */
static uint32_t rd(struct vpl011 *u, uint32_t off, unsigned size)
{
	uint32_t v = 0;

	CHECK_EQ_MSG(access(u, off, size, false, &v), MMIO_OK, "read");
	return size >= 4 ? v : v & ((1u << (8 * size)) - 1);
}

static void wr(struct vpl011 *u, uint32_t off, unsigned size, uint32_t v)
{
	CHECK_EQ_MSG(access(u, off, size, true, &v), MMIO_OK, "write");
}

TEST(create_uses_vm_slot)
{
	struct vm a = { .id = 0 }, b = { .id = 3 }, c = { .id = 0 };
	struct vpl011 *ua = vpl011_create(&a), *ub = vpl011_create(&b), *uc;

	CHECK(ua && ub && ua != ub);
	CHECK(ua->vm == &a);
	CHECK(ub->vm == &b);
	/* Bytes go to the owning partition's console. */
	fake_reset();
	wr(ua, DR, 4, 'A');
	wr(ub, DR, 4, 'B');
	CHECK_EQ(fake.console_len, 2);
	CHECK(fake.console_vm[0] == &a && fake.console_byte[0] == 'A');
	CHECK(fake.console_vm[1] == &b && fake.console_byte[1] == 'B');
	/* The same slot again: the same UART, reset and re-owned. */
	CHECK(vpl011_receive(ua, 'x'));
	wr(ua, IBRD, 4, 13);
	uc = vpl011_create(&c);
	CHECK(uc == ua);
	CHECK(uc->vm == &c);
	CHECK_EQ(rd(uc, IBRD, 4), 0);
	CHECK_EQ(rd(uc, FR, 4) & FR_RXFE, FR_RXFE);
	/* Every slot is a distinct UART. */
	{
		struct vm vms_[VM_MAX];
		struct vpl011 *us[VM_MAX];

		memset(vms_, 0, sizeof(vms_));
		for (unsigned i = 0; i < VM_MAX; i++) {
			vms_[i].id = i;
			us[i] = vpl011_create(&vms_[i]);
			CHECK(us[i] != NULL);
			for (unsigned j = 0; j < i; j++)
				CHECK(us[i] != us[j]);
		}
	}
}

TEST(reset_values)
{
	static const struct {
		uint32_t off, val;
	} cases[] = {
		{ DR, 0 }, { RSR, 0 }, { FR, FR_TXFE | FR_RXFE }, { ILPR, 0 }, { IBRD, 0 },
		{ FBRD, 0 }, { LCR_H, 0 }, { CR, 0x300 }, { IFLS, 0x12 }, { IMSC, 0 },
		{ RIS, 0 }, { MIS, 0 }, { ICR, 0 }, { DMACR, 0 },
	};
	struct vpl011 *u = setup(1);

	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		char label[16];

		snprintf(label, sizeof(label), "off 0x%03x", cases[i].off);
		CHECK_EQ_MSG(rd(u, cases[i].off, 4), cases[i].val, label);
	}
	CHECK_EQ(fake.console_len, 0);
	/* Reset through the ops brings them back after changes. */
	wr(u, CR, 4, 0x301);
	wr(u, IFLS, 4, 0);
	wr(u, IMSC, 4, 0x7ff);
	wr(u, IBRD, 4, 26);
	CHECK(vpl011_receive(u, 'q'));
	vpl011_ops.reset(u);
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++)
		CHECK_EQ_MSG(rd(u, cases[i].off, 4), cases[i].val, "after reset");
}

TEST(dr_write_emits_byte)
{
	struct vpl011 *u = setup(2);
	static const char msg[] = "Hi\n";
	char out[16];

	for (const char *p = msg; *p; p++)
		wr(u, DR, 4, (uint8_t)*p);
	wr(u, DR, 1, 'z');
	wr(u, DR, 2, '!');
	wr(u, DR, 4, 0xffffff41u);    /* only bits 7:0 are data */
	wr(u, DR, 4, 0x80);           /* 8-bit clean */
	wr(u, DR, 1, 0xe9);
	CHECK_EQ(fake_console_of(&vm, out, sizeof(out)), 8);
	CHECK(!memcmp(out, "Hi\nz!A\x80\xe9", 8));
	/* FR never says the transmitter is full, however much was sent. */
	for (unsigned i = 0; i < 1000; i++) {
		wr(u, DR, 4, 'x');
		CHECK_EQ_MSG(rd(u, FR, 4) & (FR_TXFF | FR_BUSY), 0, "FR.TXFF/BUSY");
		CHECK_EQ_MSG(rd(u, FR, 4) & FR_TXFE, FR_TXFE, "FR.TXFE");
	}
	CHECK_EQ(fake.console_len, 1008);
	/* Reading DR never transmits. */
	rd(u, DR, 4);
	CHECK_EQ(fake.console_len, 1008);
}

TEST(receive_fifo)
{
	struct vpl011 *u = setup(0);

	CHECK_EQ(rd(u, DR, 4), 0);                    /* empty: reads 0 */
	CHECK_EQ(rd(u, FR, 4) & FR_RXFE, FR_RXFE);
	CHECK(vpl011_receive(u, 'a'));
	CHECK_EQ(rd(u, FR, 4) & FR_RXFE, 0);
	CHECK(vpl011_receive(u, 'b'));
	CHECK(vpl011_receive(u, 0xff));
	CHECK_EQ(rd(u, DR, 4), 'a');
	CHECK_EQ(rd(u, FR, 4) & FR_RXFE, 0);
	CHECK_EQ(rd(u, DR, 1), 'b');
	CHECK_EQ(rd(u, DR, 4), 0xff);
	CHECK_EQ(rd(u, FR, 4) & FR_RXFE, FR_RXFE);
	CHECK_EQ(rd(u, DR, 4), 0);
	CHECK_EQ(fake.console_len, 0);                 /* receive is not echoed */

	/* Fill it completely, with the ring wrapped (head is at 3 now). */
	for (unsigned i = 0; i < VPL011_RX_SIZE; i++)
		CHECK_EQ_MSG(vpl011_receive(u, (uint8_t)(i + 1)), 1, "fill");
	CHECK_EQ(vpl011_receive(u, 0x55), 0);          /* full: refused */
	CHECK_EQ(rd(u, FR, 4) & FR_RXFE, 0);
	/* A full receive FIFO says nothing about the transmitter. */
	CHECK_EQ(rd(u, FR, 4) & (FR_TXFE | FR_TXFF | FR_BUSY), FR_TXFE);
	for (unsigned i = 0; i < VPL011_RX_SIZE; i++)
		CHECK_EQ_MSG(rd(u, DR, 4), i + 1, "in order");
	CHECK_EQ(rd(u, FR, 4) & FR_RXFE, FR_RXFE);
	/* Room again after draining. */
	CHECK(vpl011_receive(u, 'c'));
	CHECK_EQ(rd(u, DR, 4), 'c');
	/* One read frees exactly one slot. */
	for (unsigned i = 0; i < VPL011_RX_SIZE; i++)
		vpl011_receive(u, 'f');
	CHECK(!vpl011_receive(u, 'g'));
	CHECK_EQ(rd(u, DR, 4), 'f');
	CHECK(vpl011_receive(u, 'g'));
	CHECK(!vpl011_receive(u, 'h'));
}

TEST(interrupt_status_vs_mask)
{
	struct vpl011 *u = setup(1);
	static const uint32_t masks[] = { 0, INT_TX, INT_RX, INT_RX | INT_TX, 0x7ff };

	for (unsigned m = 0; m < ARRAY_SIZE(masks); m++) {
		wr(u, ICR, 4, 0x7ff);
		wr(u, IMSC, 4, masks[m]);
		CHECK_EQ_MSG(rd(u, IMSC, 4), masks[m], "IMSC reads back");
		/* Nothing sent or received since ICR: nothing raised, line low. */
		CHECK_EQ_MSG(rd(u, RIS, 4), 0, "RIS idle");
		CHECK_EQ_MSG(fake_irq_level[UART_IRQ], 0, "line idle");
		/* A byte sent raises TX until ICR clears it. */
		wr(u, DR, 4, 'x');
		CHECK_EQ_MSG(rd(u, RIS, 4), INT_TX, "RIS tx");
		CHECK_EQ_MSG(rd(u, MIS, 4), INT_TX & masks[m], "MIS tx");
		CHECK_EQ_MSG(fake_irq_level[UART_IRQ], (INT_TX & masks[m]) != 0, "line tx");
		/* A byte received raises RX and RT while it waits. */
		CHECK(vpl011_receive(u, '1'));
		CHECK_EQ_MSG(rd(u, RIS, 4), INT_TX | INT_RX | INT_RT, "RIS rx");
		CHECK_EQ_MSG(rd(u, MIS, 4), (INT_TX | INT_RX | INT_RT) & masks[m], "MIS rx");
		CHECK_EQ_MSG(fake_irq_level[UART_IRQ], ((INT_TX | INT_RX | INT_RT) & masks[m]) != 0,
			     "line rx");
		/* ICR clears TX, but not a receive condition that still holds. */
		wr(u, ICR, 4, 0x7ff);
		CHECK_EQ_MSG(rd(u, RIS, 4), INT_RX | INT_RT, "RIS after ICR");
		rd(u, DR, 4);
		CHECK_EQ_MSG(rd(u, RIS, 4), 0, "RIS drained");
		CHECK_EQ_MSG(rd(u, MIS, 4), 0, "MIS drained");
		CHECK_EQ_MSG(fake_irq_level[UART_IRQ], 0, "line drained");
	}
	/* RIS and MIS are read-only. */
	wr(u, DR, 4, 'y');
	wr(u, IMSC, 4, 0);
	wr(u, RIS, 4, 0);
	wr(u, MIS, 4, 0x7ff);
	CHECK_EQ(rd(u, RIS, 4), INT_TX);
	CHECK_EQ(rd(u, MIS, 4), 0);
}

TEST(icr_write_only_fr_read_only)
{
	struct vpl011 *u = setup(0);

	wr(u, ICR, 4, 0x7ff);
	CHECK_EQ(rd(u, ICR, 4), 0);
	CHECK_EQ(rd(u, ICR, 2), 0);
	CHECK_EQ(rd(u, ICR, 1), 0);
	wr(u, FR, 4, 0);
	CHECK_EQ(rd(u, FR, 4), FR_TXFE | FR_RXFE);
	wr(u, FR, 4, FR_TXFF | FR_RXFF);
	CHECK_EQ(rd(u, FR, 4), FR_TXFE | FR_RXFE);
	CHECK(vpl011_receive(u, 'x'));
	wr(u, FR, 4, FR_RXFE);
	CHECK_EQ(rd(u, FR, 4), FR_TXFE);
	CHECK_EQ(fake.console_len, 0);
}

TEST(read_write_registers)
{
	static const uint32_t regs[] = { ILPR, IBRD, FBRD, LCR_H, CR, IFLS, IMSC, DMACR };
	struct vpl011 *u = setup(3);

	for (unsigned i = 0; i < ARRAY_SIZE(regs); i++) {
		char label[16];

		snprintf(label, sizeof(label), "off 0x%03x", regs[i]);
		wr(u, regs[i], 4, 0x1234);
		CHECK_EQ_MSG(rd(u, regs[i], 4), 0x1234, label);
		/* Registers are at most 16 bits wide. */
		wr(u, regs[i], 4, 0xabcd5678u);
		CHECK_EQ_MSG(rd(u, regs[i], 4) & 0xffff0000u, 0, label);
		CHECK_EQ_MSG(rd(u, regs[i], 4) & 0xffff, 0x5678, label);
	}
	/* They are independent of each other. */
	for (unsigned i = 0; i < ARRAY_SIZE(regs); i++)
		wr(u, regs[i], 4, 0x100 + i);
	for (unsigned i = 0; i < ARRAY_SIZE(regs); i++)
		CHECK_EQ_MSG(rd(u, regs[i], 4), 0x100 + i, "independent");
	CHECK_EQ(fake.console_len, 0);
}

TEST(primecell_ids)
{
	static const uint8_t want[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };
	struct vpl011 *u = setup(0);

	for (unsigned i = 0; i < 8; i++) {
		char label[16];

		snprintf(label, sizeof(label), "id 0x%03x", 0xfe0 + 4 * i);
		CHECK_EQ_MSG(rd(u, 0xfe0 + 4 * i, 4), want[i], label);
		CHECK_EQ_MSG(rd(u, 0xfe0 + 4 * i, 1), want[i], label);
		CHECK_EQ_MSG(rd(u, 0xfe0 + 4 * i, 2), want[i], label);
		/* Read-only: a write changes nothing. */
		wr(u, 0xfe0 + 4 * i, 4, 0xffffffffu);
		CHECK_EQ_MSG(rd(u, 0xfe0 + 4 * i, 4), want[i], label);
	}
	CHECK_EQ(fake.console_len, 0);
}

TEST(sub_word_reads)
{
	struct vpl011 *u = setup(1);

	wr(u, IBRD, 4, 0xbeef);
	CHECK_EQ(rd(u, IBRD, 4), 0xbeef);
	CHECK_EQ(rd(u, IBRD, 2), 0xbeef);
	CHECK_EQ(rd(u, IBRD, 1), 0xef);
	CHECK_EQ(rd(u, IBRD + 1, 1), 0xbe);       /* bits 15:8 */
	CHECK_EQ(rd(u, IBRD + 2, 1), 0);
	CHECK_EQ(rd(u, IBRD + 3, 1), 0);
	CHECK_EQ(rd(u, IBRD + 2, 2), 0);
	CHECK_EQ(rd(u, CR + 1, 1), 0x03);          /* CR reset 0x300: TXE|RXE */
	CHECK_EQ(rd(u, CR, 1), 0x00);
	CHECK_EQ(rd(u, FR, 1), FR_TXFE | FR_RXFE);
	CHECK_EQ(rd(u, FR + 1, 1), 0);
	CHECK_EQ(rd(u, IFLS, 1), 0x12);
	/* A byte read of DR pops one byte like a word read. */
	CHECK(vpl011_receive(u, 'k'));
	CHECK(vpl011_receive(u, 'l'));
	CHECK_EQ(rd(u, DR, 1), 'k');
	CHECK_EQ(rd(u, DR, 2), 'l');
	CHECK_EQ(rd(u, FR, 4) & FR_RXFE, FR_RXFE);
	/* Byte and halfword writes at a register's own offset. */
	wr(u, FBRD, 1, 0x2a);
	CHECK_EQ(rd(u, FBRD, 4), 0x2a);
	wr(u, LCR_H, 2, 0x70);
	CHECK_EQ(rd(u, LCR_H, 4), 0x70);
}

TEST(unaligned_access_faults)
{
	static const struct {
		uint32_t off;
		unsigned size;
	} cases[] = {
		{ DR + 1, 4 }, { DR + 2, 4 }, { DR + 3, 4 }, { DR + 1, 2 }, { DR + 3, 2 },
		{ IBRD + 1, 2 }, { CR + 2, 4 }, { 0xfe1, 4 }, { 0xffd, 2 }, { 0xffe, 4 },
		{ 0x100 + 1, 4 },
	};
	struct vpl011 *u = setup(2);

	CHECK(vpl011_receive(u, 'r'));
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		char label[24];
		uint32_t v = 'w';

		snprintf(label, sizeof(label), "0x%03x/%u", cases[i].off, cases[i].size);
		CHECK_EQ_MSG(access(u, cases[i].off, cases[i].size, false, &v), MMIO_GUEST_FAULT,
			     label);
		v = 'w';
		CHECK_EQ_MSG(access(u, cases[i].off, cases[i].size, true, &v), MMIO_GUEST_FAULT,
			     label);
	}
	/* Nothing happened: no byte sent, the received byte still waits. */
	CHECK_EQ(fake.console_len, 0);
	CHECK_EQ(rd(u, DR, 4), 'r');
}

TEST(reserved_offsets_raz_wi)
{
	static const uint32_t offs[] = {
		0x008, 0x00c, 0x010, 0x014, 0x01c, 0x04c, 0x050, 0x054, 0x080, 0x100, 0x400,
		0xf00, 0xfd0, 0xfdc,
	};
	struct vpl011 *u = setup(0);
	uint32_t before[0x50 / 4];

	memcpy(before, u->regs, sizeof(before));
	for (unsigned i = 0; i < ARRAY_SIZE(offs); i++) {
		char label[16];

		snprintf(label, sizeof(label), "off 0x%03x", offs[i]);
		wr(u, offs[i], 4, 0xffffffffu);
		CHECK_EQ_MSG(rd(u, offs[i], 4), 0, label);
		CHECK_EQ_MSG(rd(u, offs[i], 1), 0, label);
	}
	CHECK(!memcmp(before, u->regs, sizeof(before)));
	CHECK_EQ(fake.console_len, 0);
	CHECK_EQ(rd(u, CR, 4), 0x300);
}

/*
 * Known bug 1: a sub-word read of a PrimeCell ID register at +1..+3 returns
 * the ID byte instead of bits 15:8/23:16/31:24 of the register (which are 0):
 * vpl011_access() ignores `shift` on the 0xfe0-0xffc path.
 */
TEST(known_bug_id_regs_sub_word)
{
	struct vpl011 *u = setup(0);

	CHECK_EQ(rd(u, 0xfe1, 1), 0);
	CHECK_EQ(rd(u, 0xfe2, 2), 0);
	CHECK_EQ(rd(u, 0xfff, 1), 0);
}

/*
 * Known bug 2: UARTRSR/UARTECR (0x004). On the PL011 a write to ECR clears
 * the error flags and RSR reads them; this model stores the written value and
 * reads it back, so after `ECR = 0xf` the guest sees framing, parity, break
 * and overrun errors that never happened.
 */
TEST(known_bug_ecr_write_clears)
{
	struct vpl011 *u = setup(0);

	wr(u, RSR, 4, 0xf);
	CHECK_EQ(rd(u, RSR, 4), 0);
}

/*
 * Known bug 3: a byte write to DR+1..DR+3 sends a NUL byte to the console
 * (write_reg gets value << shift, and DR transmits its low byte).
 */
TEST(known_bug_dr_high_byte_write)
{
	struct vpl011 *u = setup(0);

	wr(u, DR + 1, 1, 'x');
	CHECK_EQ(fake.console_len, 0);
}

/*
 * Known bug 4: a byte/halfword write to a register at offset+1..+3 clears the
 * register's other bytes (no read-modify-write).
 */
TEST(known_bug_sub_word_write_merges)
{
	struct vpl011 *u = setup(0);

	wr(u, IBRD, 4, 0x12);
	wr(u, IBRD + 1, 1, 0x34);
	CHECK_EQ(rd(u, IBRD, 4), 0x3412);
}

/*
 * The unlocked read (vpl011_peek, the exit path's FR poll): wherever it
 * answers, it answers what access() does, at every offset and size, with the
 * FIFO empty and not, and changes nothing; it refuses what changes state or
 * combines fields (DR, RIS, MIS) and unaligned reads, which access() faults.
 */
TEST(peek_agrees_with_access_and_refuses_the_rest)
{
	static const unsigned sizes[] = { 1, 2, 4 };
	struct vpl011 *u = setup(2);
	unsigned answered = 0;

	wr(u, IMSC, 4, INT_RX);
	wr(u, IBRD, 4, 0x27);
	wr(u, DR, 4, 'z');   /* TX raised */
	for (unsigned fill = 0; fill < 2; fill++) {
		if (fill)
			CHECK(vpl011_receive(u, 'q'));
		for (uint32_t off = 0; off < 0x1000; off++) {
			for (unsigned s = 0; s < ARRAY_SIZE(sizes); s++) {
				struct mmio_access p = {
					.addr = GUEST_UART_IPA + off, .offset = off, .size = sizes[s],
					.value = 0xcafef00du,
				};
				uint32_t word = off & ~3u, mask = sizes[s] >= 4 ? ~0u :
					(1u << (8 * sizes[s])) - 1;
				bool refuse = (off & (sizes[s] - 1)) || word == DR || word == RIS ||
					      word == MIS;
				struct vpl011 before = *u;
				bool got = vpl011_ops.peek(u, &p);
				uint32_t v = 0;

				CHECK_EQ_MSG(got, !refuse, "peek answers exactly the side-effect-free reads");
				CHECK_EQ_MSG(memcmp(&before, u, sizeof(before)), 0, "peek changes nothing");
				if (!got)
					continue;
				answered++;
				CHECK_EQ_MSG(access(u, off, sizes[s], false, &v), MMIO_OK, "access reads");
				CHECK_EQ_MSG(p.value & mask, v & mask, "same value as access()");
			}
		}
	}
	CHECK(answered > 1000);
	/* FR through peek follows the FIFO. */
	{
		struct mmio_access p = { .offset = FR, .size = 4 };

		CHECK(vpl011_ops.peek(u, &p));
		CHECK_EQ(p.value & FR_RXFE, 0);
		rd(u, DR, 4);
		CHECK(vpl011_ops.peek(u, &p));
		CHECK_EQ(p.value & FR_RXFE, FR_RXFE);
	}
}

