/* SPDX-License-Identifier: MIT */
/*
 * A virtual interrupt on its way into a list register: what the vGIC model
 * (devices/vgic.c) decides and the arch code encodes into, and reads back
 * from, the hardware's list registers. Arch-free, so arch/ and devices/
 * share it without including each other.
 */
#ifndef KEEL_VIRQ_H
#define KEEL_VIRQ_H

#include <keel/types.h>

enum vgic_lr_state {
	VGIC_LR_INACTIVE,
	VGIC_LR_PENDING,
	VGIC_LR_ACTIVE,
	VGIC_LR_PENDING_ACTIVE,
};

struct vgic_lr_req {
	uint16_t irq;        /* virtual interrupt id */
	uint8_t source;      /* SGIs: requesting CPU (LR CPUID field), else 0 */
	uint8_t priority;    /* the irq's priority (LR priority field gets priority >> 3) */
	bool hw;             /* backed by a physical interrupt */
	uint16_t hw_id;
	bool eoi_notify;     /* level-sensitive emulated irq: maintenance interrupt on EOI to resample */
	bool group1;
	enum vgic_lr_state state;  /* the state to write into the LR */
};

#endif
