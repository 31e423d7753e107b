/* SPDX-License-Identifier: MIT */
/*
 * The MMIO bus of a partition: emulated devices register a region of guest
 * physical space; a trapped access becomes a struct mmio_access (Jailhouse's
 * shape) and is handed to the device with a region-relative offset.
 */
#ifndef KEEL_MMIO_H
#define KEEL_MMIO_H

#include <keel/types.h>

struct vm;
struct channel;

struct mmio_access {
	ipa_t addr;        /* guest-physical address of the access */
	uint32_t offset;   /* filled by the bus: addr - region base */
	unsigned size;     /* 1, 2 or 4 bytes */
	bool is_write;
	uint32_t value;    /* write: the data; read: filled by the device */
	unsigned vcpu;     /* index of the accessing vCPU (banked device registers) */
};

enum mmio_result {
	MMIO_OK,           /* done; for reads, value is set */
	MMIO_UNHANDLED,    /* no device there (or it refused the access) */
	MMIO_GUEST_FAULT,  /* the device wants the guest to see an abort */
};

struct vdev_ops {
	/* Called with the partition's lock held: devices are shared by its vCPUs. */
	enum mmio_result (*access)(void *dev, struct mmio_access *a);
	/*
	 * Optional, for status polls: answer a read that changes nothing without
	 * the lock (true), or refuse it (false) and have access() called.
	 */
	bool (*peek)(void *dev, struct mmio_access *a);
	void (*reset)(void *dev);
};

/*
 * 32 bits: stage 2 gives a partition a 4 GiB IPA space, and the bus checks
 * cost an exit half as many instructions as 64-bit ones would.
 */
struct mmio_region {
	uint32_t base;
	uint32_t size;
	const struct vdev_ops *ops;
	void *dev;
	const char *name;
};

#define MMIO_MAX_REGIONS 16

struct mmio_bus {
	struct mmio_region regions[MMIO_MAX_REGIONS];
	unsigned count;
};

/*
 * Add a device. -KEEL_EINVAL past 4 GiB, -KEEL_EEXIST on overlap, -KEEL_ENOMEM
 * when the bus is full.
 */
int mmio_register(struct mmio_bus *bus, ipa_t base, uint64_t size,
		  const struct vdev_ops *ops, void *dev, const char *name);

/* The region holding addr, or NULL. */
const struct mmio_region *mmio_find(const struct mmio_bus *bus, ipa_t addr);
/*
 * The same, trying region *hint first and leaving the found one's index
 * there: a vCPU's accesses mostly go to the device it used last (one hint
 * per vCPU, so no CPU shares one).
 */
const struct mmio_region *mmio_find_hinted(const struct mmio_bus *bus, ipa_t addr,
					   unsigned *hint);

/* Whether the access lies wholly inside r (not NULL); sets a->offset. */
bool mmio_place(const struct mmio_region *r, struct mmio_access *a);

/* Route one access to its device (sets a->offset). */
enum mmio_result mmio_dispatch(struct mmio_bus *bus, struct mmio_access *a);
/* The same, to a region mmio_find() returned (NULL: unhandled). */
enum mmio_result mmio_dispatch_to(const struct mmio_region *r, struct mmio_access *a);

/* Reset every device on the bus. */
void mmio_reset_all(struct mmio_bus *bus);

#endif
