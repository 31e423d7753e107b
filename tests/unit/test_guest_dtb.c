/* SPDX-License-Identifier: MIT */
/*
 * The partition device tree (core/guest_dtb.c): built into a buffer, then
 * read back with host libfdt and checked node by node against what QEMU's
 * virt board and the Linux bindings expect.
 */
#include "unit.h"
#include <libfdt.h>
#include <keel/guest_dtb.h>
#include <keel/statdev.h>
#include <keel/testdev.h>

#define BUF_SIZE 0x10000

static _Alignas(8) char buf[BUF_SIZE];

static struct guest_dtb_params params(void)
{
	return (struct guest_dtb_params){
		.name = "guest", .nr_vcpus = 1, .ram_ipa = 0x40000000, .ram_size = MiB(64),
	};
}

static int build(const struct guest_dtb_params *p)
{
	memset(buf, 0xa5, sizeof(buf));
	return guest_dtb_build(buf, sizeof(buf), p);
}

static uint32_t u32_prop(int node, const char *name)
{
	int len;
	const fdt32_t *v = fdt_getprop(buf, node, name, &len);

	CHECK_EQ_MSG(v != NULL && len == 4, 1, name);
	return v && len == 4 ? fdt32_to_cpu(*v) : 0xdeadbeefu;
}

/* Big-endian 64-bit cell pair at p (property data is only 4-byte aligned). */
static uint64_t be64_at(const void *p)
{
	fdt64_t v;

	memcpy(&v, p, sizeof(v));
	return fdt64_to_cpu(v);
}

static uint64_t u64_prop(int node, const char *name)
{
	int len;
	const char *v = fdt_getprop(buf, node, name, &len);

	CHECK_EQ_MSG(v != NULL && len == 8, 1, name);
	return v && len == 8 ? be64_at(v) : 0xdeadbeefdeadbeefull;
}

/* The property is exactly the NUL-terminated string s. */
static void check_string(int node, const char *name, const char *s)
{
	int len;
	const char *v = fdt_getprop(buf, node, name, &len);

	if (!v || len != (int)strlen(s) + 1 || memcmp(v, s, len)) {
		fprintf(stderr, "  property %s: got \"%.*s\" (%d), want \"%s\"\n", name,
			v ? len : 0, v ? v : "", len, s);
		CHECK_EQ_MSG(0, 1, name);
	}
}

/* The property is exactly this string list (len includes every NUL). */
static void check_list(int node, const char *name, const char *list, int list_len)
{
	int len;
	const char *v = fdt_getprop(buf, node, name, &len);

	CHECK_EQ_MSG(v != NULL && len == list_len && !memcmp(v, list, list_len), 1, name);
}

static void check_reg(int node, uint64_t base, uint64_t size, const char *label)
{
	int len;
	const char *v = fdt_getprop(buf, node, "reg", &len);

	CHECK_EQ_MSG(v != NULL && len == 16, 1, label);
	if (v && len == 16) {
		CHECK_EQ_MSG(be64_at(v), base, label);
		CHECK_EQ_MSG(be64_at(v + 8), size, label);
	}
}

static int node(const char *path)
{
	int n = fdt_path_offset(buf, path);

	if (n < 0)
		fprintf(stderr, "  no node %s (%s)\n", path, fdt_strerror(n));
	CHECK_EQ_MSG(n >= 0, 1, path);
	return n;
}

TEST(header_and_root)
{
	struct guest_dtb_params p = params();
	int root;

	CHECK_EQ(build(&p), 0);
	CHECK_EQ(fdt_check_header(buf), 0);
	CHECK(fdt_totalsize(buf) <= BUF_SIZE);
	CHECK_EQ(fdt_num_mem_rsv(buf), 0);
	root = node("/");
	CHECK_EQ(u32_prop(root, "#address-cells"), 2);
	CHECK_EQ(u32_prop(root, "#size-cells"), 2);
	CHECK_EQ(fdt_node_check_compatible(buf, root, "linux,dummy-virt"), 0);
	/* Every node is reachable and well formed. */
	{
		int n, count = 0;

		for (n = fdt_next_node(buf, -1, NULL); n >= 0; n = fdt_next_node(buf, n, NULL))
			count++;
		CHECK_EQ(n, -FDT_ERR_NOTFOUND);
		CHECK(count >= 8);
	}
}

