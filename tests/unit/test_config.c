/* SPDX-License-Identifier: MIT */
/*
 * The config as a whole: what core/bundle.c refuses in the scheduling,
 * memory, passthrough, restart and channel properties, and the rules
 * core/config_check.c keeps across partitions and against a board (memory
 * and devices owned once, pinned vCPUs alone on their CPU, images that fit),
 * with vCPU placement. Configs are built with host libfdt's sequential-write
 * API; every refusal must say, in `why`, which node and which property.
 */
#include "unit.h"
#include "fakes.h"
#include "ref_crc32.h"
#include <libfdt.h>
#include <keel/config.h>
#include <keel/errno.h>

#define BLOB_MAX (4u << 20)

static char blob[BLOB_MAX] __attribute__((aligned(8)));
static int build_err;
static struct keel_config kc;
static char why[512];

/* Images: a small kernel, and a big buffer the fit checks cut sizes from. */
static const uint8_t small_kernel[256] = { 0x00, 0x00, 0xa0, 0xe1, 0xfe, 0xff, 0xff, 0xea,
					   [100] = 0x5a, [255] = 0xa5 };
#define BIG_MAX 0x80000u
static uint8_t big[BIG_MAX];

/* ---- config builder ------------------------------------------------------ */

#define B(x) do { int e_ = (x); if (e_ < 0 && !build_err) build_err = e_; } while (0)

/* The root node, open, with its compatible: add root properties, then parts_begin(). */
static void begin_root(void)
{
	build_err = 0;
	B(fdt_create(blob, sizeof(blob)));
	B(fdt_finish_reservemap(blob));
	B(fdt_begin_node(blob, ""));
	B(fdt_property_string(blob, "compatible", "keel,bundle-v1"));
}

static void node_begin(const char *name)
{
	B(fdt_begin_node(blob, name));
}

static void node_end(void)
{
	B(fdt_end_node(blob));
}

static void begin(void)
{
	begin_root();
	node_begin("partitions");
}

/* Close the root node and the tree (the caller has closed /partitions and /channels). */
static void finish(void)
{
	node_end();
	B(fdt_finish(blob));
	CHECK_EQ(build_err, 0);
	CHECK_EQ(fdt_check_header(blob), 0);
}

static void prop_u32(const char *name, uint32_t v)
{
	B(fdt_property_u32(blob, name, v));
}

static void prop_raw(const char *name, const void *data, int len)
{
	B(fdt_property(blob, name, data, len));
}

static void prop_str(const char *name, const char *s)
{
	B(fdt_property_string(blob, name, s));
}

/* A property of n big-endian cells. */
static void prop_cells(const char *name, const uint32_t *v, int n)
{
	fdt32_t c[32];

	for (int i = 0; i < n && i < 32; i++)
		c[i] = cpu_to_fdt32(v[i]);
	prop_raw(name, c, n * 4);
}

#define CELLS(name, ...) do {                                                  \
	static const uint32_t c_[] = { __VA_ARGS__ };                          \
	prop_cells(name, c_, (int)ARRAY_SIZE(c_));                             \
} while (0)

/* An image property and its NAME-crc32. */
static void prop_image(const char *name, const void *data, uint32_t len)
{
	char crc_name[32];

	snprintf(crc_name, sizeof(crc_name), "%s-crc32", name);
	prop_raw(name, data, (int)len);
	prop_u32(crc_name, ref_crc32(data, len));
}

static void kernel(void)
{
	prop_image("kernel", small_kernel, sizeof(small_kernel));
}

/* A partition with only a kernel (defaults for the rest). */
static void plain_part(const char *name)
{
	node_begin(name);
	kernel();
	node_end();
}

/* A channel node. between: the raw property (NULL: none), kib 0: no size-kib. */
static void chan_raw(const char *name, const char *between, int between_len, uint32_t kib)
{
	node_begin(name);
	if (between)
		prop_raw("between", between, between_len);
	if (kib)
		prop_u32("size-kib", kib);
	node_end();
}

/* A channel between two named partitions. */
static void chan(const char *name, const char *a, const char *b, uint32_t kib)
{
	char buf[2 * CFG_NAME_MAX + 2];
	size_t na = strlen(a), nb = strlen(b);

	memcpy(buf, a, na + 1);
	memcpy(buf + na + 1, b, nb + 1);
	chan_raw(name, buf, (int)(na + nb + 2), kib);
}

static int parse(void)
{
	memset(&kc, 0xa5, sizeof(kc));
	memset(why, 0, sizeof(why));
	return bundle_parse(blob, fdt_totalsize(blob), &kc, why, sizeof(why));
}

/* A bundle that must parse: 1 if it did (else the reason is printed). */
static int parsed(const char *label)
{
	int ret = parse();

	CHECK_EQ_MSG(ret, 0, label);
	if (ret)
		fprintf(stderr, "  [%s] bundle_parse: %s\n", label, why);
	return ret == 0;
}

/* ---- boards ---------------------------------------------------------------- */

#define GICV_PA 0x08040000ull

/* QEMU virt as Keel sees it: 1 GiB at 0x40000000, Keel's image and the bundle in it. */
static const struct board_limits virt = {
	.nr_cpus = 4,
	.ram = { { 0x40000000, GiB(1) } },
	.nr_ram = 1,
	.owned = {
		{ 0x40000000, MiB(2) },
		{ 0x48000000, MiB(16) },
		{ 0x4c000000, 0x100000 },
		{ 0x08000000, 0x10000 },
		{ 0x08010000, 0x10000 },
		{ 0x08030000, 0x10000 },
		{ GICV_PA, 0x10000 },
		{ 0x09000000, 0x1000 },
	},
	.owned_what = {
		"Keel's image", "the boot bundle", "the board's device tree",
		"the GIC distributor", "the GIC CPU interface", "the GIC hypervisor interface",
		"the GIC virtual CPU interface", "Keel's console UART",
	},
	.nr_owned = 8,
	.owned_irqs = { 33 },
	.nr_owned_irqs = 1,
};

static struct board_limits board_with_cpus(unsigned n)
{
	struct board_limits l = virt;

	l.nr_cpus = n;
	return l;
}

static int check(const struct board_limits *lim)
{
	memset(why, 0, sizeof(why));
	return config_check(&kc, lim, why, sizeof(why));
}

/* Check a refusal: negative result, and every word in want appears in why. */
static void refused(int ret, const char *label, const char *const *want)
{
	CHECK_EQ_MSG(ret < 0, 1, label);
	CHECK_EQ_MSG(why[0] != '\0', 1, label);
	check_why_has(why, sizeof(why), label, want);
}

/* ---- bundle_parse: partition properties ------------------------------------ */

/* One property of a bad partition: a string (str) or n cells. */
struct pv {
	const char *name;
	const char *str;
	int n;
	uint32_t c[20];
};

struct pcase {
	const char *label;
	struct pv p[3];
	const char *want[4];
};

