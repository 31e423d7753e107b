/* SPDX-License-Identifier: MIT */
/*
 * Reading the boot bundle: the compiled config (docs/config.md) with the
 * images inside. The bundle is untrusted input: its header is checked by
 * libfdt against the space the boot loader gave it, every property must be
 * known and well formed, and each image must match the CRC-32 recorded next
 * to it, so a damaged image is refused by name instead of being run. The
 * rules between partitions are core/config_check.c's.
 */
#include <libfdt.h>
#include <string.h>
#include <keel/config.h>
#include <keel/errno.h>
#include <keel/image.h>
#include <keel/printf.h>

#define MEM_MIB_MAX 3072

static const char *const known_props[] = {
	"cpus", "cpu-affinity", "sched-class", "priority", "budget-us", "period-us",
	"memory-mib", "memory-base", "kernel", "kernel-crc32", "initrd", "initrd-crc32",
	"dtb", "dtb-crc32", "bootargs", "keel,test-device", "keel,exit-stats",
	"keel,check-decoder",
	"passthrough-mmio", "passthrough-irqs", "restart-policy", "max-restarts", "watchdog-ms",
};

#define FAIL(...) do { snprintf(why, why_len, __VA_ARGS__); return -KEEL_EINVAL; } while (0)

static bool name_ok(const char *name)
{
	size_t n = strlen(name);

	if (!n || n >= CFG_NAME_MAX)
		return false;
	for (; *name; name++)
		if (!((*name >= 'a' && *name <= 'z') || (*name >= '0' && *name <= '9') ||
		      *name == '-' || *name == '_'))
			return false;
	return true;
}

/* A property of whole 32-bit cells: its cell count, 0 if absent, -1 if malformed. */
static int cells(const void *fdt, int node, const char *prop, const fdt32_t **out)
{
	int len;

	*out = fdt_getprop(fdt, node, prop, &len);
	if (!*out)
		return 0;
	if (len <= 0 || len % 4)
		return -1;
	return len / 4;
}

/* One cell in [lo, hi]: 0 (absent: *out untouched), 1, or negative with why set. */
static int get_u32(const void *fdt, int node, const char *what, const char *prop,
		   uint32_t lo, uint32_t hi, uint32_t *out, char *why, size_t why_len)
{
	const fdt32_t *p;
	int n = cells(fdt, node, prop, &p);

	if (!n)
		return 0;
	if (n != 1)
		FAIL("%s: property '%s' must be one 32-bit cell", what, prop);
	if (fdt32_to_cpu(*p) < lo || fdt32_to_cpu(*p) > hi)
		FAIL("%s: property '%s' is %u; it must be %u-%u", what, prop,
		     fdt32_to_cpu(*p), lo, hi);
	*out = fdt32_to_cpu(*p);
	return 1;
}

/* A string property that must be one of choices: its index, -1 absent, else an error. */
static int get_choice(const void *fdt, int node, const char *what, const char *prop,
		      const char *const *choices, unsigned n, int *out, char *why, size_t why_len)
{
	int len;
	const char *s = fdt_getprop(fdt, node, prop, &len);

	if (!s)
		return 0;
	for (unsigned i = 0; i < n; i++)
		if (len == (int)strlen(choices[i]) + 1 && !memcmp(s, choices[i], len)) {
			*out = (int)i;
			return 0;
		}
	FAIL("%s: property '%s' must be \"%s\" or \"%s\"", what, prop, choices[0], choices[1]);
}

static int get_image(const void *fdt, int node, const char *what, const char *prop,
		     struct vm_image *img, char *why, size_t why_len)
{
	char crc_prop[32];
	uint32_t want = 0;
	int len, err;
	const void *data = fdt_getprop(fdt, node, prop, &len);

