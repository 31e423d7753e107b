/* SPDX-License-Identifier: MIT */
/*
 * Keel's own address space: Hyp stage-1 LPAE tables that identity-map every
 * RAM bank (Normal, write-back) and the devices Keel drives (Device, never
 * executable), in 2 MiB blocks. Identity mapping keeps boot simple (the MMU
 * switches on under the running code) and lets Keel reach partition RAM by
 * its physical address. Nothing else is mapped: a stray pointer faults.
 *
 *   HTTBR -> L1 (4 x 1 GiB) -> L2 (512 x 2 MiB blocks) per GiB in use
 */
#include <keel/arch.h>
#include <keel/board.h>
#include <keel/errno.h>
#include <arch/regs.h>
#include <arch/sysreg.h>

#define DESC_BLOCK     0x1ull
#define DESC_TABLE     0x3ull
#define DESC_ATTR(i)   ((uint64_t)(i) << 2)   /* AttrIndx into HMAIR */
#define DESC_AP_RW     (1ull << 6)            /* AP[2:1] = 01: read/write */
#define DESC_SH_IS     (3ull << 8)
#define DESC_AF        (1ull << 10)
#define DESC_XN        (1ull << 54)
#define ADDR_MASK      0xfffffff000ull

#define ATTR_NORMAL    0   /* HMAIR0 byte 0 */
#define ATTR_DEVICE    1   /* HMAIR0 byte 1 */
#define HMAIR0_VALUE   (0xffu | (0x04u << 8))   /* Normal WB RW-alloc; Device */

#define BLOCK_2M       (1ull << 21)

static uint64_t l1[4] __attribute__((aligned(4096)));
static uint64_t l2[4][512] __attribute__((aligned(4096)));

static int map_block(paddr_t pa, bool device)
{
	unsigned i1 = pa >> 30, i2 = (pa >> 21) & 511;
	uint64_t d;

	if (pa >= (1ull << 32))
		return -KEEL_ERANGE;   /* Hyp's VA space is 32 bits */
	l1[i1] = (uint64_t)(uint32_t)l2[i1] | DESC_TABLE;
	if (device)
		d = pa | DESC_BLOCK | DESC_ATTR(ATTR_DEVICE) | DESC_AP_RW | DESC_AF | DESC_XN;
	else
		d = pa | DESC_BLOCK | DESC_ATTR(ATTR_NORMAL) | DESC_AP_RW | DESC_SH_IS | DESC_AF;
	l2[i1][i2] = d;
	return 0;
}

static int map_range(paddr_t base, uint64_t size, bool device)
{
	paddr_t p = ALIGN_DOWN(base, BLOCK_2M);

	for (; p < base + size; p += BLOCK_2M) {
		int err = map_block(p, device);

		if (err)
			return err;
	}
	return 0;
}

int arch_mmu_init(const struct board *b)
{
	const paddr_t devices[] = { b->uart_base, b->gicd, b->gicc, b->gich, b->gicv };
	int err;

	for (unsigned i = 0; i < b->nr_ram; i++) {
		/* RAM above 4 GiB stays unmapped; partitions are placed below it. */
		uint64_t top = MIN(b->ram[i].base + b->ram[i].size, 1ull << 32);

		if (b->ram[i].base >= top)
			continue;
		if ((err = map_range(b->ram[i].base, top - b->ram[i].base, false)))
			return err;
	}
	for (unsigned i = 0; i < ARRAY_SIZE(devices); i++)
		if (devices[i] && (err = map_range(devices[i], 4096, true)))
			return err;

	arch_mmu_enable();
	return 0;
}

void arch_mmu_enable(void)
{
	dsb();
	write_HMAIR0(HMAIR0_VALUE);
	write_HMAIR1(0);
	write_HTCR(HTCR_RES1 | TCR_T0SZ(0) | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_SH0_IS);
	write_HTTBR((uint32_t)l1);
	isb();
	tlbiallh(0);
	dsb();
	isb();
	write_HSCTLR(read_HSCTLR() | HSCTLR_M | HSCTLR_C | HSCTLR_I);
	isb();
}