static const struct pcase part_cases[] = {
	{ "unknown property", { { "colour", NULL, 1, { 1 } } },
	  { "unknown property 'colour'" } },
	{ "unknown property (typo)", { { "cpu-afinity", NULL, 1, { 0 } } },
	  { "unknown property 'cpu-afinity'" } },

	/* cpu-affinity */
	{ "affinity: fewer CPUs than vCPUs", { { "cpus", NULL, 1, { 2 } },
					       { "cpu-affinity", NULL, 1, { 0 } } },
	  { "'cpu-affinity'", "one CPU per vCPU (2)" } },
	{ "affinity: more CPUs than vCPUs", { { "cpus", NULL, 1, { 2 } },
					      { "cpu-affinity", NULL, 3, { 0, 1, 2 } } },
	  { "'cpu-affinity'", "one CPU per vCPU (2)" } },
	{ "affinity: two for the default one vCPU", { { "cpu-affinity", NULL, 2, { 0, 1 } } },
	  { "'cpu-affinity'", "one CPU per vCPU (1)" } },
	{ "affinity: empty", { { "cpu-affinity", NULL, 0, { 0 } } },
	  { "'cpu-affinity'" } },
	{ "affinity: CPU 4", { { "cpu-affinity", NULL, 1, { 4 } } },
	  { "'cpu-affinity' names CPU 4", "0-3" } },
	{ "affinity: second CPU huge", { { "cpus", NULL, 1, { 2 } },
					 { "cpu-affinity", NULL, 2, { 1, 0xffffffffu } } },
	  { "'cpu-affinity' names CPU 4294967295" } },

	/* sched-class */
	{ "sched-class fifo", { { "sched-class", "fifo", 0, { 0 } } },
	  { "'sched-class'", "\"timeslice\" or \"pinned\"" } },
	{ "sched-class Pinned", { { "sched-class", "Pinned", 0, { 0 } } },
	  { "'sched-class'", "\"timeslice\" or \"pinned\"" } },
	{ "sched-class prefix", { { "sched-class", "pin", 0, { 0 } } },
	  { "'sched-class'" } },
	{ "sched-class empty string", { { "sched-class", "", 0, { 0 } } },
	  { "'sched-class'" } },
	{ "sched-class a cell", { { "sched-class", NULL, 1, { 1 } } },
	  { "'sched-class'" } },

	/* priority, budget, period */
	{ "priority 256", { { "priority", NULL, 1, { 256 } } },
	  { "'priority' is 256", "0-255" } },
	{ "priority two cells", { { "priority", NULL, 2, { 1, 1 } } },
	  { "'priority'", "one 32-bit cell" } },
	{ "budget 99", { { "budget-us", NULL, 1, { 99 } }, { "period-us", NULL, 1, { 1000 } } },
	  { "'budget-us' is 99", "100-1000000" } },
	{ "budget 1000001", { { "budget-us", NULL, 1, { 1000001 } },
			      { "period-us", NULL, 1, { 1000000 } } },
	  { "'budget-us' is 1000001", "100-1000000" } },
	{ "period 999", { { "budget-us", NULL, 1, { 100 } }, { "period-us", NULL, 1, { 999 } } },
	  { "'period-us' is 999", "1000-1000000" } },
	{ "period 1000001", { { "budget-us", NULL, 1, { 100 } },
			      { "period-us", NULL, 1, { 1000001 } } },
	  { "'period-us' is 1000001", "1000-1000000" } },
	{ "budget 0", { { "budget-us", NULL, 1, { 0 } }, { "period-us", NULL, 1, { 1000 } } },
	  { "'budget-us' is 0" } },
	{ "budget without period", { { "budget-us", NULL, 1, { 500 } } },
	  { "'budget-us' and 'period-us' go together" } },
	{ "period without budget", { { "period-us", NULL, 1, { 5000 } } },
	  { "'budget-us' and 'period-us' go together" } },
	{ "budget > period", { { "budget-us", NULL, 1, { 2000 } },
			       { "period-us", NULL, 1, { 1000 } } },
	  { "'budget-us' (2000) is longer than 'period-us' (1000)" } },
	{ "pinned with priority", { { "sched-class", "pinned", 0, { 0 } },
				    { "priority", NULL, 1, { 1 } } },
	  { "pinned", "'priority'", "\"timeslice\"" } },
	{ "pinned with priority 0", { { "sched-class", "pinned", 0, { 0 } },
				      { "priority", NULL, 1, { 0 } } },
	  { "pinned", "'priority'" } },
	{ "pinned with budget", { { "sched-class", "pinned", 0, { 0 } },
				  { "budget-us", NULL, 1, { 500 } },
				  { "period-us", NULL, 1, { 1000 } } },
	  { "pinned", "'budget-us'" } },
	{ "pinned with period only", { { "sched-class", "pinned", 0, { 0 } },
				       { "period-us", NULL, 1, { 1000 } } },
	  { "pinned", "'period-us'" } },

	/* memory-base */
	{ "memory-base 1 MiB aligned", { { "memory-base", NULL, 1, { 0x40100000 } } },
	  { "'memory-base' 0x40100000", "non-zero multiple of 2 MiB" } },
	{ "memory-base odd", { { "memory-base", NULL, 1, { 0x40000001 } } },
	  { "'memory-base' 0x40000001", "multiple of 2 MiB" } },
	{ "memory-base 64-bit misaligned", { { "memory-base", NULL, 2, { 1, 0x1000 } } },
	  { "'memory-base' 0x100001000", "multiple of 2 MiB" } },
	{ "memory-base zero", { { "memory-base", NULL, 1, { 0 } } },
	  { "'memory-base' 0x0", "non-zero" } },
	{ "memory-base zero (two cells)", { { "memory-base", NULL, 2, { 0, 0 } } },
	  { "'memory-base' 0x0", "non-zero" } },
	{ "memory-base three cells", { { "memory-base", NULL, 3, { 0, 0x40000000, 0 } } },
	  { "'memory-base'", "one or two 32-bit cells" } },
	{ "memory-base empty", { { "memory-base", NULL, 0, { 0 } } },
	  { "'memory-base'", "one or two 32-bit cells" } },

	/* passthrough-mmio */
	{ "mmio odd cells", { { "passthrough-mmio", NULL, 3, { 0x0a000000, 0x1000, 0x0a001000 } } },
	  { "'passthrough-mmio'", "<base size> pairs" } },
	{ "mmio one cell", { { "passthrough-mmio", NULL, 1, { 0x0a000000 } } },
	  { "'passthrough-mmio'", "<base size> pairs" } },
	{ "mmio empty", { { "passthrough-mmio", NULL, 0, { 0 } } },
	  { "'passthrough-mmio'", "pairs" } },
	{ "mmio nine pairs", { { "passthrough-mmio", NULL, 18, {
		0x0a000000, 0x1000, 0x0a001000, 0x1000, 0x0a002000, 0x1000, 0x0a003000, 0x1000,
		0x0a004000, 0x1000, 0x0a005000, 0x1000, 0x0a006000, 0x1000, 0x0a007000, 0x1000,
		0x0a008000, 0x1000 } } },
	  { "'passthrough-mmio'", "at most 8" } },
	{ "mmio base unaligned", { { "passthrough-mmio", NULL, 2, { 0x0a000010, 0x1000 } } },
	  { "'passthrough-mmio'", "0xa000010+0x1000", "4 KiB pages" } },
	{ "mmio size unaligned", { { "passthrough-mmio", NULL, 2, { 0x0a000000, 0x1800 } } },
	  { "'passthrough-mmio'", "0xa000000+0x1800", "4 KiB pages" } },
	{ "mmio size zero", { { "passthrough-mmio", NULL, 2, { 0x0a000000, 0 } } },
	  { "'passthrough-mmio'", "0xa000000+0x0" } },
	{ "mmio second region bad", { { "passthrough-mmio", NULL, 4,
					{ 0x0a000000, 0x1000, 0x0a002000, 0x100 } } },
	  { "'passthrough-mmio'", "0xa002000+0x100" } },
	{ "mmio past 4 GiB", { { "passthrough-mmio", NULL, 2, { 0xfffff000, 0x2000 } } },
	  { "'passthrough-mmio'", "0xfffff000+0x2000", "below 4 GiB" } },

	/* passthrough-irqs */
	{ "irq 31", { { "passthrough-irqs", NULL, 1, { 31 } } },
	  { "'passthrough-irqs'", "interrupt 31", "32-143" } },
	{ "irq 144", { { "passthrough-irqs", NULL, 1, { 144 } } },
	  { "'passthrough-irqs'", "interrupt 144", "32-143" } },
	{ "irq 0", { { "passthrough-irqs", NULL, 1, { 0 } } },
	  { "'passthrough-irqs'", "interrupt 0" } },
	{ "irq 27 (the vtimer PPI)", { { "passthrough-irqs", NULL, 1, { 27 } } },
	  { "'passthrough-irqs'", "interrupt 27" } },
	{ "irq 1020", { { "passthrough-irqs", NULL, 2, { 40, 1020 } } },
	  { "'passthrough-irqs'", "interrupt 1020" } },
	{ "irq seventeen", { { "passthrough-irqs", NULL, 17, {
		40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56 } } },
	  { "'passthrough-irqs'", "at most 16" } },

	/* restart policy, watchdog */
	{ "restart-policy always", { { "restart-policy", "always", 0, { 0 } } },
	  { "'restart-policy'", "\"stop\" or \"restart\"" } },
	{ "restart-policy Restart", { { "restart-policy", "Restart", 0, { 0 } } },
	  { "'restart-policy'" } },
	{ "restart-policy a cell", { { "restart-policy", NULL, 1, { 1 } } },
	  { "'restart-policy'" } },
	{ "max-restarts without a policy", { { "max-restarts", NULL, 1, { 5 } } },
	  { "'max-restarts'", "restart-policy = \"restart\"" } },
	{ "max-restarts with policy stop", { { "restart-policy", "stop", 0, { 0 } },
					     { "max-restarts", NULL, 1, { 5 } } },
	  { "'max-restarts'", "restart-policy = \"restart\"" } },
	{ "max-restarts 1001", { { "restart-policy", "restart", 0, { 0 } },
				 { "max-restarts", NULL, 1, { 1001 } } },
	  { "'max-restarts' is 1001", "0-1000" } },
	{ "watchdog-ms 0", { { "watchdog-ms", NULL, 1, { 0 } } },
	  { "'watchdog-ms' is 0", "1-60000" } },
	{ "watchdog-ms 60001", { { "watchdog-ms", NULL, 1, { 60001 } } },
	  { "'watchdog-ms' is 60001", "1-60000" } },
	{ "watchdog-ms two cells", { { "watchdog-ms", NULL, 2, { 0, 100 } } },
	  { "'watchdog-ms'", "one 32-bit cell" } },
};