TEST(memory_node)
{
	static const uint64_t sizes[] = { MiB(1), MiB(64), MiB(128), GiB(3), GiB(6) + MiB(2) };

	for (unsigned i = 0; i < ARRAY_SIZE(sizes); i++) {
		struct guest_dtb_params p = params();
		int mem;

		p.ram_size = sizes[i];
		CHECK_EQ(build(&p), 0);
		mem = node("/memory@40000000");
		if (mem < 0)
			continue;
		check_string(mem, "device_type", "memory");
		/* reg = <0 0x40000000 hi(size) lo(size)> as four cells. */
		{
			int len;
			const fdt32_t *c = fdt_getprop(buf, mem, "reg", &len);

			CHECK_EQ(len, 16);
			if (c && len == 16) {
				CHECK_EQ(fdt32_to_cpu(c[0]), 0);
				CHECK_EQ(fdt32_to_cpu(c[1]), 0x40000000);
				CHECK_EQ(fdt32_to_cpu(c[2]), sizes[i] >> 32);
				CHECK_EQ(fdt32_to_cpu(c[3]), (uint32_t)sizes[i]);
			}
		}
	}
	/* The node name follows the base address. */
	{
		struct guest_dtb_params p = params();

		p.ram_ipa = 0x80000000;
		CHECK_EQ(build(&p), 0);
		check_reg(node("/memory@80000000"), 0x80000000, MiB(64), "memory@80000000");
		CHECK(fdt_path_offset(buf, "/memory@40000000") < 0);
	}
}

TEST(cpus)
{
	for (unsigned n = 1; n <= 4; n++) {
		struct guest_dtb_params p = params();
		int cpus, sub, seen = 0;
		char path[32];

		p.nr_vcpus = n;
		CHECK_EQ(build(&p), 0);
		cpus = node("/cpus");
		if (cpus < 0)
			continue;
		CHECK_EQ(u32_prop(cpus, "#address-cells"), 1);
		CHECK_EQ(u32_prop(cpus, "#size-cells"), 0);
		for (unsigned i = 0; i < n; i++) {
			int c;

			snprintf(path, sizeof(path), "/cpus/cpu@%u", i);
			c = node(path);
			if (c < 0)
				continue;
			CHECK_EQ_MSG(u32_prop(c, "reg"), i, path);
			check_string(c, "device_type", "cpu");
			check_string(c, "enable-method", "psci");
			CHECK_EQ_MSG(fdt_node_check_compatible(buf, c, "arm,cortex-a15"), 0, path);
		}
		fdt_for_each_subnode(sub, buf, cpus)
			seen++;
		CHECK_EQ_MSG(seen, n, "number of cpu nodes");
		snprintf(path, sizeof(path), "/cpus/cpu@%u", n);
		CHECK(fdt_path_offset(buf, path) < 0);
	}
}

/* The CPU nodes name the board's core (a Cortex-A7 board gives a Cortex-A7 guest). */
TEST(cpu_compatible_from_params)
{
	struct guest_dtb_params p = params();
	int c;

	p.cpu_compatible = "arm,cortex-a7";
	CHECK_EQ(build(&p), 0);
	c = fdt_path_offset(buf, "/cpus/cpu@0");
	CHECK(c >= 0);
	CHECK_EQ(fdt_node_check_compatible(buf, c, "arm,cortex-a7"), 0);
	CHECK(fdt_node_check_compatible(buf, c, "arm,cortex-a15") != 0);
}

TEST(psci)
{
	struct guest_dtb_params p = params();
	int psci;

	CHECK_EQ(build(&p), 0);
	psci = node("/psci");
	check_string(psci, "method", "hvc");
	CHECK_EQ(fdt_node_check_compatible(buf, psci, "arm,psci-1.0"), 0);
	CHECK_EQ(fdt_node_check_compatible(buf, psci, "arm,psci-0.2"), 0);
	CHECK_EQ(fdt_node_check_compatible(buf, psci, "arm,psci"), 0);
	/* PSCI 0.2+ ids are fixed: no cpu_on/cpu_off properties needed. */
	CHECK(fdt_getprop(buf, psci, "cpu_on", NULL) == NULL);
}