	img->data = NULL;
	img->size = 0;
	if (!data)
		return 0;
	snprintf(crc_prop, sizeof(crc_prop), "%s-crc32", prop);
	err = get_u32(fdt, node, what, crc_prop, 0, 0xffffffffu, &want, why, why_len);
	if (err < 0)
		return err;
	if (!err)
		FAIL("%s: property '%s' is missing", what, crc_prop);
	if (crc32(data, len) != want) {
		snprintf(why, why_len, "%s: %s image is corrupt "
			 "(CRC-32 0x%08x, the bundle says 0x%08x)", what, prop, crc32(data, len), want);
		return -KEEL_ECORRUPT;
	}
	img->data = data;
	img->size = len;
	return 0;
}

static int check_props_known(const void *fdt, int node, const char *what,
			     const char *const *known, unsigned n, char *why, size_t why_len)
{
	int prop;

	if (fdt_first_subnode(fdt, node) >= 0)
		FAIL("%s: unexpected node '%s'", what,
		     fdt_get_name(fdt, fdt_first_subnode(fdt, node), NULL));
	fdt_for_each_property_offset(prop, fdt, node) {
		const char *pname;
		bool ok = false;

		fdt_getprop_by_offset(fdt, prop, &pname, NULL);
		for (unsigned i = 0; i < n; i++)
			ok |= !strcmp(pname, known[i]);
		if (!ok)
			FAIL("%s: unknown property '%s'", what, pname);
	}
	return 0;
}

static int parse_cpus(const void *fdt, int node, const char *what, struct vm_config *c,
		      char *why, size_t why_len)
{
	static const char *const classes[] = { "timeslice", "pinned" };
	const fdt32_t *p;
	uint32_t cpus = 1, prio = 1;
	int n, cls = SCHED_TIMESLICE, err;

	if ((err = get_u32(fdt, node, what, "cpus", 1, CFG_MAX_VCPUS, &cpus, why, why_len)) < 0)
		return err;
	c->nr_vcpus = cpus;
	n = cells(fdt, node, "cpu-affinity", &p);
	if (n < 0 || (n && (unsigned)n != cpus))
		FAIL("%s: property 'cpu-affinity' must give one CPU per vCPU (%u)", what, cpus);
	for (int i = 0; i < n; i++) {
		if (fdt32_to_cpu(p[i]) >= CFG_MAX_CPUS)
			FAIL("%s: property 'cpu-affinity' names CPU %u; CPUs are 0-%d", what,
			     fdt32_to_cpu(p[i]), CFG_MAX_CPUS - 1);
		c->affinity[i] = fdt32_to_cpu(p[i]);
	}
	c->has_affinity = n > 0;
	if ((err = get_choice(fdt, node, what, "sched-class", classes, 2, &cls, why, why_len)))
		return err;
	c->sched = cls;
	if ((err = get_u32(fdt, node, what, "priority", 0, 255, &prio, why, why_len)) < 0 ||
	    (err = get_u32(fdt, node, what, "budget-us", 100, 1000000, &c->budget_us,
			   why, why_len)) < 0 ||
	    (err = get_u32(fdt, node, what, "period-us", 1000, 1000000, &c->period_us,
			   why, why_len)) < 0)
		return err;
	c->priority = prio;
	if (c->sched == SCHED_PINNED && (fdt_getprop(fdt, node, "priority", NULL) ||
					 c->budget_us || c->period_us))
		FAIL("%s: a pinned partition has its CPUs to itself: 'priority', 'budget-us' and "
		     "'period-us' are for sched-class \"timeslice\"", what);
	if (!c->budget_us != !c->period_us)
		FAIL("%s: 'budget-us' and 'period-us' go together", what);
	if (c->budget_us > c->period_us)
		FAIL("%s: property 'budget-us' (%u) is longer than 'period-us' (%u)", what,
		     c->budget_us, c->period_us);
	return 0;
}