TEST(partition_property_refusals)
{
	for (unsigned i = 0; i < ARRAY_SIZE(part_cases); i++) {
		const struct pcase *t = &part_cases[i];
		const char *want[6] = { "partition 'second'" };
		unsigned nw = 1;

		begin();
		plain_part("first");
		node_begin("second");
		kernel();
		for (unsigned k = 0; k < ARRAY_SIZE(t->p) && t->p[k].name; k++) {
			if (t->p[k].str)
				prop_str(t->p[k].name, t->p[k].str);
			else
				prop_cells(t->p[k].name, t->p[k].c, t->p[k].n);
		}
		node_end();
		node_end();
		finish();
		for (unsigned k = 0; k < ARRAY_SIZE(t->want) && t->want[k]; k++)
			want[nw++] = t->want[k];
		want[nw] = NULL;
		refused(parse(), t->label, want);
	}
}

/* Limits that are just inside are accepted. */
TEST(partition_property_limits_accepted)
{
	begin();
	node_begin("lo");
	kernel();
	CELLS("priority", 0);
	CELLS("budget-us", 100);
	CELLS("period-us", 1000);
	CELLS("passthrough-irqs", 32, 143);
	CELLS("watchdog-ms", 1);
	prop_str("restart-policy", "restart");
	CELLS("max-restarts", 0);
	CELLS("memory-base", 0x40200000);
	node_end();
	node_begin("hi");
	kernel();
	CELLS("cpus", 4);
	CELLS("cpu-affinity", 3, 2, 1, 0);
	CELLS("priority", 255);
	CELLS("budget-us", 1000000);
	CELLS("period-us", 1000000);
	CELLS("watchdog-ms", 60000);
	prop_str("restart-policy", "restart");
	CELLS("max-restarts", 1000);
	CELLS("memory-base", 0x1, 0x00000000);
	CELLS("passthrough-mmio", 0x0a000000, 0x1000, 0x0a001000, 0x1000, 0x0a002000, 0x1000,
	      0x0a003000, 0x1000, 0x0a004000, 0x1000, 0x0a005000, 0x1000, 0x0a006000, 0x1000,
	      0xfffff000, 0x1000);
	CELLS("passthrough-irqs", 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55);
	node_end();
	node_begin("pin");
	kernel();
	prop_str("sched-class", "pinned");
	node_end();
	node_end();
	finish();
	if (!parsed("limits"))
		return;
	CHECK_EQ(kc.nr_vms, 3);
	CHECK_EQ(kc.vm[0].priority, 0);
	CHECK_EQ(kc.vm[0].budget_us, 100);
	CHECK_EQ(kc.vm[0].period_us, 1000);
	CHECK_EQ(kc.vm[0].nr_irqs, 2);
	CHECK_EQ(kc.vm[0].irqs[0], 32);
	CHECK_EQ(kc.vm[0].irqs[1], 143);
	CHECK_EQ(kc.vm[0].watchdog_ms, 1);
	CHECK_EQ(kc.vm[0].restart, RESTART_ALWAYS);
	CHECK_EQ(kc.vm[0].max_restarts, 0);
	CHECK_EQ(kc.vm[0].ram_base, 0x40200000);
	CHECK_EQ(kc.vm[0].has_affinity, 0);
	CHECK_EQ(kc.vm[1].nr_vcpus, 4);
	CHECK_EQ(kc.vm[1].has_affinity, 1);
	CHECK_EQ(kc.vm[1].affinity[0], 3);
	CHECK_EQ(kc.vm[1].affinity[3], 0);
	CHECK_EQ(kc.vm[1].priority, 255);
	CHECK_EQ(kc.vm[1].budget_us, 1000000);
	CHECK_EQ(kc.vm[1].period_us, 1000000);
	CHECK_EQ(kc.vm[1].watchdog_ms, 60000);
	CHECK_EQ(kc.vm[1].max_restarts, 1000);
	CHECK_EQ(kc.vm[1].ram_base, 0x100000000ull);
	CHECK_EQ(kc.vm[1].nr_mmio, 8);
	CHECK_EQ(kc.vm[1].mmio[7].base, 0xfffff000u);
	CHECK_EQ(kc.vm[1].mmio[7].size, 0x1000);
	CHECK_EQ(kc.vm[1].nr_irqs, 16);
	CHECK_EQ(kc.vm[1].irqs[15], 55);
	CHECK_EQ(kc.vm[2].sched, SCHED_PINNED);
}

TEST(kernel_required)
{
	begin();
	plain_part("ok");
	node_begin("k");
	CELLS("cpus", 1);
	node_end();
	node_end();
	finish();
	refused(parse(), "no kernel", WANT("partition 'k'", "'kernel'", "missing"));
}

/* ---- bundle_parse: the root ---------------------------------------------- */

