/* SPDX-License-Identifier: MIT */
/*
 * A partition's MMIO bus: a short table of emulated device regions. Lookup is
 * a linear scan (a partition has a handful of devices); regions never overlap,
 * which mmio_register enforces.
 */
#include <keel/errno.h>
#include <keel/mmio.h>

int mmio_register(struct mmio_bus *bus, ipa_t base, uint64_t size,
		  const struct vdev_ops *ops, void *dev, const char *name)
{
	if (!size || !ops || !ops->access || base >= GiB(4) || size > UINT32_MAX ||
	    base + size > GiB(4))
		return -KEEL_EINVAL;
	for (unsigned i = 0; i < bus->count; i++) {
		const struct mmio_region *r = &bus->regions[i];

		if (base < (uint64_t)r->base + r->size && r->base < base + size)
			return -KEEL_EEXIST;
	}
	if (bus->count == MMIO_MAX_REGIONS)
		return -KEEL_ENOMEM;
	bus->regions[bus->count++] = (struct mmio_region){
		.base = (uint32_t)base, .size = (uint32_t)size, .ops = ops, .dev = dev, .name = name,
	};
	return 0;
}

/* One 64-bit subtraction: an address below the base wraps round, not less. */
static bool region_holds(const struct mmio_region *r, ipa_t addr)
{
	return addr - r->base < r->size;
}

const struct mmio_region *mmio_find_hinted(const struct mmio_bus *bus, ipa_t addr,
					   unsigned *hint)
{
	const struct mmio_region *r;

	if (*hint < bus->count && region_holds(&bus->regions[*hint], addr))
		return &bus->regions[*hint];
	r = mmio_find(bus, addr);
	if (r)
		*hint = (unsigned)(r - bus->regions);
	return r;
}

const struct mmio_region *mmio_find(const struct mmio_bus *bus, ipa_t addr)
{
	for (unsigned i = 0; i < bus->count; i++) {
		const struct mmio_region *r = &bus->regions[i];

		if (region_holds(r, addr))
			return r;
	}
	return NULL;
}

enum mmio_result mmio_dispatch(struct mmio_bus *bus, struct mmio_access *a)
{
	return mmio_dispatch_to(mmio_find(bus, a->addr), a);
}

bool mmio_place(const struct mmio_region *r, struct mmio_access *a)
{
	uint64_t off;

	if (!r)
		return false;
	off = a->addr - r->base;   /* below base wraps round: too large */
	if (off >= r->size)
		return false;
	a->offset = (uint32_t)off;
	return r->size - a->offset >= a->size;
}

enum mmio_result mmio_dispatch_to(const struct mmio_region *r, struct mmio_access *a)
{
	return mmio_place(r, a) ? r->ops->access(r->dev, a) : MMIO_UNHANDLED;
}

void mmio_reset_all(struct mmio_bus *bus)
{
	for (unsigned i = 0; i < bus->count; i++)
		if (bus->regions[i].ops->reset)
			bus->regions[i].ops->reset(bus->regions[i].dev);
}