static int parse_memory(const void *fdt, int node, const char *what, struct vm_config *c,
			char *why, size_t why_len)
{
	const fdt32_t *p;
	uint32_t mib = 64;
	int n, err;

	if ((err = get_u32(fdt, node, what, "memory-mib", 1, MEM_MIB_MAX, &mib, why, why_len)) < 0)
		return err;
	c->ram_size = MiB(mib);
	n = cells(fdt, node, "memory-base", &p);
	if (n < 0 || n > 2)
		FAIL("%s: property 'memory-base' must be one or two 32-bit cells", what);
	if (n) {
		c->ram_base = n == 2 ? ((uint64_t)fdt32_to_cpu(p[0]) << 32) | fdt32_to_cpu(p[1])
				     : fdt32_to_cpu(p[0]);
		if (!c->ram_base || !IS_ALIGNED(c->ram_base, MiB(2)))
			FAIL("%s: property 'memory-base' 0x%llx is not a non-zero multiple of 2 MiB",
			     what, (unsigned long long)c->ram_base);
		/* LPAE's 40-bit physical space; this also keeps base + size from wrapping. */
		if (c->ram_base > (1ull << 40) - c->ram_size)
			FAIL("%s: property 'memory-base' 0x%llx + %u MiB is beyond 40-bit physical "
			     "addresses", what, (unsigned long long)c->ram_base, mib);
	}
	return 0;
}

static int parse_passthrough(const void *fdt, int node, const char *what, struct vm_config *c,
			     char *why, size_t why_len)
{
	const fdt32_t *p;
	int n = cells(fdt, node, "passthrough-mmio", &p);

	if (n < 0 || n % 2 || n / 2 > CFG_MAX_MMIO)
		FAIL("%s: property 'passthrough-mmio' must be <base size> pairs (at most %d)",
		     what, CFG_MAX_MMIO);
	for (int i = 0; i < n / 2; i++) {
		struct cfg_region *r = &c->mmio[i];

		r->base = fdt32_to_cpu(p[2 * i]);
		r->size = fdt32_to_cpu(p[2 * i + 1]);
		if (!r->size || !IS_ALIGNED(r->base, 4096) || !IS_ALIGNED(r->size, 4096) ||
		    r->base + r->size > GiB(4))
			FAIL("%s: property 'passthrough-mmio': region 0x%llx+0x%llx is not whole "
			     "4 KiB pages below 4 GiB", what, (unsigned long long)r->base,
			     (unsigned long long)r->size);
	}
	c->nr_mmio = n / 2;
	n = cells(fdt, node, "passthrough-irqs", &p);
	if (n < 0 || n > CFG_MAX_IRQS)
		FAIL("%s: property 'passthrough-irqs' must be at most %d interrupt ids",
		     what, CFG_MAX_IRQS);
	for (int i = 0; i < n; i++) {
		uint32_t id = fdt32_to_cpu(p[i]);

		if (id < CFG_IRQ_MIN || id > CFG_IRQ_MAX)
			FAIL("%s: property 'passthrough-irqs': interrupt %u is not a shared "
			     "peripheral interrupt (%d-%d)", what, id, CFG_IRQ_MIN, CFG_IRQ_MAX);
		c->irqs[i] = id;
	}
	c->nr_irqs = n;
	return 0;
}

static int parse_policy(const void *fdt, int node, const char *what, struct vm_config *c,
			char *why, size_t why_len)
{
	static const char *const policies[] = { "stop", "restart" };
	int pol = RESTART_STOP, err;

	if ((err = get_choice(fdt, node, what, "restart-policy", policies, 2, &pol, why, why_len)))
		return err;
	c->restart = pol;
	c->max_restarts = 3;
	if ((err = get_u32(fdt, node, what, "max-restarts", 0, 1000, &c->max_restarts,
			   why, why_len)) < 0 ||
	    (err = get_u32(fdt, node, what, "watchdog-ms", 1, 60000, &c->watchdog_ms,
			   why, why_len)) < 0)
		return err;
	if (c->restart == RESTART_STOP && fdt_getprop(fdt, node, "max-restarts", NULL))
		FAIL("%s: 'max-restarts' needs restart-policy = \"restart\"", what);
	return 0;
}