TEST(root_refusals)
{
	begin_root();
	prop_u32("keel,colour", 1);
	node_begin("partitions");
	plain_part("p");
	node_end();
	finish();
	refused(parse(), "root property", WANT("/: unknown property 'keel,colour'"));

	begin();
	plain_part("p");
	node_end();
	node_begin("extra");
	node_end();
	finish();
	refused(parse(), "root node", WANT("/: unknown node 'extra'"));

	begin();
	plain_part("p");
	node_end();
	node_begin("channel");     /* misspelt */
	chan("c", "p", "p", 0);
	node_end();
	finish();
	refused(parse(), "root node channel", WANT("/: unknown node 'channel'"));

	/* The known root properties are accepted. */
	begin_root();
	prop_str("model", "x");
	CELLS("#address-cells", 1);
	CELLS("#size-cells", 1);
	node_begin("partitions");
	plain_part("p");
	node_end();
	node_begin("channels");
	node_end();
	finish();
	if (parsed("known root properties"))
		CHECK_EQ(kc.nr_chans, 0);
}

/* ---- bundle_parse: channels ------------------------------------------------ */

static void three_parts_then_channels(void)
{
	begin();
	plain_part("a");
	plain_part("b");
	plain_part("c");
	node_end();
	node_begin("channels");
}

TEST(channel_refusals)
{
	static const struct {
		const char *label;
		const char *between;    /* NULL: no property */
		int len;
		uint32_t kib;           /* 0: none */
		const char *extra;      /* an extra u32 property */
		const char *want[3];
	} cases[] = {
		{ "unknown property", "a\0b", 4, 0, "size", { "unknown property 'size'" } },
		{ "unknown property (partition's)", "a\0b", 4, 0, "cpus",
		  { "unknown property 'cpus'" } },
		{ "between missing", NULL, 0, 8, NULL,
		  { "property 'between' (its two partitions) is missing" } },
		{ "between one name", "a", 2, 0, NULL,
		  { "property 'between' must name two partitions" } },
		{ "between three names", "a\0b\0c", 6, 0, NULL,
		  { "property 'between' must name two partitions" } },
		{ "between no final NUL", "a\0b", 3, 0, NULL,
		  { "property 'between' must name two partitions" } },
		{ "between empty first", "\0b", 3, 0, NULL,
		  { "property 'between' must name two partitions" } },
		{ "between empty second", "a\0", 3, 0, NULL,
		  { "property 'between' must name two partitions" } },
		{ "between empty", "", 0, 0, NULL,
		  { "property 'between' must name two partitions" } },
		{ "between a cell", "\0\0\0\1", 4, 0, NULL, { "'between'" } },
		{ "unknown first partition", "zz\0a", 5, 0, NULL,
		  { "property 'between' names 'zz', which is not a partition" } },
		{ "unknown second partition", "a\0zz", 5, 0, NULL,
		  { "property 'between' names 'zz', which is not a partition" } },
		{ "same partition twice", "b\0b", 4, 0, NULL,
		  { "property 'between' names 'b' twice" } },
		{ "size-kib 6", "a\0b", 4, 6, NULL, { "'size-kib' (6) is not a multiple of 4" } },
		{ "size-kib 1022", "a\0b", 4, 1022, NULL,
		  { "'size-kib' (1022) is not a multiple of 4" } },
		{ "size-kib 2", "a\0b", 4, 2, NULL, { "'size-kib' is 2", "4-1024" } },
		{ "size-kib 1028", "a\0b", 4, 1028, NULL, { "'size-kib' is 1028", "4-1024" } },
		{ "size-kib huge", "a\0b", 4, 0x80000000u, NULL, { "'size-kib' is 2147483648" } },
	};

	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *want[5] = { "channel 'ch'" };
		unsigned nw = 1;

		three_parts_then_channels();
		chan("fine", "a", "b", 0);
		node_begin("ch");
		if (cases[i].between)
			prop_raw("between", cases[i].between, cases[i].len);
		if (cases[i].kib)
			prop_u32("size-kib", cases[i].kib);
		if (cases[i].extra)
			prop_u32(cases[i].extra, 1);
		node_end();
		node_end();
		finish();
		for (unsigned k = 0; k < ARRAY_SIZE(cases[i].want) && cases[i].want[k]; k++)
			want[nw++] = cases[i].want[k];
		want[nw] = NULL;
		refused(parse(), cases[i].label, want);
	}

	/* A size-kib of zero is out of range too (chan() would leave it out). */
	three_parts_then_channels();
	node_begin("ch");
	prop_raw("between", "a\0b", 4);
	prop_u32("size-kib", 0);
	node_end();
	node_end();
	finish();
	refused(parse(), "size-kib 0", WANT("channel 'ch'", "'size-kib' is 0"));

	/* Two channels of one name. */
	three_parts_then_channels();
	chan("x", "a", "b", 0);
	chan("x", "b", "c", 0);
	node_end();
	finish();
	refused(parse(), "duplicate channel", WANT("two channels are called 'x'"));

	/* A bad channel name. */
	three_parts_then_channels();
	chan("Bad", "a", "b", 0);
	node_end();
	finish();
	refused(parse(), "channel name", WANT("channel node 'Bad'", "name"));

	/* A node inside a channel. */
	three_parts_then_channels();
	node_begin("ch");
	prop_raw("between", "a\0b", 4);
	node_begin("sub");
	node_end();
	node_end();
	node_end();
	finish();
	refused(parse(), "channel child", WANT("channel 'ch'", "unexpected node 'sub'"));

	/* Nine channels. */
	three_parts_then_channels();
	for (int k = 0; k < 9; k++) {
		char name[16];

		snprintf(name, sizeof(name), "c%d", k);
		chan(name, "a", "b", 0);
	}
	node_end();
	finish();
	refused(parse(), "nine channels", WANT("more than 8 channels"));
}

/* A property on /partitions or /channels (misplaced, meant for a node in it) is refused. */
TEST(property_on_channels_or_partitions_node)
{
	begin();
	prop_u32("max-restarts", 5);       /* a property of /partitions */
	plain_part("a");
	plain_part("b");
	node_end();
	finish();
	refused(parse(), "/partitions property", WANT("partitions", "'max-restarts'"));

	begin();
	plain_part("a");
	plain_part("b");
	node_end();
	node_begin("channels");
	prop_u32("size-kib", 64);
	chan("c", "a", "b", 0);
	node_end();
	finish();
	refused(parse(), "/channels property", WANT("channels", "'size-kib'"));
}

/* ---- acceptance ------------------------------------------------------------- */

TEST(defaults)
{
	begin();
	plain_part("p");
	node_end();
	finish();
	if (!parsed("defaults"))
		return;
	CHECK_EQ(kc.nr_vms, 1);
	CHECK_EQ(kc.nr_chans, 0);
	CHECK_EQ(kc.colour, 0);
	CHECK_EQ(kc.vm[0].nr_vcpus, 1);
	CHECK_EQ(kc.vm[0].has_affinity, 0);
	CHECK_EQ(kc.vm[0].sched, SCHED_TIMESLICE);
	CHECK_EQ(kc.vm[0].priority, 1);
	CHECK_EQ(kc.vm[0].budget_us, 0);
	CHECK_EQ(kc.vm[0].period_us, 0);
	CHECK_EQ(kc.vm[0].ram_size, MiB(64));
	CHECK_EQ(kc.vm[0].ram_base, 0);
	CHECK_EQ(kc.vm[0].nr_mmio, 0);
	CHECK_EQ(kc.vm[0].nr_irqs, 0);
	CHECK_EQ(kc.vm[0].restart, RESTART_STOP);
	CHECK_EQ(kc.vm[0].max_restarts, 3);
	CHECK_EQ(kc.vm[0].watchdog_ms, 0);
	CHECK_EQ(check(&virt), 0);
	CHECK_EQ(kc.vm[0].affinity[0], 0);
}

