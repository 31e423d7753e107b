/* SPDX-License-Identifier: MIT */
/*
 * An emulated ARM PL011 UART (PrimeCell r1p5), enough for Linux's
 * amba-pl011 driver and for bare-metal polling: transmit goes to the
 * partition's console line, receive comes from a small FIFO. The register
 * map is a table: offset, access (read-only, write-only, read/write) and
 * reset value; a few registers have behaviour on top (DR, FR, RIS/MIS, ICR).
 * Reads of a register with a narrower access return its low bits.
 */
#include <string.h>
#include <keel/console.h>
#include <keel/vm.h>
#include <devices/pl011.h>

enum { UART_DR = 0x00, UART_RSR = 0x04, UART_FR = 0x18, UART_ILPR = 0x20,
       UART_IBRD = 0x24, UART_FBRD = 0x28, UART_LCR_H = 0x2c, UART_CR = 0x30,
       UART_IFLS = 0x34, UART_IMSC = 0x38, UART_RIS = 0x3c, UART_MIS = 0x40,
       UART_ICR = 0x44, UART_DMACR = 0x48 };

#define FR_RXFE  (1u << 4)
#define FR_TXFE  (1u << 7)
#define INT_RX   (1u << 4)
#define INT_TX   (1u << 5)
#define INT_RT   (1u << 6)   /* receive timeout: a byte waits below the trigger level */

enum reg_access { NONE, RO, WO, RW };   /* NONE: reserved, RAZ/WI */

struct reg_desc {
	uint8_t access;
	uint32_t reset;
};

/* By word offset: one lookup per access (every FR poll is one). */
static const struct reg_desc reg_table[UART_DMACR / 4 + 1] = {
	[UART_DR / 4] = { RW, 0 },
	[UART_RSR / 4] = { RW, 0 },       /* no receive errors ever: reads 0, writes clear nothing */
	[UART_FR / 4] = { RO, FR_RXFE | FR_TXFE },
	[UART_ILPR / 4] = { RW, 0 },
	[UART_IBRD / 4] = { RW, 0 },
	[UART_FBRD / 4] = { RW, 0 },
	[UART_LCR_H / 4] = { RW, 0 },
	[UART_CR / 4] = { RW, 0x300 },   /* TXE | RXE */
	[UART_IFLS / 4] = { RW, 0x12 },
	[UART_IMSC / 4] = { RW, 0 },
	[UART_RIS / 4] = { RO, 0 },
	[UART_MIS / 4] = { RO, 0 },
	[UART_ICR / 4] = { WO, 0 },
	[UART_DMACR / 4] = { RW, 0 },
};

