/* SPDX-License-Identifier: MIT */
/*
 * Channels between partitions (docs/channels.md): a shared memory region
 * mapped into exactly two partitions, and a doorbell on each side that
 * raises a virtual interrupt on the other. Rung by hypercall or by a store
 * to the doorbell page (which user space can reach, a hypercall it cannot).
 */
#ifndef KEEL_CHANNEL_H
#define KEEL_CHANNEL_H

#include <keel/config.h>

struct vm;

/* Doorbell page registers. */
#define CHAN_REG_NOTIFY     0x00   /* W: ring the peer */
#define CHAN_REG_ID         0x04   /* R: the channel's id (its index in /channels) */
#define CHAN_REG_SHM_SIZE   0x08   /* R: shared memory bytes */
#define CHAN_REG_PEER_ALIVE 0x0c   /* R: 1 while the peer partition runs */

struct channel {
	const struct chan_config *cfg;
	unsigned id;
	paddr_t shm_pa;
	struct vm *end[2];
	unsigned slot[2];              /* k: its place in each partition's map */
};

/* Create every channel of the config: memory, both mappings, doorbells. */
int channels_create(const struct keel_config *sys, struct vm *const *vms);

/* from rings channel id: 0, or -KEEL_EINVAL if from is not one of its two ends. */
int channel_notify(struct vm *from, uint32_t id);

/* Turn doorbells rung for vm into pending interrupts (with vm's lock held). */
void channel_take_doorbells(struct vm *vm);

/* The channel of host page pa, if any (the memory proof allows these twice). */
const struct channel *channel_of_frame(paddr_t pa);

#endif
