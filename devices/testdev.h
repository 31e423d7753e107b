/* SPDX-License-Identifier: MIT */
/* The emulated test device (register map in <keel/testdev.h>). */
#ifndef DEVICES_TESTDEV_H
#define DEVICES_TESTDEV_H

#include <keel/mmio.h>
#include <keel/testdev.h>

struct testdev {
	uint8_t data[TESTDEV_DATA_SIZE];
	uint32_t last;
	uint32_t count;
};

extern const struct vdev_ops testdev_ops;

struct testdev *testdev_create(void);

#endif