TEST(restart_policy_and_colour)
{
	begin_root();
	prop_raw("keel,console-colour", NULL, 0);
	node_begin("partitions");
	node_begin("r");
	kernel();
	prop_str("restart-policy", "restart");
	CELLS("watchdog-ms", 250);
	node_end();
	node_begin("r5");
	kernel();
	prop_str("restart-policy", "restart");
	CELLS("max-restarts", 5);
	node_end();
	node_begin("s");
	kernel();
	prop_str("restart-policy", "stop");
	node_end();
	node_end();
	finish();
	if (!parsed("policy"))
		return;
	CHECK_EQ(kc.colour, 1);
	CHECK_EQ(kc.vm[0].restart, RESTART_ALWAYS);
	CHECK_EQ(kc.vm[0].max_restarts, 3);
	CHECK_EQ(kc.vm[0].watchdog_ms, 250);
	CHECK_EQ(kc.vm[1].restart, RESTART_ALWAYS);
	CHECK_EQ(kc.vm[1].max_restarts, 5);
	CHECK_EQ(kc.vm[1].watchdog_ms, 0);
	CHECK_EQ(kc.vm[2].restart, RESTART_STOP);
	CHECK_EQ(kc.vm[2].max_restarts, 3);
	CHECK_EQ(check(&virt), 0);
}

TEST(channels_parsed)
{
	begin();
	plain_part("a");
	plain_part("b");
	plain_part("c");
	node_end();
	node_begin("channels");
	chan("ab", "a", "b", 0);
	chan("cb", "c", "b", 64);
	chan("ac", "a", "c", 1024);
	node_end();
	finish();
	if (!parsed("channels"))
		return;
	CHECK_EQ(kc.nr_chans, 3);
	CHECK_STR_EQ(kc.chan[0].name, "ab");
	CHECK_EQ(kc.chan[0].end[0], 0);
	CHECK_EQ(kc.chan[0].end[1], 1);
	CHECK_EQ(kc.chan[0].size, 4096);
	CHECK_STR_EQ(kc.chan[1].name, "cb");
	CHECK_EQ(kc.chan[1].end[0], 2);
	CHECK_EQ(kc.chan[1].end[1], 1);
	CHECK_EQ(kc.chan[1].size, 64 * 1024);
	CHECK_STR_EQ(kc.chan[2].name, "ac");
	CHECK_EQ(kc.chan[2].end[0], 0);
	CHECK_EQ(kc.chan[2].end[1], 2);
	CHECK_EQ(kc.chan[2].size, CHAN_SHM_MAX);

	/* A partition's channels in config order. */
	CHECK_EQ(config_vm_channel(&kc, 0, 0), 0);
	CHECK_EQ(config_vm_channel(&kc, 0, 1), 2);
	CHECK_EQ(config_vm_channel(&kc, 0, 2), -1);
	CHECK_EQ(config_vm_channel(&kc, 1, 0), 0);
	CHECK_EQ(config_vm_channel(&kc, 1, 1), 1);
	CHECK_EQ(config_vm_channel(&kc, 1, 2), -1);
	CHECK_EQ(config_vm_channel(&kc, 2, 0), 1);
	CHECK_EQ(config_vm_channel(&kc, 2, 1), 2);
	CHECK_EQ(config_vm_channel(&kc, 2, 2), -1);
	CHECK_EQ(config_vm_channel(&kc, 3, 0), -1);
	CHECK_EQ(check(&virt), 0);

	/* Eight channels between two partitions: the most there are. */
	begin();
	plain_part("a");
	plain_part("b");
	node_end();
	node_begin("channels");
	for (int k = 0; k < 8; k++) {
		char name[16];

		snprintf(name, sizeof(name), "c%d", k);
		chan(name, (k & 1) ? "b" : "a", (k & 1) ? "a" : "b", 4);
	}
	node_end();
	finish();
	if (!parsed("eight channels"))
		return;
	CHECK_EQ(kc.nr_chans, 8);
	CHECK_EQ(kc.chan[7].end[0], 1);
	CHECK_EQ(kc.chan[7].end[1], 0);
	CHECK_EQ(config_vm_channel(&kc, 1, 7), 7);
	CHECK_EQ(config_vm_channel(&kc, 0, 8), -1);
	CHECK_EQ(check(&virt), 0);
}

/* ---- config_check: memory ---------------------------------------------- */

/* Partitions at the given 1:1 bases (0: anywhere) and sizes in MiB. */
static int one_to_one(unsigned n, const uint64_t *base, const uint32_t *mib)
{
	static const char *const names[] = { "a", "b", "c", "d" };

	begin();
	for (unsigned i = 0; i < n; i++) {
		node_begin(names[i]);
		kernel();
		prop_u32("memory-mib", mib[i]);
		if (base[i] >> 32) {
			uint32_t c[2] = { (uint32_t)(base[i] >> 32), (uint32_t)base[i] };

			prop_cells("memory-base", c, 2);
		} else if (base[i]) {
			prop_u32("memory-base", (uint32_t)base[i]);
		}
		node_end();
	}
	node_end();
	finish();
	return parsed("1:1 bundle");
}

TEST(memory_accepted)
{
	/* Two 1:1 partitions back to back, one anywhere; the top of RAM exactly. */
	if (!one_to_one(3, (const uint64_t[]){ 0x50000000, 0x54000000, 0 },
			(const uint32_t[]){ 64, 64, 64 }))
		return;
	CHECK_EQ(kc.vm[0].ram_base, 0x50000000);
	CHECK_EQ(kc.vm[1].ram_base, 0x54000000);
	CHECK_EQ(check(&virt), 0);

	if (one_to_one(1, (const uint64_t[]){ 0x7c000000 }, (const uint32_t[]){ 64 }))
		CHECK_EQ_MSG(check(&virt), 0, why);
	/* Right after Keel's image. */
	if (one_to_one(1, (const uint64_t[]){ 0x40200000 }, (const uint32_t[]){ 2 }))
		CHECK_EQ_MSG(check(&virt), 0, why);
	/* In a second bank above 4 GiB. */
	{
		struct board_limits l = virt;

		l.ram[1] = (struct cfg_region){ 0x100000000ull, GiB(2) };
		l.nr_ram = 2;
		if (one_to_one(1, (const uint64_t[]){ 0x100000000ull }, (const uint32_t[]){ 2048 }))
			CHECK_EQ_MSG(check(&l), 0, why);
	}
}