TEST(uart_and_clock)
{
	static const char compat[] = "arm,pl011\0arm,primecell";
	struct guest_dtb_params p = params();
	int uart, clk, len;
	const fdt32_t *clocks;
	uint32_t ph;

	CHECK_EQ(build(&p), 0);
	uart = node("/pl011@9000000");
	if (uart < 0)
		return;
	check_list(uart, "compatible", compat, sizeof(compat));
	check_reg(uart, 0x09000000, 0x1000, "pl011 reg");
	check_list(uart, "clock-names", "uartclk\0apb_pclk", sizeof("uartclk\0apb_pclk"));
	clocks = fdt_getprop(buf, uart, "clocks", &len);
	CHECK(clocks && len == 8);
	if (!clocks || len != 8)
		return;
	/* Both clocks are the fixed clock, found by its phandle. */
	ph = fdt32_to_cpu(clocks[0]);
	CHECK_EQ(fdt32_to_cpu(clocks[1]), ph);
	CHECK(ph != 0 && ph != 0xffffffffu);
	clk = fdt_node_offset_by_phandle(buf, ph);
	CHECK(clk >= 0);
	if (clk < 0)
		return;
	CHECK_EQ(fdt_get_phandle(buf, clk), ph);
	CHECK_EQ(fdt_node_check_compatible(buf, clk, "fixed-clock"), 0);
	CHECK_EQ(u32_prop(clk, "#clock-cells"), 0);
	CHECK(u32_prop(clk, "clock-frequency") > 0);
	/* The phandle is unique. */
	{
		int n, owners = 0;

		for (n = fdt_next_node(buf, -1, NULL); n >= 0; n = fdt_next_node(buf, n, NULL))
			if (fdt_get_phandle(buf, n) == ph)
				owners++;
		CHECK_EQ(owners, 1);
	}
}

TEST(chosen_bootargs_and_stdout)
{
	struct guest_dtb_params p = params();
	int chosen, uart;
	const char *path;

	/* Without bootargs. */
	CHECK_EQ(build(&p), 0);
	chosen = node("/chosen");
	check_string(chosen, "stdout-path", "/pl011@9000000");
	CHECK(fdt_getprop(buf, chosen, "bootargs", NULL) == NULL);
	/* stdout-path leads to the UART node. */
	path = fdt_getprop(buf, chosen, "stdout-path", NULL);
	uart = path ? fdt_path_offset(buf, path) : -1;
	CHECK(uart >= 0 && uart == fdt_path_offset(buf, "/pl011@9000000"));

	/* With bootargs, including an empty string. */
	static const char *const args[] = { "console=ttyAMA0 earlycon root=/dev/ram", "" };

	for (unsigned i = 0; i < ARRAY_SIZE(args); i++) {
		p.bootargs = args[i];
		CHECK_EQ(build(&p), 0);
		chosen = node("/chosen");
		check_string(chosen, "bootargs", args[i]);
		check_string(chosen, "stdout-path", "/pl011@9000000");
	}
}

TEST(chosen_restart_count)
{
	struct guest_dtb_params p = params();
	static const uint32_t counts[] = { 0, 1, 7, 0xffffffffu };

	for (unsigned i = 0; i < ARRAY_SIZE(counts); i++) {
		const fdt32_t *v;
		int len = 0;

		p.restarts = counts[i];
		CHECK_EQ(build(&p), 0);
		v = fdt_getprop(buf, node("/chosen"), "keel,restart-count", &len);
		CHECK_EQ(len, 4);
		CHECK(v && fdt32_to_cpu(*v) == counts[i]);
	}
}

/* The GIC, the timer and the UART's interrupt, as QEMU's virt describes them. */
TEST(interrupts)
{
	struct guest_dtb_params p = params();
	const fdt32_t *v;
	int gic, len = 0;

	p.nr_vcpus = 2;
	CHECK_EQ(build(&p), 0);
	gic = node("/intc@8000000");
	CHECK(fdt_getprop(buf, gic, "interrupt-controller", NULL) != NULL);
	check_string(gic, "compatible", "arm,cortex-a15-gic");
	v = fdt_getprop(buf, 0, "interrupt-parent", &len);
	CHECK(v && len == 4 && fdt32_to_cpu(*v) == fdt_get_phandle(buf, gic));
	v = fdt_getprop(buf, node("/timer"), "interrupts", &len);
	CHECK_EQ(len, 12 * 4);
	/* virtual timer: PPI 11, on both CPUs, level-high */
	CHECK(v && fdt32_to_cpu(v[6]) == 1 && fdt32_to_cpu(v[7]) == 11 &&
	      fdt32_to_cpu(v[8]) == ((3u << 8) | 4));
	v = fdt_getprop(buf, node("/pl011@9000000"), "interrupts", &len);
	CHECK(v && len == 12 && fdt32_to_cpu(v[0]) == 0 && fdt32_to_cpu(v[1]) == 1);
}

