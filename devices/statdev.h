/* SPDX-License-Identifier: MIT */
/* The exit-stats device (register map in <keel/statdev.h>). */
#ifndef DEVICES_STATDEV_H
#define DEVICES_STATDEV_H

#include <keel/mmio.h>
#include <keel/statdev.h>
#include <keel/vcpu.h>

struct vm;

/* Changed under the partition's lock (every MMIO access holds it). */
struct statdev {
	struct vm *vm;
	unsigned self;                     /* the cost-model row of its own accesses */
	uint32_t seq;                      /* latches so far */
	uint32_t scope;                    /* of the copy: STATDEV_SCOPE register */
	struct stats_cell copy[STATS_ROWS];
};

extern const struct vdev_ops statdev_ops;

/* A device for vm whose accesses are counted in cost-model row self; NULL when none is left. */
struct statdev *statdev_create(struct vm *vm, unsigned self);

#endif