TEST(memory_refusals)
{
	/* Overlapping 1:1 memory. */
	if (one_to_one(2, (const uint64_t[]){ 0x50000000, 0x52000000 },
		       (const uint32_t[]){ 64, 64 }))
		refused(check(&virt), "1:1 overlap",
			WANT("partition 'b'", "'memory-base'", "overlaps partition 'a'"));
	/* Same base, with a plain partition in between. */
	if (one_to_one(3, (const uint64_t[]){ 0x60000000, 0, 0x60000000 },
		       (const uint32_t[]){ 2, 64, 2 }))
		refused(check(&virt), "1:1 same base",
			WANT("partition 'c'", "'memory-base'", "overlaps partition 'a'"));

	/* Outside the RAM banks: below, above, straddling the end, across two banks. */
	if (one_to_one(1, (const uint64_t[]){ 0x20000000 }, (const uint32_t[]){ 64 }))
		refused(check(&virt), "below RAM",
			WANT("partition 'a'", "'memory-base'", "0x20000000",
			     "not inside one of the board's RAM banks"));
	if (one_to_one(1, (const uint64_t[]){ 0x80000000 }, (const uint32_t[]){ 64 }))
		refused(check(&virt), "above RAM",
			WANT("partition 'a'", "'memory-base'", "not inside one"));
	if (one_to_one(1, (const uint64_t[]){ 0x7e000000 }, (const uint32_t[]){ 64 }))
		refused(check(&virt), "past the end of RAM",
			WANT("partition 'a'", "'memory-base'", "0x7e000000 + 64 MiB", "RAM banks"));
	if (one_to_one(1, (const uint64_t[]){ 0x200000000ull }, (const uint32_t[]){ 64 }))
		refused(check(&virt), "64-bit outside",
			WANT("partition 'a'", "'memory-base'", "RAM banks"));
	{
		struct board_limits l = virt;

		l.ram[1] = (struct cfg_region){ 0x80000000, GiB(1) };
		l.nr_ram = 2;
		if (one_to_one(1, (const uint64_t[]){ 0x7e000000 }, (const uint32_t[]){ 64 }))
			refused(check(&l), "across two banks",
				WANT("partition 'a'", "'memory-base'", "RAM banks"));
	}

	/* Keel-owned memory: its image, the bundle, the board DTB. */
	if (one_to_one(1, (const uint64_t[]){ 0x40000000 }, (const uint32_t[]){ 64 }))
		refused(check(&virt), "Keel's image",
			WANT("partition 'a'", "'memory-base'", "overlaps Keel's image"));
	if (one_to_one(1, (const uint64_t[]){ 0x46000000 }, (const uint32_t[]){ 64 }))
		refused(check(&virt), "boot bundle",
			WANT("partition 'a'", "'memory-base'", "overlaps the boot bundle",
			     "0x48000000-0x48ffffff"));
	if (one_to_one(1, (const uint64_t[]){ 0x4c000000 }, (const uint32_t[]){ 2 }))
		refused(check(&virt), "device tree",
			WANT("partition 'a'", "'memory-base'", "the board's device tree"));
	/* The second partition is the bad one: the first is not blamed. */
	if (one_to_one(2, (const uint64_t[]){ 0x50000000, 0x48200000 },
		       (const uint32_t[]){ 2, 2 }))
		refused(check(&virt), "second on bundle",
			WANT("partition 'b'", "the boot bundle"));

	/* A board whose RAM covers the emulated devices' window. */
	{
		struct board_limits l = virt;

		l.ram[1] = (struct cfg_region){ 0x00000000, MiB(512) };
		l.nr_ram = 2;
		if (one_to_one(1, (const uint64_t[]){ 0x0c000000 }, (const uint32_t[]){ 2 }))
			refused(check(&l), "emulated devices",
				WANT("partition 'a'", "'memory-base'", "emulated devices"));
	}
}

/* A memory-base near the top of the address space would wrap base + size: refused. */
TEST(memory_base_beyond_40_bits)
{
	const uint32_t base[2] = { 0xffffffffu, 0xffe00000u };

	begin();
	node_begin("a");
	kernel();
	prop_u32("memory-mib", 64);
	prop_cells("memory-base", base, 2);
	node_end();
	node_end();
	finish();
	refused(parse(), "wrapping memory-base",
		WANT("partition 'a'", "'memory-base'", "beyond 40-bit physical addresses"));
}

/* ---- config_check: passthrough devices --------------------------------- */

/* Two partitions; each gets its mmio cells and irq cells (n 0: none). */
static int devices(const uint32_t *mmio_a, int na, const uint32_t *irq_a, int ia,
		   const uint32_t *mmio_b, int nb, const uint32_t *irq_b, int ib)
{
	begin();
	node_begin("a");
	kernel();
	if (na)
		prop_cells("passthrough-mmio", mmio_a, na);
	if (ia)
		prop_cells("passthrough-irqs", irq_a, ia);
	node_end();
	node_begin("b");
	kernel();
	if (nb)
		prop_cells("passthrough-mmio", mmio_b, nb);
	if (ib)
		prop_cells("passthrough-irqs", irq_b, ib);
	node_end();
	node_end();
	finish();
	return parsed("devices bundle");
}

#define U32S(...) ((const uint32_t[]){ __VA_ARGS__ }), (int)(sizeof((const uint32_t[]){ __VA_ARGS__ }) / 4)
#define NONE NULL, 0

TEST(passthrough_accepted)
{
	if (!devices(U32S(0x1c000000, 0x1000, 0x1c002000, 0x2000), U32S(40, 41),
		     U32S(0x1c001000, 0x1000, 0x30000000, 0x10000000), U32S(42, 143)))
		return;
	CHECK_EQ_MSG(check(&virt), 0, why);
	CHECK_EQ(kc.vm[0].nr_mmio, 2);
	CHECK_EQ(kc.vm[0].mmio[1].base, 0x1c002000);
	CHECK_EQ(kc.vm[0].mmio[1].size, 0x2000);
	CHECK_EQ(kc.vm[1].nr_irqs, 2);
	CHECK_EQ(kc.vm[1].irqs[1], 143);
	/* Right next to the emulated devices (GIC at 0x08000000, channels up to 0x0cffffff). */
	if (devices(U32S(0x07fff000, 0x1000), NONE, U32S(0x0d000000, 0x1000), NONE))
		CHECK_EQ_MSG(check(&virt), 0, why);
	/*
	 * Between them, where no emulated device is (virt's virtio-mmio, after
	 * the test and exit-stats devices).
	 */
	if (devices(U32S(0x0a000000, 0x4000), NONE, U32S(0x0b002000, 0x1000), NONE))
		CHECK_EQ_MSG(check(&virt), 0, why);
}

