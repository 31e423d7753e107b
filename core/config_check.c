/* SPDX-License-Identifier: MIT */
/*
 * The rules a config must keep, across partitions and against the board.
 * The same code runs on the host (tools/keel-check, before anything boots)
 * and in Keel at boot (with the board's real memory map), so a config the
 * checker passes is one Keel accepts, and Keel never trusts the checker.
 *
 *  - memory: a 1:1 partition's RAM lies in one board RAM bank, clear of
 *    Keel's own memory and of every other partition's;
 *  - devices: a passthrough region or interrupt belongs to one partition,
 *    is not Keel's (GIC, console UART, its memory), is not RAM, and does
 *    not collide with the emulated devices in the partition's own map;
 *  - CPUs: a pinned vCPU has its physical CPU to itself; time-sliced vCPUs
 *    share the CPUs left over; every vCPU is placed here;
 *  - images fit where vm_load() puts them; channels join two partitions.
 */
#include <string.h>
#include <keel/config.h>
#include <keel/errno.h>
#include <keel/printf.h>
#include <keel/statdev.h>
#include <keel/testdev.h>

#define FAIL(...) do { snprintf(why, why_len, __VA_ARGS__); return -KEEL_EINVAL; } while (0)

/* The emulated devices' window in every partition's map (GIC to the last channel). */
#define GUEST_DEV_START GUEST_GICD_IPA
#define GUEST_DEV_END   (GUEST_CHAN_IPA + CFG_MAX_CHANNELS * GUEST_CHAN_STRIDE)

static bool overlap(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	return a < b + bs && b < a + as;
}

uint64_t config_initrd_offset(uint64_t ram_size)
{
	return MIN(ram_size / 2, MiB(128));
}

uint64_t config_dtb_offset(uint64_t ram_size, uint32_t initrd_size)
{
	return ALIGN_UP(config_initrd_offset(ram_size) + initrd_size, 4096);
}

int config_vm_channel(const struct keel_config *cfg, unsigned vm, unsigned k)
{
	for (unsigned i = 0; i < cfg->nr_chans; i++)
		if (cfg->chan[i].end[0] == vm || cfg->chan[i].end[1] == vm)
			if (!k--)
				return (int)i;
	return -1;
}

static int check_images(const struct vm_config *c, char *why, size_t why_len)
{
	uint64_t initrd = config_initrd_offset(c->ram_size);
	uint64_t dtb = config_dtb_offset(c->ram_size, c->initrd.size);

	if (CFG_KERNEL_OFFSET + (uint64_t)c->kernel.size > initrd)
		FAIL("partition '%s': property 'kernel': the image (%u bytes) does not fit below "
		     "RAM + 0x%llx where the initrd and DTB go; raise 'memory-mib'", c->name,
		     c->kernel.size, (unsigned long long)initrd);
	if (c->dtb.size > CFG_DTB_MAX)
		FAIL("partition '%s': property 'dtb' is %u bytes; at most %u", c->name,
		     c->dtb.size, CFG_DTB_MAX);
	if (dtb + CFG_DTB_MAX > c->ram_size)
		FAIL("partition '%s': property 'initrd': the initrd (%u bytes) and the DTB do not "
		     "fit in %llu MiB of RAM; raise 'memory-mib'", c->name, c->initrd.size,
		     (unsigned long long)(c->ram_size >> 20));
	return 0;
}

