/* SPDX-License-Identifier: MIT */
/*
 * The test device: scratch bytes that read back what was written, plus a
 * record of the previous access (size, direction, offset) so a test guest can
 * check that Keel emulated exactly the access its instruction made.
 */
#include <string.h>
#include <keel/vm.h>
#include <devices/testdev.h>

static struct testdev pool[VM_MAX];
static unsigned used;

static enum mmio_result testdev_access(void *dev, struct mmio_access *a)
{
	struct testdev *t = dev;
	uint32_t off = a->offset;
	bool info = off == TESTDEV_LAST || off == TESTDEV_COUNT;

	if (off & (a->size - 1))
		return MMIO_GUEST_FAULT;
	if (off < TESTDEV_DATA_SIZE) {
		if (a->is_write) {
			for (unsigned i = 0; i < a->size; i++)
				t->data[off + i] = (uint8_t)(a->value >> (8 * i));
		} else {
			a->value = 0;
			for (unsigned i = 0; i < a->size; i++)
				a->value |= (uint32_t)t->data[off + i] << (8 * i);
		}
	} else if (off == TESTDEV_LAST && !a->is_write) {
		a->value = t->last;
	} else if (off == TESTDEV_COUNT && !a->is_write) {
		a->value = t->count;
	} else if (off == TESTDEV_RESET && a->is_write) {
		memset(t, 0, sizeof(*t));
		return MMIO_OK;
	} else if (!a->is_write) {
		a->value = 0;
	}
	/* Reading the access log does not count as an access. */
	if (!info || a->is_write) {
		t->last = a->size | (a->is_write ? 1u << 8 : 0) | (off & 0xfff) << 16;
		t->count++;
	}
	return MMIO_OK;
}

static void testdev_reset(void *dev)
{
	memset(dev, 0, sizeof(struct testdev));
}

const struct vdev_ops testdev_ops = {
	.access = testdev_access,
	.reset = testdev_reset,
};

struct testdev *testdev_create(void)
{
	if (used == VM_MAX)
		return NULL;
	return &pool[used++];
}