TEST(passthrough_refusals)
{
	/* Claimed by two partitions (exact and partial). */
	if (devices(U32S(0x1c000000, 0x1000), NONE, U32S(0x1c000000, 0x1000), NONE))
		refused(check(&virt), "mmio twice",
			WANT("partition 'b'", "'passthrough-mmio'", "0x1c000000",
			     "already claimed by partition 'a'"));
	if (devices(U32S(0x1c000000, 0x4000), NONE, U32S(0x1c003000, 0x2000), NONE))
		refused(check(&virt), "mmio partial twice",
			WANT("partition 'b'", "'passthrough-mmio'", "0x1c003000",
			     "already claimed by partition 'a'"));
	/* Claimed twice within one partition. */
	if (devices(NONE, NONE, U32S(0x1c000000, 0x2000, 0x1c001000, 0x1000), NONE))
		refused(check(&virt), "mmio twice in one",
			WANT("partition 'b'", "'passthrough-mmio'", "0x1c001000",
			     "already claimed by partition 'b'"));
	/* RAM. */
	if (devices(U32S(0x1c000000, 0x1000, 0x50000000, 0x1000), NONE, NONE, NONE))
		refused(check(&virt), "mmio is RAM",
			WANT("partition 'a'", "'passthrough-mmio'", "0x50000000 is RAM"));
	if (devices(U32S(0x3ffff000, 0x2000), NONE, NONE, NONE))
		refused(check(&virt), "mmio runs into RAM",
			WANT("partition 'a'", "'passthrough-mmio'", "is RAM"));
	/* Keel's own devices. */
	if (devices(U32S(0x09000000, 0x1000), NONE, NONE, NONE))
		refused(check(&virt), "mmio console UART",
			WANT("partition 'a'", "'passthrough-mmio'", "0x9000000",
			     "Keel's console UART", "Keel keeps"));
	if (devices(U32S(0x08030000, 0x1000), NONE, NONE, NONE))
		refused(check(&virt), "mmio GICH",
			WANT("partition 'a'", "'passthrough-mmio'", "the GIC hypervisor interface"));
	{
		/* A Keel-owned device outside the emulated window. */
		struct board_limits l = virt;

		l.owned[7] = (struct cfg_region){ 0x1c090000, 0x1000 };
		if (devices(U32S(0x1c08f000, 0x2000), NONE, NONE, NONE))
			refused(check(&l), "mmio owned, outside the window",
				WANT("partition 'a'", "'passthrough-mmio'", "0x1c08f000",
				     "Keel's console UART", "Keel keeps"));
	}
	/*
	 * The partition's own emulated devices: the channel window, the test
	 * device, the exit-stats device.
	 */
	if (devices(U32S(0x0c000000, 0x1000), NONE, NONE, NONE))
		refused(check(&virt), "mmio channel window",
			WANT("partition 'a'", "'passthrough-mmio'", "0xc000000",
			     "collides with the partition's RAM or emulated devices"));
	if (devices(U32S(0x0cfff000, 0x1000), NONE, NONE, NONE))
		refused(check(&virt), "mmio last channel page",
			WANT("partition 'a'", "'passthrough-mmio'", "emulated devices"));
	if (devices(U32S(0x0b000000, 0x1000), NONE, NONE, NONE))
		refused(check(&virt), "mmio test device",
			WANT("partition 'a'", "'passthrough-mmio'", "emulated devices"));
	if (devices(U32S(0x0b001000, 0x1000), NONE, NONE, NONE))
		refused(check(&virt), "mmio exit-stats device",
			WANT("partition 'a'", "'passthrough-mmio'", "emulated devices"));
	{
		/* Its own RAM IPA, on a board with RAM elsewhere. */
		struct board_limits l = virt;

		l.ram[0] = (struct cfg_region){ 0x80000000, GiB(1) };
		l.owned[0] = (struct cfg_region){ 0x80000000, MiB(2) };
		l.owned[1] = (struct cfg_region){ 0x88000000, MiB(2) };
		l.owned[2] = (struct cfg_region){ 0x8c000000, MiB(1) };
		if (devices(U32S(0x43fff000, 0x1000), NONE, NONE, NONE))
			refused(check(&l), "mmio at the RAM IPA",
				WANT("partition 'a'", "'passthrough-mmio'", "0x43fff000",
				     "the partition's RAM"));
		/* Just past its 64 MiB: fine. */
		if (devices(U32S(0x44000000, 0x1000), NONE, NONE, NONE))
			CHECK_EQ_MSG(check(&l), 0, why);
	}

	/* Interrupts: twice across, twice within, Keel's. */
	if (devices(NONE, U32S(40, 50), NONE, U32S(60, 50)))
		refused(check(&virt), "irq twice",
			WANT("partition 'b'", "'passthrough-irqs'", "interrupt 50",
			     "already claimed by partition 'a'"));
	if (devices(NONE, U32S(40, 41, 40), NONE, NONE))
		refused(check(&virt), "irq twice in one",
			WANT("partition 'a'", "'passthrough-irqs'", "interrupt 40",
			     "already claimed by partition 'a'"));
	if (devices(NONE, NONE, NONE, U32S(40, 33)))
		refused(check(&virt), "irq of the emulated UART",
			WANT("partition 'b'", "'passthrough-irqs'", "interrupt 33", "emulated UART"));
}

/* The emulated UART's interrupt is not for passthrough, whatever the board's UART uses. */
TEST(passthrough_irq_of_emulated_uart)
{
	struct board_limits l = virt;

	l.owned_irqs[0] = 37;
	if (!devices(NONE, U32S(33), NONE, NONE))
		return;
	refused(check(&l), "irq 33 on a board whose UART is 37",
		WANT("partition 'a'", "'passthrough-irqs'", "interrupt 33"));
}

/* ---- config_check: vCPU placement --------------------------------------- */

struct pspec {
	const char *name;
	bool pinned;
	uint32_t cpus;
	int naff;              /* 0: no cpu-affinity */
	uint32_t aff[4];
};

static int placement(const struct pspec *p, unsigned n)
{
	begin();
	for (unsigned i = 0; i < n; i++) {
		node_begin(p[i].name);
		kernel();
		prop_u32("cpus", p[i].cpus);
		if (p[i].pinned)
			prop_str("sched-class", "pinned");
		if (p[i].naff)
			prop_cells("cpu-affinity", p[i].aff, p[i].naff);
		node_end();
	}
	node_end();
	finish();
	return parsed("placement bundle");
}

/* Time-sliced / pinned with n vCPUs, placed by config_check. */
#define TS(name, n)  { name, false, n, 0, { 0 } }
#define PIN(name, n) { name, true, n, 0, { 0 } }

#define PLACE(...) placement((const struct pspec[]){ __VA_ARGS__ }, \
	sizeof((const struct pspec[]){ __VA_ARGS__ }) / sizeof(struct pspec))

static void check_aff(unsigned v, const uint8_t *want, unsigned n, const char *label)
{
	CHECK_EQ_MSG(kc.vm[v].nr_vcpus, n, label);
	for (unsigned i = 0; i < n; i++) {
		if (kc.vm[v].affinity[i] != want[i])
			fprintf(stderr, "  [%s] partition %u vCPU %u on CPU %u, not %u\n", label,
				v, i, kc.vm[v].affinity[i], want[i]);
		CHECK_EQ_MSG(kc.vm[v].affinity[i], want[i], label);
	}
}

#define AFF(v, label, ...) check_aff(v, (const uint8_t[]){ __VA_ARGS__ }, \
	sizeof((const uint8_t[]){ __VA_ARGS__ }), label)

TEST(placement_defaults)
{
	struct board_limits l4 = board_with_cpus(4), l8 = board_with_cpus(8);

	/* Pinned get the lowest free CPUs in order; time-sliced spread over the rest. */
	if (PLACE(TS("ts2", 2), PIN("pin1", 1), PIN("pin2", 2), TS("ts1", 1))) {
		CHECK_EQ_MSG(check(&l4), 0, why);
		AFF(1, "pin1", 0);
		AFF(2, "pin2", 1, 2);
		AFF(0, "ts2", 3, 3);
		AFF(3, "ts1", 3);
	}
	/* No pinned: every partition starts one CPU further on. */
	if (PLACE(TS("a", 4), TS("b", 2), TS("c", 1), TS("d", 3))) {
		CHECK_EQ_MSG(check(&l4), 0, why);
		AFF(0, "a", 0, 1, 2, 3);
		AFF(1, "b", 1, 2);
		AFF(2, "c", 2);
		AFF(3, "d", 3, 0, 1);
	}
	/* One pinned: the time-sliced share the three left. */
	if (PLACE(TS("a", 2), PIN("p", 1), TS("b", 3))) {
		CHECK_EQ_MSG(check(&l4), 0, why);
		AFF(1, "p", 0);
		AFF(0, "a", 1, 2);
		AFF(2, "b", 2, 3, 1);
	}
	/* Two CPUs on the board. */
	{
		struct board_limits l2 = board_with_cpus(2);

		if (PLACE(TS("a", 3), PIN("p", 1))) {
			CHECK_EQ_MSG(check(&l2), 0, why);
			AFF(1, "p", 0);
			AFF(0, "a", 1, 1, 1);
		}
	}
	/* More CPUs than Keel supports count as CFG_MAX_CPUS. */
	if (PLACE(PIN("p", 4))) {
		CHECK_EQ_MSG(check(&l8), 0, why);
		AFF(0, "p", 0, 1, 2, 3);
	}
	/* All CPUs pinned and no time-sliced partition: fine. */
	if (PLACE(PIN("p", 2), PIN("q", 2))) {
		CHECK_EQ_MSG(check(&l4), 0, why);
		AFF(0, "p", 0, 1);
		AFF(1, "q", 2, 3);
	}
}