static int check_memory(const struct keel_config *cfg, unsigned v, const struct board_limits *lim,
			char *why, size_t why_len)
{
	const struct vm_config *c = &cfg->vm[v];
	bool in_bank = false;

	if (!c->ram_base)
		return 0;
	for (unsigned i = 0; i < lim->nr_ram; i++)
		in_bank |= c->ram_base >= lim->ram[i].base &&
			   c->ram_base + c->ram_size <= lim->ram[i].base + lim->ram[i].size;
	if (!in_bank)
		FAIL("partition '%s': property 'memory-base': 0x%llx + %llu MiB is not inside one "
		     "of the board's RAM banks", c->name, (unsigned long long)c->ram_base,
		     (unsigned long long)(c->ram_size >> 20));
	if (overlap(c->ram_base, c->ram_size, GUEST_DEV_START, GUEST_DEV_END - GUEST_DEV_START))
		FAIL("partition '%s': property 'memory-base': its RAM would cover the emulated "
		     "devices at 0x%llx-0x%llx", c->name, GUEST_DEV_START, GUEST_DEV_END - 1);
	for (unsigned i = 0; i < lim->nr_owned; i++)
		if (overlap(c->ram_base, c->ram_size, lim->owned[i].base, lim->owned[i].size))
			FAIL("partition '%s': property 'memory-base': its RAM overlaps %s "
			     "(0x%llx-0x%llx)", c->name, lim->owned_what[i],
			     (unsigned long long)lim->owned[i].base,
			     (unsigned long long)(lim->owned[i].base + lim->owned[i].size - 1));
	for (unsigned o = 0; o < v; o++) {
		const struct vm_config *d = &cfg->vm[o];

		if (d->ram_base && overlap(c->ram_base, c->ram_size, d->ram_base, d->ram_size))
			FAIL("partition '%s': property 'memory-base': its RAM overlaps partition "
			     "'%s''s", c->name, d->name);
	}
	return 0;
}

/*
 * Where emulated devices sit in every partition's map (GIC, UART, test
 * device, exit-stats device, channels).
 */
static const struct cfg_region emulated[] = {
	{ GUEST_GICD_IPA, 0x10000 }, { GUEST_GICC_IPA, 0x10000 }, { GUEST_UART_IPA, 0x1000 },
	{ TESTDEV_BASE, TESTDEV_SIZE }, { STATDEV_BASE, STATDEV_SIZE },
	{ GUEST_CHAN_IPA, CFG_MAX_CHANNELS * GUEST_CHAN_STRIDE },
};

/* The partition's own map around 1:1 regions: RAM and emulated devices. */
static bool hits_own_map(const struct vm_config *c, const struct cfg_region *r)
{
	uint64_t ram = c->ram_base ? c->ram_base : GUEST_RAM_IPA;

	for (unsigned i = 0; i < ARRAY_SIZE(emulated); i++)
		if (overlap(r->base, r->size, emulated[i].base, emulated[i].size))
			return true;
	return overlap(r->base, r->size, ram, c->ram_size);
}

static int check_devices(const struct keel_config *cfg, unsigned v, const struct board_limits *lim,
			 char *why, size_t why_len)
{
	const struct vm_config *c = &cfg->vm[v];

	for (unsigned i = 0; i < c->nr_mmio; i++) {
		const struct cfg_region *r = &c->mmio[i];

		for (unsigned k = 0; k < lim->nr_ram; k++)
			if (overlap(r->base, r->size, lim->ram[k].base, lim->ram[k].size))
				FAIL("partition '%s': property 'passthrough-mmio': 0x%llx is RAM, not "
				     "a device (give RAM with 'memory-mib')", c->name,
				     (unsigned long long)r->base);
		for (unsigned k = 0; k < lim->nr_owned; k++)
			if (overlap(r->base, r->size, lim->owned[k].base, lim->owned[k].size))
				FAIL("partition '%s': property 'passthrough-mmio': 0x%llx is %s, "
				     "which Keel keeps", c->name, (unsigned long long)r->base,
				     lim->owned_what[k]);
		if (hits_own_map(c, r))
			FAIL("partition '%s': property 'passthrough-mmio': 0x%llx collides with the "
			     "partition's RAM or emulated devices", c->name,
			     (unsigned long long)r->base);
		for (unsigned o = 0; o <= v; o++)
			for (unsigned k = 0; k < (o == v ? i : cfg->vm[o].nr_mmio); k++)
				if (overlap(r->base, r->size, cfg->vm[o].mmio[k].base,
					    cfg->vm[o].mmio[k].size))
					FAIL("partition '%s': property 'passthrough-mmio': 0x%llx is "
					     "already claimed by partition '%s'", c->name,
					     (unsigned long long)r->base, cfg->vm[o].name);
	}
	for (unsigned i = 0; i < c->nr_irqs; i++) {
		if (c->irqs[i] == GUEST_UART_IRQ)
			FAIL("partition '%s': property 'passthrough-irqs': interrupt %u is the emulated "
			     "UART's in the partition", c->name, c->irqs[i]);
		for (unsigned k = 0; k < lim->nr_owned_irqs; k++)
			if (c->irqs[i] == lim->owned_irqs[k])
				FAIL("partition '%s': property 'passthrough-irqs': interrupt %u is "
				     "Keel's own", c->name, c->irqs[i]);
		for (unsigned o = 0; o <= v; o++)
			for (unsigned k = 0; k < (o == v ? i : cfg->vm[o].nr_irqs); k++)
				if (cfg->vm[o].irqs[k] == c->irqs[i])
					FAIL("partition '%s': property 'passthrough-irqs': interrupt "
					     "%u is already claimed by partition '%s'", c->name,
					     c->irqs[i], cfg->vm[o].name);
	}
	return 0;
}