static int parse_partition(const void *fdt, int node, struct vm_config *c,
			   char *why, size_t why_len)
{
	const char *name = fdt_get_name(fdt, node, NULL);
	char what[48];
	int err;

	if (!name || !name_ok(name))
		FAIL("partition node '%s': a name is 1-%d characters of a-z, 0-9, '-', '_'",
		     name ? name : "?", CFG_NAME_MAX - 1);
	memset(c, 0, sizeof(*c));
	c->name = name;
	snprintf(what, sizeof(what), "partition '%s'", name);
	if ((err = check_props_known(fdt, node, what, known_props, ARRAY_SIZE(known_props),
				     why, why_len)) ||
	    (err = parse_cpus(fdt, node, what, c, why, why_len)) ||
	    (err = parse_memory(fdt, node, what, c, why, why_len)) ||
	    (err = parse_passthrough(fdt, node, what, c, why, why_len)) ||
	    (err = parse_policy(fdt, node, what, c, why, why_len)) ||
	    (err = get_image(fdt, node, what, "kernel", &c->kernel, why, why_len)) ||
	    (err = get_image(fdt, node, what, "initrd", &c->initrd, why, why_len)) ||
	    (err = get_image(fdt, node, what, "dtb", &c->dtb, why, why_len)))
		return err;
	if (!c->kernel.size)
		FAIL("%s: property 'kernel' (the image) is missing", what);
	c->bootargs = fdt_getprop(fdt, node, "bootargs", &err);
	if (c->bootargs && (err < 1 || c->bootargs[err - 1] != '\0'))
		FAIL("%s: property 'bootargs' is not a string", what);
	c->testdev = fdt_getprop(fdt, node, "keel,test-device", NULL) != NULL;
	c->exit_stats = fdt_getprop(fdt, node, "keel,exit-stats", NULL) != NULL;
	c->check_decoder = fdt_getprop(fdt, node, "keel,check-decoder", NULL) != NULL;
	return 0;
}

static int find_vm(const struct keel_config *cfg, const char *what, const char *name,
		   uint8_t *out, char *why, size_t why_len)
{
	for (unsigned v = 0; v < cfg->nr_vms; v++)
		if (!strcmp(cfg->vm[v].name, name)) {
			*out = v;
			return 0;
		}
	FAIL("%s: property 'between' names '%s', which is not a partition", what, name);
}

static int parse_channel(const void *fdt, int node, struct keel_config *cfg,
			 struct chan_config *ch, char *why, size_t why_len)
{
	static const char *const known[] = { "between", "size-kib" };
	const char *name = fdt_get_name(fdt, node, NULL), *ends;
	char what[48];
	uint32_t kib = 4;
	size_t na, nb;
	int len, err;

	if (!name || !name_ok(name))
		FAIL("channel node '%s': a name is 1-%d characters of a-z, 0-9, '-', '_'",
		     name ? name : "?", CFG_NAME_MAX - 1);
	snprintf(what, sizeof(what), "channel '%s'", name);
	ch->name = name;
	if ((err = check_props_known(fdt, node, what, known, ARRAY_SIZE(known), why, why_len)) ||
	    (err = get_u32(fdt, node, what, "size-kib", 4, CHAN_SHM_MAX >> 10, &kib,
			   why, why_len)) < 0)
		return err;
	if (kib % 4)
		FAIL("%s: property 'size-kib' (%u) is not a multiple of 4", what, kib);
	ch->size = kib << 10;
	ends = fdt_getprop(fdt, node, "between", &len);
	if (!ends)
		FAIL("%s: property 'between' (its two partitions) is missing", what);
	/* Exactly two non-empty strings. */
	na = strnlen(ends, len);
	nb = na + 1 < (size_t)len ? strnlen(ends + na + 1, len - na - 1) : 0;
	if (!na || !nb || na + nb + 2 != (size_t)len)
		FAIL("%s: property 'between' must name two partitions", what);
	if ((err = find_vm(cfg, what, ends, &ch->end[0], why, why_len)) ||
	    (err = find_vm(cfg, what, ends + na + 1, &ch->end[1], why, why_len)))
		return err;
	if (ch->end[0] == ch->end[1])
		FAIL("%s: property 'between' names '%s' twice", what, cfg->vm[ch->end[0]].name);
	return 0;
}

