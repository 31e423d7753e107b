/* SPDX-License-Identifier: MIT */
/*
 * Channels: shared memory plus doorbells (include/keel/channel.h). A ring
 * only sets a bit in the peer partition and kicks its CPUs; the peer's own
 * CPU turns the bit into a pending interrupt under the peer's lock. So a
 * ring never takes a second partition's lock while holding its own, and two
 * partitions ringing each other at once cannot deadlock.
 */
#include <string.h>
#include <keel/arch.h>
#include <keel/channel.h>
#include <keel/console.h>
#include <keel/errno.h>
#include <keel/mem.h>
#include <keel/sched.h>
#include <keel/vm.h>

static struct channel channels[CFG_MAX_CHANNELS];
static unsigned nr_channels;

struct doorbell {
	struct channel *ch;
	unsigned side;                 /* which end owns this page */
};
static struct doorbell doorbells[CFG_MAX_CHANNELS][2];

int channel_notify(struct vm *from, uint32_t id)
{
	struct channel *ch;
	struct vm *peer;
	unsigned side;

	if (id >= nr_channels)
		return -KEEL_EINVAL;
	ch = &channels[id];
	if (ch->end[0] != from && ch->end[1] != from)
		return -KEEL_EINVAL;
	side = ch->end[1] == from;
	peer = ch->end[!side];
	__atomic_fetch_or(&peer->doorbells, 1u << ch->slot[!side], __ATOMIC_RELEASE);
	vm_kick(peer);
	return 0;
}

void channel_take_doorbells(struct vm *vm)
{
	uint32_t bits;

	if (!READ_ONCE(vm->doorbells))
		return;
	bits = __atomic_exchange_n(&vm->doorbells, 0, __ATOMIC_ACQUIRE);
	for (unsigned k = 0; bits; k++, bits >>= 1)
		if (bits & 1)
			vgic_pulse(&vm->vgic, 0, GUEST_CHAN_IRQ + k);
}

static enum mmio_result doorbell_access(void *dev, struct mmio_access *a)
{
	struct doorbell *d = dev;
	struct channel *ch = d->ch;

	if (a->size != 4 || a->offset & 3)
		return MMIO_GUEST_FAULT;
	if (a->is_write) {
		if (a->offset == CHAN_REG_NOTIFY)
			channel_notify(ch->end[d->side], ch->id);
		return MMIO_OK;   /* other registers ignore writes */
	}
	switch (a->offset) {
	case CHAN_REG_ID:         a->value = ch->id; break;
	case CHAN_REG_SHM_SIZE:   a->value = ch->cfg->size; break;
	case CHAN_REG_PEER_ALIVE: a->value = vm_alive(ch->end[!d->side]); break;
	default:                  a->value = 0; break;
	}
	return MMIO_OK;
}

static const struct vdev_ops doorbell_ops = { .access = doorbell_access };

static int attach(struct channel *ch, unsigned side)
{
	struct vm *vm = ch->end[side];
	unsigned k = vm->nr_chans;
	ipa_t shm = GUEST_CHAN_IPA + k * GUEST_CHAN_STRIDE;
	struct doorbell *d = &doorbells[ch->id][side];
	int err;

	d->ch = ch;
	d->side = side;
	ch->slot[side] = k;
	vm->chans[vm->nr_chans++] = ch;
	if ((err = arch_vm_map_ram(vm, shm, ch->shm_pa, ch->cfg->size)))
		return err;
	return mmio_register(&vm->mmio, shm + GUEST_CHAN_DOORBELL_OFF, 0x1000, &doorbell_ops, d,
			     "channel-doorbell");
}

int channels_create(const struct keel_config *sys, struct vm *const *vms)
{
	int err;

	for (unsigned i = 0; i < sys->nr_chans; i++) {
		struct channel *ch = &channels[i];
		const struct chan_config *c = &sys->chan[i];

		ch->cfg = c;
		ch->id = i;
		ch->end[0] = vms[c->end[0]];
		ch->end[1] = vms[c->end[1]];
		if (!ch->end[0] || !ch->end[1]) {
			printk("keel: channel '%s': partition '%s' was not created\n", c->name,
			       sys->vm[c->end[!ch->end[0] ? 0 : 1]].name);
			return -KEEL_ENOENT;
		}
		ch->shm_pa = mem_alloc(ALIGN_UP(c->size, 4096), 4096);
		if (!ch->shm_pa) {
			printk("keel: channel '%s': no memory for %u bytes\n", c->name, c->size);
			return -KEEL_ENOMEM;
		}
		memset(phys_to_virt(ch->shm_pa), 0, c->size);
		nr_channels = i + 1;
		if ((err = attach(ch, 0)) || (err = attach(ch, 1))) {
			printk("keel: channel '%s': cannot map it (%d)\n", c->name, err);
			return err;
		}
	}
	return 0;
}

const struct channel *channel_of_frame(paddr_t pa)
{
	for (unsigned i = 0; i < nr_channels; i++)
		if (pa >= channels[i].shm_pa && pa < channels[i].shm_pa + channels[i].cfg->size)
			return &channels[i];
	return NULL;
}