/*
 * Pinned vCPUs first (given CPUs, then the lowest free ones), then the
 * time-sliced ones on the CPUs no pinned vCPU holds: as given, or spread
 * (a partition's vCPUs over different CPUs, partitions starting apart).
 */
static int place_vcpus(struct keel_config *cfg, unsigned nr_cpus, char *why, size_t why_len)
{
	const char *holder[CFG_MAX_CPUS] = { 0 };
	unsigned shared[CFG_MAX_CPUS], nr_shared = 0, pinned = 0;

	for (unsigned v = 0; v < cfg->nr_vms; v++)
		if (cfg->vm[v].sched == SCHED_PINNED)
			pinned += cfg->vm[v].nr_vcpus;
	if (pinned > nr_cpus)
		FAIL("pinned partitions have %u vCPUs; the board has %u CPUs", pinned, nr_cpus);
	for (int pass = 0; pass < 2; pass++) {
		for (unsigned v = 0; v < cfg->nr_vms; v++) {
			struct vm_config *c = &cfg->vm[v];

			if (c->sched != SCHED_PINNED || c->has_affinity != !pass)
				continue;
			for (unsigned i = 0; i < c->nr_vcpus; i++) {
				unsigned cpu = c->affinity[i];

				if (pass) {   /* the lowest CPU nobody holds */
					for (cpu = 0; holder[cpu]; cpu++)
						;
					c->affinity[i] = cpu;
				} else if (cpu >= nr_cpus) {
					FAIL("partition '%s': property 'cpu-affinity' names CPU %u; the "
					     "board has %u", c->name, cpu, nr_cpus);
				} else if (holder[cpu]) {
					FAIL("partition '%s': property 'cpu-affinity': CPU %u is pinned "
					     "to partition '%s' already", c->name, cpu, holder[cpu]);
				}
				holder[cpu] = c->name;
			}
		}
	}
	for (unsigned cpu = 0; cpu < nr_cpus; cpu++)
		if (!holder[cpu])
			shared[nr_shared++] = cpu;
	for (unsigned v = 0, start = 0; v < cfg->nr_vms; v++) {
		struct vm_config *c = &cfg->vm[v];

		if (c->sched == SCHED_PINNED)
			continue;
		if (!nr_shared)
			FAIL("partition '%s': no CPU is left for time-sliced vCPUs (pinned partitions "
			     "hold all %u)", c->name, nr_cpus);
		for (unsigned i = 0; i < c->nr_vcpus; i++) {
			unsigned cpu = c->affinity[i];

			if (!c->has_affinity)
				cpu = c->affinity[i] = shared[(start + i) % nr_shared];
			else if (cpu >= nr_cpus)
				FAIL("partition '%s': property 'cpu-affinity' names CPU %u; the board "
				     "has %u", c->name, cpu, nr_cpus);
			else if (holder[cpu])
				FAIL("partition '%s': property 'cpu-affinity': CPU %u is pinned to "
				     "partition '%s'", c->name, cpu, holder[cpu]);
		}
		start++;
	}
	return 0;
}

int config_check(struct keel_config *cfg, const struct board_limits *lim,
		 char *why, size_t why_len)
{
	int err;

	/* (At most CFG_MAX_CHANNELS in all, so no partition has more than its window.) */
	for (unsigned v = 0; v < cfg->nr_vms; v++)
		if ((err = check_images(&cfg->vm[v], why, why_len)) ||
		    (err = check_memory(cfg, v, lim, why, why_len)) ||
		    (err = check_devices(cfg, v, lim, why, why_len)))
			return err;
	return place_vcpus(cfg, MIN(lim->nr_cpus, (unsigned)CFG_MAX_CPUS), why, why_len);
}
