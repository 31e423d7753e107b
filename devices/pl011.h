/* SPDX-License-Identifier: MIT */
/* The PL011 UART a partition sees (devices/pl011.c). */
#ifndef DEVICES_PL011_H
#define DEVICES_PL011_H

#include <keel/mmio.h>

struct vm;

#define VPL011_RX_SIZE 64

struct vpl011 {
	struct vm *vm;
	uint32_t regs[0x50 / 4];     /* the read/write registers, by offset / 4 */
	uint8_t rx[VPL011_RX_SIZE];  /* bytes typed for this partition */
	unsigned rx_head, rx_count;
	uint32_t tx_irq;             /* latched transmit interrupt (RIS.TXRIS) */
	bool line;                   /* the level last given to the vGIC (reset: low) */
};

extern const struct vdev_ops vpl011_ops;

/* A UART whose output goes to vm's console lines; NULL when none is free. */
struct vpl011 *vpl011_create(struct vm *vm);
/* Queue one received byte; false when the FIFO is full. */
bool vpl011_receive(struct vpl011 *u, uint8_t c);

#endif