TEST(placement_explicit)
{
	struct board_limits l4 = board_with_cpus(4);

	/* Explicit pinned affinity is placed first; a later unplaced one takes what is left. */
	if (PLACE(PIN("auto", 2), { "fixed", true, 1, 1, { 0 } }, TS("ts", 1))) {
		CHECK_EQ_MSG(check(&l4), 0, why);
		CHECK_EQ(kc.vm[1].has_affinity, 1);
		CHECK_EQ(kc.vm[0].has_affinity, 0);
		AFF(1, "fixed", 0);
		AFF(0, "auto", 1, 2);
		AFF(2, "ts", 3);
	}
	/* Explicit affinities kept as given, time-sliced ones may share a CPU. */
	if (PLACE({ "p", true, 2, 2, { 3, 1 } }, { "t", false, 3, 3, { 0, 2, 0 } },
		  TS("u", 1))) {
		CHECK_EQ_MSG(check(&l4), 0, why);
		AFF(0, "p", 3, 1);
		AFF(1, "t", 0, 2, 0);
		AFF(2, "u", 2);      /* second time-sliced partition: starts at shared[1] */
	}
	/* Checking twice places the same way. */
	if (PLACE(TS("a", 2), PIN("p", 1))) {
		CHECK_EQ_MSG(check(&l4), 0, why);
		CHECK_EQ_MSG(check(&l4), 0, why);
		AFF(1, "p", 0);
		AFF(0, "a", 1, 2);
	}
}

TEST(placement_refusals)
{
	struct board_limits l2 = board_with_cpus(2), l4 = board_with_cpus(4);

	if (PLACE(PIN("p", 2), PIN("q", 1)))
		refused(check(&l2), "pinned > CPUs",
			WANT("pinned partitions have 3 vCPUs", "the board has 2 CPUs"));
	if (PLACE(PIN("p", 4), PIN("q", 1)))
		refused(check(&l4), "pinned 5 > 4",
			WANT("pinned partitions have 5 vCPUs", "4 CPUs"));
	if (PLACE({ "p", true, 2, 2, { 0, 1 } }, { "q", true, 1, 1, { 1 } }))
		refused(check(&l4), "two pinned on one CPU",
			WANT("partition 'q'", "'cpu-affinity'", "CPU 1 is pinned to partition 'p'"));
	if (PLACE({ "p", true, 2, 2, { 2, 2 } }))
		refused(check(&l4), "pinned twice on one CPU",
			WANT("partition 'p'", "'cpu-affinity'", "CPU 2 is pinned to partition 'p'"));
	if (PLACE({ "p", true, 1, 1, { 2 } }))
		refused(check(&l2), "pinned affinity >= nr_cpus",
			WANT("partition 'p'", "'cpu-affinity'", "names CPU 2", "the board has 2"));
	if (PLACE({ "t", false, 2, 2, { 0, 3 } }))
		refused(check(&l2), "time-sliced affinity >= nr_cpus",
			WANT("partition 't'", "'cpu-affinity'", "names CPU 3", "the board has 2"));
	if (PLACE(PIN("p", 1), { "t", false, 2, 2, { 1, 0 } }))
		refused(check(&l4), "time-sliced on a pinned CPU",
			WANT("partition 't'", "'cpu-affinity'", "CPU 0 is pinned to partition 'p'"));
	if (PLACE({ "t", false, 1, 1, { 3 } }, { "p", true, 1, 1, { 3 } }))
		refused(check(&l4), "time-sliced on a pinned CPU (pinned later)",
			WANT("partition 't'", "'cpu-affinity'", "CPU 3 is pinned to partition 'p'"));
	if (PLACE(PIN("p", 2), TS("t", 1)))
		refused(check(&l2), "no CPU left",
			WANT("partition 't'", "no CPU is left for time-sliced vCPUs"));
	if (PLACE(PIN("p", 3), PIN("q", 1), { "t", false, 1, 1, { 0 } }))
		refused(check(&l4), "no CPU left (with affinity)",
			WANT("partition 't'", "no CPU is left"));
}

/* ---- config_check: images fit --------------------------------------------- */

static int sized(uint32_t mib, uint32_t kernel_size, uint32_t initrd_size, uint32_t dtb_size)
{
	begin();
	node_begin("fit");
	prop_u32("memory-mib", mib);
	prop_image("kernel", big, kernel_size);
	if (initrd_size)
		prop_image("initrd", big, initrd_size);
	if (dtb_size)
		prop_image("dtb", big, dtb_size);
	node_end();
	node_end();
	finish();
	return parsed("sized bundle");
}

TEST(images_fit)
{
	for (unsigned i = 0; i < BIG_MAX; i++)
		big[i] = (uint8_t)(i * 7 + (i >> 8));
	big[0] = 0;    /* not an ELF, gzip or uImage magic */

	/* 1 MiB: the initrd goes at 512 KiB, the kernel at 64 KiB, so 448 KiB of kernel. */
	CHECK_EQ(config_initrd_offset(MiB(1)), 0x80000);
	CHECK_EQ(config_initrd_offset(MiB(512)), MiB(128));
	CHECK_EQ(config_dtb_offset(MiB(1), 0x1001), 0x82000);
	if (sized(1, 0x70000, 0, 0)) {
		CHECK_EQ_MSG(check(&virt), 0, why);
		CHECK_EQ(kc.vm[0].kernel.size, 0x70000);
	}
	if (sized(1, 0x70001, 0, 0))
		refused(check(&virt), "kernel one byte too big",
			WANT("partition 'fit'", "'kernel'", "458753 bytes", "0x80000",
			     "raise 'memory-mib'"));
	if (sized(1, BIG_MAX, 0, 0))
		refused(check(&virt), "kernel far too big", WANT("partition 'fit'", "'kernel'"));
	/* The initrd at 512 KiB, the DTB's 64 KiB page-aligned after it, within 1 MiB. */
	if (sized(1, 0x1000, 0x70000, 0))
		CHECK_EQ_MSG(check(&virt), 0, why);
	if (sized(1, 0x1000, 0x70001, 0))
		refused(check(&virt), "initrd + DTB one byte over",
			WANT("partition 'fit'", "'initrd'", "458753 bytes", "1 MiB",
			     "raise 'memory-mib'"));
	if (sized(2, 0x1000, 0x70001, 0))
		CHECK_EQ_MSG(check(&virt), 0, why);
	/* A DTB of at most 64 KiB. */
	if (sized(1, 0x1000, 0, CFG_DTB_MAX))
		CHECK_EQ_MSG(check(&virt), 0, why);
	if (sized(4, 0x1000, 0, CFG_DTB_MAX + 1))
		refused(check(&virt), "dtb too big",
			WANT("partition 'fit'", "'dtb'", "65537 bytes", "at most 65536"));
	/* The second partition is the one named. */
	begin();
	plain_part("ok");
	node_begin("tight");
	prop_u32("memory-mib", 1);
	prop_image("kernel", big, 0x1000);
	prop_image("initrd", big, BIG_MAX);
	node_end();
	node_end();
	finish();
	if (parsed("two"))
		refused(check(&virt), "second partition's initrd",
			WANT("partition 'tight'", "'initrd'"));
}
