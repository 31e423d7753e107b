/* SPDX-License-Identifier: MIT */
/*
 * The exit-stats device: Keel's cost model, latched on request and read as
 * 32-bit registers (<keel/statdev.h>). It owns only its latched copy; the
 * counters are the vCPUs' own (struct vcpu_stats, updated by each vCPU's CPU
 * in core/sched.c), and the row names are core/stats.c's.
 */
#include <string.h>
#include <keel/arch.h>
#include <keel/stats.h>
#include <keel/vm.h>
#include <devices/statdev.h>

_Static_assert(STATS_ROWS <= STATDEV_ROWS_MAX, "the cost model's rows fit the page");

static struct statdev pool[VM_MAX];
static unsigned used;

/*
 * Another vCPU's row may be updated by its CPU meanwhile (LDRD/STRD,
 * arch_count_exit): each 64-bit value is read in one single-copy atomic load
 * (the pair may be one exit apart).
 */
static uint64_t load64(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static void latch(struct statdev *d, unsigned vcpu, uint32_t scope)
{
	struct vm *vm = d->vm;
	unsigned first = scope == STATDEV_SCOPE_PARTITION ? 0 : vcpu;
	unsigned end = scope == STATDEV_SCOPE_PARTITION ? vm->nr_vcpus : vcpu + 1;

	memset(d->copy, 0, sizeof(d->copy));
	for (unsigned i = first; i < end; i++) {
		const struct stats_cell *row = vm->vcpus[i].stats.row;

		for (unsigned r = 0; r < STATS_ROWS; r++) {
			d->copy[r].count += load64(&row[r].count);
			d->copy[r].ticks += load64(&row[r].ticks);
		}
	}
	d->scope = scope | vcpu << 8;
	d->seq++;
}

/* Rows of the cost model this partition has: the fixed ones and one a device. */
static uint32_t nr_rows(const struct statdev *d)
{
	return ROW_DEVICE + d->vm->mmio.count;
}

/* 4 bytes of a row's name from off, little-endian, NUL-padded (at most 31 characters). */
static uint32_t name_word(const char *name, uint32_t off)
{
	size_t len = MIN(strlen(name), STATDEV_NAME_MAX - 1);
	uint32_t w = 0;

	for (unsigned i = 0; i < 4; i++)
		if (off + i < len)
			w |= (uint32_t)(uint8_t)name[off + i] << (8 * i);
	return w;
}

#define ROW_STRIDE (STATDEV_ROW(1) - STATDEV_ROW(0))

static enum mmio_result row_read(const struct statdev *d, uint32_t off, uint32_t *val)
{
	unsigned row = (off - STATDEV_ROW(0)) / ROW_STRIDE;
	uint32_t reg = (off - STATDEV_ROW(0)) % ROW_STRIDE;
	const struct stats_cell *c;

	if (row >= nr_rows(d))
		return MMIO_GUEST_FAULT;
	c = &d->copy[row];
	switch (reg) {
	case STATDEV_COUNT_LO: *val = (uint32_t)c->count; break;
	case STATDEV_COUNT_HI: *val = (uint32_t)(c->count >> 32); break;
	case STATDEV_TICKS_LO: *val = (uint32_t)c->ticks; break;
	case STATDEV_TICKS_HI: *val = (uint32_t)(c->ticks >> 32); break;
	case STATDEV_REASON: *val = stats_row_reason(row); break;
	default:
		if (reg < STATDEV_NAME)
			return MMIO_GUEST_FAULT;   /* the row's reserved words */
		*val = name_word(stats_row_name(d->vm, row), reg - STATDEV_NAME);
	}
	return MMIO_OK;
}

static enum mmio_result statdev_access(void *dev, struct mmio_access *a)
{
	struct statdev *d = dev;
	uint32_t off = a->offset;

	if (a->size != 4 || (off & 3))
		return MMIO_GUEST_FAULT;
	if (a->is_write) {
		if (off != STATDEV_LATCH || a->value > STATDEV_SCOPE_PARTITION ||
		    a->vcpu >= d->vm->nr_vcpus)
			return MMIO_GUEST_FAULT;
		latch(d, a->vcpu, a->value);
		return MMIO_OK;
	}
	switch (off) {
	case STATDEV_ID: a->value = STATDEV_MAGIC; break;
	case STATDEV_VERSION: a->value = STATDEV_VERSION_1; break;
	case STATDEV_ROWS: a->value = nr_rows(d); break;
	case STATDEV_FREQ: a->value = arch_counter_freq(); break;
	case STATDEV_SEQ: a->value = d->seq; break;
	case STATDEV_SCOPE: a->value = d->scope; break;
	case STATDEV_SELF: a->value = d->self; break;
	default:
		if (off < STATDEV_ROW(0))
			return MMIO_GUEST_FAULT;   /* LATCH and the unused header words */
		return row_read(d, off, &a->value);
	}
	return MMIO_OK;
}

/* A restart forgets the copy (the counters themselves go on). */
static void statdev_reset(void *dev)
{
	struct statdev *d = dev;

	d->seq = d->scope = 0;
	memset(d->copy, 0, sizeof(d->copy));
}

const struct vdev_ops statdev_ops = {
	.access = statdev_access,
	.reset = statdev_reset,
};

struct statdev *statdev_create(struct vm *vm, unsigned self)
{
	struct statdev *d;

	if (used == VM_MAX)
		return NULL;
	d = &pool[used++];
	d->vm = vm;
	d->self = self;
	return d;
}