static int parse_channels(const void *fdt, struct keel_config *cfg, char *why, size_t why_len)
{
	int chans = fdt_subnode_offset(fdt, 0, "channels"), node, err;

	if (chans < 0)
		return 0;
	fdt_for_each_subnode(node, fdt, chans) {
		struct chan_config *ch = &cfg->chan[cfg->nr_chans];

		if (cfg->nr_chans == CFG_MAX_CHANNELS)
			FAIL("the config has more than %d channels", CFG_MAX_CHANNELS);
		if ((err = parse_channel(fdt, node, cfg, ch, why, why_len)))
			return err;
		for (unsigned i = 0; i < cfg->nr_chans; i++)
			if (!strcmp(cfg->chan[i].name, ch->name))
				FAIL("two channels are called '%s'", ch->name);
		cfg->nr_chans++;
	}
	return 0;
}

static int check_root(const void *fdt, char *why, size_t why_len)
{
	static const char *const known[] = { "compatible", "keel,console-colour",
					     "#address-cells", "#size-cells", "model" };
	int prop, node;

	fdt_for_each_property_offset(prop, fdt, 0) {
		const char *pname;
		bool ok = false;

		fdt_getprop_by_offset(fdt, prop, &pname, NULL);
		for (unsigned i = 0; i < ARRAY_SIZE(known); i++)
			ok |= !strcmp(pname, known[i]);
		if (!ok)
			FAIL("/: unknown property '%s'", pname);
	}
	fdt_for_each_subnode(node, fdt, 0) {
		const char *n = fdt_get_name(fdt, node, NULL);

		if (strcmp(n, "partitions") && strcmp(n, "channels"))
			FAIL("/: unknown node '%s' (expected 'partitions' and 'channels')", n);
		/* They only hold nodes: a property there is a misplaced one. */
		prop = fdt_first_property_offset(fdt, node);
		if (prop >= 0) {
			const char *pname;

			fdt_getprop_by_offset(fdt, prop, &pname, NULL);
			FAIL("/%s: unknown property '%s' (properties go in its nodes)", n, pname);
		}
	}
	return 0;
}

int bundle_parse(const void *blob, uint64_t max, struct keel_config *cfg,
		 char *why, size_t why_len)
{
	int parts, node, err;

	memset(cfg, 0, sizeof(*cfg));
	if (max < sizeof(struct fdt_header) || fdt_magic(blob) != FDT_MAGIC)
		FAIL("the boot bundle is not a flattened device tree (bad magic)");
	if (fdt_totalsize(blob) > max)
		FAIL("the boot bundle is truncated (%u bytes, header says %u)",
		     (unsigned)max, fdt_totalsize(blob));
	if ((err = fdt_check_header(blob)))
		FAIL("the boot bundle's header is damaged (%s)", fdt_strerror(err));
	if (fdt_node_check_compatible(blob, 0, "keel,bundle-v1"))
		FAIL("the boot bundle is not compatible with \"keel,bundle-v1\"");
	parts = fdt_subnode_offset(blob, 0, "partitions");
	if (parts < 0)
		FAIL("the boot bundle has no /partitions node");
	if ((err = check_root(blob, why, why_len)))
		return err;
	fdt_for_each_subnode(node, blob, parts) {
		struct vm_config *c = &cfg->vm[cfg->nr_vms];

		if (cfg->nr_vms == CFG_MAX_VMS)
			FAIL("the boot bundle has more than %d partitions", CFG_MAX_VMS);
		if ((err = parse_partition(blob, node, c, why, why_len)))
			return err;
		for (unsigned i = 0; i < cfg->nr_vms; i++)
			if (!strcmp(cfg->vm[i].name, c->name))
				FAIL("two partitions are called '%s'", c->name);
		cfg->nr_vms++;
	}
	if (!cfg->nr_vms)
		FAIL("the boot bundle describes no partition");
	cfg->colour = fdt_getprop(blob, 0, "keel,console-colour", NULL) != NULL;
	return parse_channels(blob, cfg, why, why_len);
}