/* PrimeCell identification at 0xfe0-0xffc: PL011 r1p5, then the cell id. */
static const uint8_t id_regs[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

static struct vpl011 pool[VM_MAX];

static const struct reg_desc *find_reg(uint32_t off)
{
	if (off / 4 >= ARRAY_SIZE(reg_table) || reg_table[off / 4].access == NONE)
		return NULL;
	return &reg_table[off / 4];
}

/*
 * Raw interrupt status. Transmit: the FIFO drains at once, so TX is raised by
 * every byte written and stays until the guest clears it (ICR), which is how
 * Linux's driver paces interrupt-driven output (and how QEMU's PL011 behaves).
 * Receive: RX and RT while a byte waits.
 */
static uint32_t raw_irqs(const struct vpl011 *u)
{
	return u->tx_irq | (u->rx_count ? INT_RX | INT_RT : 0);
}

/*
 * The partition's interrupt line (SPI 1) follows RIS & IMSC. Told to the
 * vGIC only when it changes: most accesses (every FR poll) change nothing.
 */
static void update_irq(struct vpl011 *u)
{
	bool level = (raw_irqs(u) & u->regs[UART_IMSC / 4]) != 0;

	if (level == u->line)
		return;
	u->line = level;
	vgic_set_level(&u->vm->vgic, 0, GUEST_UART_IRQ, level);
}

/*
 * Fields an unlocked read (vpl011_peek) also looks at are written once per
 * change, whole: such a read sees the value before or after, as on a bus.
 */
#define SET_FIELD(x, v)  __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define PEEK_FIELD(x)    __atomic_load_n(&(x), __ATOMIC_RELAXED)

static uint32_t read_reg(struct vpl011 *u, uint32_t off)
{
	uint32_t v;

	switch (off) {
	case UART_RSR:
		return 0;
	case UART_DR:
		if (!u->rx_count)
			return 0;
		v = u->rx[u->rx_head];
		u->rx_head = (u->rx_head + 1) % VPL011_RX_SIZE;
		SET_FIELD(u->rx_count, u->rx_count - 1);
		return v;
	case UART_FR:
		return FR_TXFE | (PEEK_FIELD(u->rx_count) ? 0 : FR_RXFE);
	case UART_RIS:
		return raw_irqs(u);
	case UART_MIS:
		return raw_irqs(u) & u->regs[UART_IMSC / 4];
	default:
		return PEEK_FIELD(u->regs[off / 4]);
	}
}

/* A write of `size` bytes at byte `lane` of the register at off. */
static void write_reg(struct vpl011 *u, uint32_t off, unsigned lane, unsigned size,
		      uint32_t val)
{
	uint32_t mask = (size >= 4 ? ~0u : (1u << (8 * size)) - 1) << (8 * lane);

	switch (off) {
	case UART_DR:
		if (lane == 0) {  /* the data byte is DR[7:0]; other lanes send nothing */
			console_guest_putc(u->vm, (char)(val & 0xff));
			u->tx_irq = INT_TX;
		}
		break;
	case UART_RSR:   /* ECR: clears error flags, and there are none */
		break;
	case UART_ICR:   /* receive state is derived from the FIFO; TX is latched */
		if ((val << (8 * lane)) & INT_TX)
			u->tx_irq = 0;
		break;
	default:
		/* merge: a narrow write changes only its own bytes */
		SET_FIELD(u->regs[off / 4],
			  ((u->regs[off / 4] & ~mask) | ((val << (8 * lane)) & mask)) & 0xffff);
		break;
	}
}

/* What a read returns (DR's pops the FIFO). */
static uint32_t read_value(struct vpl011 *u, uint32_t off, uint32_t shift)
{
	const struct reg_desc *r;

	if (off >= 0xfe0)   /* 8-bit ID registers in word slots: upper lanes read 0 */
		return (uint32_t)id_regs[(off - 0xfe0) / 4] >> shift;
	r = find_reg(off);
	if (!r || r->access == WO)
		return 0;   /* reserved: RAZ/WI; write-only: reads 0 */
	return read_reg(u, off) >> shift;
}

static enum mmio_result vpl011_access(void *dev, struct mmio_access *a)
{
	struct vpl011 *u = dev;
	uint32_t off = a->offset & ~3u, lane = a->offset & 3;
	const struct reg_desc *r;

	if (a->offset & (a->size - 1))
		return MMIO_GUEST_FAULT;   /* unaligned: the bus would abort */
	if (!a->is_write) {
		a->value = read_value(u, off, lane * 8);
		if (off == UART_DR)
			update_irq(u);     /* only a DR read changes state (the FIFO) */
		return MMIO_OK;
	}
	r = off < 0xfe0 ? find_reg(off) : NULL;
	if (r && r->access != RO) {
		write_reg(u, off, lane, a->size, a->value);
		update_irq(u);
	}
	return MMIO_OK;
}

/*
 * Reads that change nothing, without the partition's lock. FR first: every
 * status poll (Linux's console waits on it for each byte) is one. DR pops
 * the FIFO, and RIS/MIS combine fields that change together, so those (and
 * unaligned reads, which fault) take the lock through access().
 */
static bool vpl011_peek(void *dev, struct mmio_access *a)
{
	uint32_t off = a->offset & ~3u;

	if (a->offset == UART_FR) {   /* aligned at any size; the caller keeps its bytes */
		a->value = read_reg(dev, UART_FR);
		return true;
	}
	if ((a->offset & (a->size - 1)) || off == UART_DR || off == UART_RIS || off == UART_MIS)
		return false;
	a->value = read_value(dev, off, (a->offset & 3) * 8);
	return true;
}

static void vpl011_reset(void *dev)
{
	struct vpl011 *u = dev;

	memset(u->regs, 0, sizeof(u->regs));
	for (unsigned i = 0; i < ARRAY_SIZE(reg_table); i++)
		u->regs[i] = reg_table[i].reset;
	u->rx_head = 0;
	SET_FIELD(u->rx_count, 0);
	u->tx_irq = 0;
	u->line = false;   /* as the vGIC's reset leaves it */
}

const struct vdev_ops vpl011_ops = {
	.access = vpl011_access,
	.peek = vpl011_peek,
	.reset = vpl011_reset,
};

struct vpl011 *vpl011_create(struct vm *vm)
{
	struct vpl011 *u = &pool[vm->id];

	u->vm = vm;
	vpl011_reset(u);
	return u;
}

bool vpl011_receive(struct vpl011 *u, uint8_t c)
{
	if (u->rx_count == VPL011_RX_SIZE)
		return false;
	u->rx[(u->rx_head + u->rx_count) % VPL011_RX_SIZE] = c;
	SET_FIELD(u->rx_count, u->rx_count + 1);
	update_irq(u);
	return true;
}
