/* SPDX-License-Identifier: MIT */
/*
 * What Keel knows about the board it runs on, all of it read from the DTB the
 * boot loader handed over (platform/board.c): RAM, CPUs, the interrupt
 * controller, the console UART, the timer, how to reach firmware (PSCI).
 */
#ifndef KEEL_BOARD_H
#define KEEL_BOARD_H

#include <keel/types.h>

#define BOARD_MAX_RAM  4
#define BOARD_MAX_CPUS 4

struct mem_range {
	paddr_t base;
	uint64_t size;
};

struct board {
	const void *dtb;
	struct mem_range ram[BOARD_MAX_RAM];
	unsigned nr_ram;
	unsigned nr_cpus;
	uint32_t cpu_mpidr[BOARD_MAX_CPUS];
	paddr_t uart_base;                /* PL011 of /chosen/stdout-path */
	unsigned uart_irq;                /* its interrupt id (0: none known) */
	paddr_t gicd, gicc, gich, gicv;   /* GICv2: distributor, CPU, hyp control, virtual CPU */
	unsigned gic_maint_ppi;
	unsigned timer_hyp_ppi, timer_virt_ppi;
	bool psci_smc;                    /* host PSCI conduit: SMC (true) or HVC */
	paddr_t initrd_start, initrd_end; /* /chosen linux,initrd-*: the boot bundle */
	const char *bootargs;             /* /chosen/bootargs: Keel's own options */
};

/* Parse the host DTB. Returns 0, or negative with *why set to one line. */
int board_probe(struct board *b, const void *dtb, const char **why);

/* The UART base to use before the board is probed (best effort). */
paddr_t board_early_uart(const void *dtb);

extern struct board the_board;

#endif