TEST(chosen_initrd)
{
	struct guest_dtb_params p = params();
	int chosen;

	CHECK_EQ(build(&p), 0);
	chosen = node("/chosen");
	CHECK(fdt_getprop(buf, chosen, "linux,initrd-start", NULL) == NULL);
	CHECK(fdt_getprop(buf, chosen, "linux,initrd-end", NULL) == NULL);

	p.initrd_ipa = 0x42000000;
	p.initrd_size = 0x123456;
	CHECK_EQ(build(&p), 0);
	chosen = node("/chosen");
	CHECK_EQ(u64_prop(chosen, "linux,initrd-start"), 0x42000000);
	CHECK_EQ(u64_prop(chosen, "linux,initrd-end"), 0x42000000 + 0x123456);
}

/*
 * An emulated device of Keel's own: no node in the plain params, and in
 * asked (the same with the device's flag set) /NAME@BASE with "keel,NAME"
 * and its reg.
 */
static void keel_device_iff_asked(struct guest_dtb_params *asked, const char *name,
				  uint32_t base, uint32_t size)
{
	struct guest_dtb_params p = params();
	char path[40], compat[40];
	int td;

	snprintf(path, sizeof(path), "/%s@%x", name, base);
	snprintf(compat, sizeof(compat), "keel,%s", name);
	CHECK_EQ(build(&p), 0);
	CHECK(fdt_path_offset(buf, path) < 0);
	CHECK_EQ(fdt_node_offset_by_compatible(buf, -1, compat), -FDT_ERR_NOTFOUND);

	CHECK_EQ(build(asked), 0);
	td = node(path);
	if (td < 0)
		return;
	CHECK_EQ(fdt_node_check_compatible(buf, td, compat), 0);
	check_reg(td, base, size, path);
	CHECK_EQ(fdt_node_offset_by_compatible(buf, -1, compat), td);
}

TEST(test_device_iff_asked)
{
	struct guest_dtb_params p = params();

	p.testdev = true;
	keel_device_iff_asked(&p, "test-device", TESTDEV_BASE, TESTDEV_SIZE);
}

TEST(exit_stats_device_iff_asked)
{
	struct guest_dtb_params p = params();

	p.exit_stats = true;
	keel_device_iff_asked(&p, "exit-stats", STATDEV_BASE, STATDEV_SIZE);
}

TEST(everything_at_once)
{
	struct guest_dtb_params p = {
		.name = "all", .nr_vcpus = 4, .ram_ipa = 0x40000000, .ram_size = GiB(1),
		.bootargs = "a=b", .initrd_ipa = 0x48000000, .initrd_size = MiB(16), .testdev = true,
		.exit_stats = true,
	};

	CHECK_EQ(build(&p), 0);
	CHECK_EQ(fdt_check_header(buf), 0);
	CHECK(fdt_path_offset(buf, "/cpus/cpu@3") >= 0);
	CHECK(fdt_path_offset(buf, "/test-device@b000000") >= 0);
	CHECK(fdt_path_offset(buf, "/exit-stats@b001000") >= 0);
	CHECK_EQ(u64_prop(node("/chosen"), "linux,initrd-end"), 0x49000000);
	check_reg(node("/memory@40000000"), 0x40000000, GiB(1), "memory");
}

TEST(too_small_buffer)
{
	struct guest_dtb_params p = {
		.name = "all", .nr_vcpus = 4, .ram_ipa = 0x40000000, .ram_size = GiB(1),
		.bootargs = "console=ttyAMA0", .initrd_ipa = 0x48000000, .initrd_size = MiB(16),
		.testdev = true,
	};
	uint32_t need;

	CHECK_EQ(build(&p), 0);
	need = fdt_totalsize(buf);
	/* Every smaller size fails with a libfdt error, in a heap buffer of
	 * exactly that size so that ASan catches any write past it. */
	for (size_t size = 0; size < need; size += (size < 256 ? 1 : 7)) {
		char *small = malloc(size ? size : 1);
		int err;

		CHECK(small != NULL);
		if (!small)
			return;
		err = guest_dtb_build(small, size, &p);
		CHECK_EQ_MSG(err < 0, 1, "too small");
		free(small);
	}
	/* The exact size is enough. */
	{
		char *exact = malloc(need);

		CHECK(exact != NULL);
		if (exact) {
			CHECK_EQ(guest_dtb_build(exact, need, &p), 0);
			CHECK_EQ(fdt_check_header(exact), 0);
			free(exact);
		}
	}
}
