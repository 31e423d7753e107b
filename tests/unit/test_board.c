/* SPDX-License-Identifier: MIT */
/*
 * Learning the board from its DTB (platform/board.c): boards built here with
 * libfdt's sequential writer, laid out the way real ones are (devices under
 * a /soc bus with its own cell sizes, the console named by a path or by an
 * alias), and checked field by field; broken ones give the one-line reason.
 */
#include "unit.h"
#include <libfdt.h>
#include <keel/board.h>

#define DTB_SIZE 0x4000

static _Alignas(8) char dtb[DTB_SIZE];

struct shape {
	bool no_memory, no_gic, gic_400, stdout_alias, psci_smc;
};

static void prop_cells(const char *name, const uint32_t *v, unsigned n)
{
	fdt32_t be[16];

	for (unsigned i = 0; i < n; i++)
		be[i] = cpu_to_fdt32(v[i]);
	CHECK_EQ(fdt_property(dtb, name, be, n * 4), 0);
}

#define CELLS(name, ...) do {                                            \
	const uint32_t v_[] = { __VA_ARGS__ };                            \
	prop_cells(name, v_, sizeof(v_) / 4);                             \
} while (0)

static void build(const struct shape *s)
{
	CHECK_EQ(fdt_create(dtb, sizeof(dtb)), 0);
	CHECK_EQ(fdt_finish_reservemap(dtb), 0);
	fdt_begin_node(dtb, "");
	CELLS("#address-cells", 2);
	CELLS("#size-cells", 2);
	fdt_property_string(dtb, "compatible", "linux,dummy-virt");

	fdt_begin_node(dtb, "psci");
	fdt_property_string(dtb, "method", s->psci_smc ? "smc" : "hvc");
	fdt_end_node(dtb);

	fdt_begin_node(dtb, "aliases");
	fdt_property_string(dtb, "serial0", "/soc/uart@9000000");
	fdt_end_node(dtb);

	if (!s->no_memory) {
		fdt_begin_node(dtb, "memory@40000000");
		fdt_property_string(dtb, "device_type", "memory");
		CELLS("reg", 0, 0x40000000, 0, 0x20000000, 1, 0, 0, 0x10000000);
		fdt_end_node(dtb);
		fdt_begin_node(dtb, "memory@c0000000");   /* secure-only: not Keel's */
		fdt_property_string(dtb, "device_type", "memory");
		fdt_property_string(dtb, "status", "disabled");
		CELLS("reg", 0, 0xc0000000, 0, 0x1000000);
		fdt_end_node(dtb);
	}

	fdt_begin_node(dtb, "cpus");
	CELLS("#address-cells", 1);
	CELLS("#size-cells", 0);
	for (unsigned i = 0; i < 3; i++) {
		char name[16];

		snprintf(name, sizeof(name), "cpu@%u", 0x100 * i);
		fdt_begin_node(dtb, name);
		fdt_property_string(dtb, "device_type", "cpu");
		fdt_property_string(dtb, "compatible", "arm,cortex-a15");
		if (i == 1)
			fdt_property_string(dtb, "status", "disabled");
		CELLS("reg", 0x100 * i);
		fdt_end_node(dtb);
	}
	fdt_end_node(dtb);

	fdt_begin_node(dtb, "timer");
	fdt_property_string(dtb, "compatible", "arm,armv7-timer");
	CELLS("interrupts", 1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4);
	fdt_end_node(dtb);

	fdt_begin_node(dtb, "soc");
	CELLS("#address-cells", 1);
	CELLS("#size-cells", 1);
	if (!s->no_gic) {
		fdt_begin_node(dtb, "interrupt-controller@8000000");
		fdt_property(dtb, "compatible", s->gic_400 ? "arm,gic-400" : "arm,cortex-a15-gic",
			     s->gic_400 ? sizeof("arm,gic-400") : sizeof("arm,cortex-a15-gic"));
		CELLS("reg", 0x8000000, 0x10000, 0x8010000, 0x10000,
		      0x8030000, 0x10000, 0x8040000, 0x10000);
		CELLS("interrupts", 1, 9, 4);
		fdt_end_node(dtb);
	}
	fdt_begin_node(dtb, "uart@9000000");
	fdt_property(dtb, "compatible", "arm,pl011\0arm,primecell", sizeof("arm,pl011\0arm,primecell"));
	CELLS("reg", 0x9000000, 0x1000);
	CELLS("interrupts", 0, 1, 4);
	fdt_end_node(dtb);
	fdt_end_node(dtb);

	fdt_begin_node(dtb, "chosen");
	fdt_property_string(dtb, "stdout-path", s->stdout_alias ? "serial0:115200n8"
								: "/soc/uart@9000000");
	CELLS("linux,initrd-start", 0x48000000);
	CELLS("linux,initrd-end", 0, 0x48100000);
	fdt_property_string(dtb, "bootargs", "keel.colour=off");
	fdt_end_node(dtb);

	fdt_end_node(dtb);
	CHECK_EQ(fdt_finish(dtb), 0);
}

static int probe(const struct shape *s, struct board *b, const char **why)
{
	build(s);
	memset(b, 0, sizeof(*b));
	*why = NULL;
	return board_probe(b, dtb, why);
}

TEST(everything_read_from_a_board_with_a_soc_bus)
{
	struct board b;
	const char *why;

	CHECK_EQ(probe(&(struct shape){ 0 }, &b, &why), 0);
	CHECK_EQ(b.nr_ram, 2);   /* two entries of one node; the disabled node is left out */
	CHECK_EQ(b.ram[0].base, 0x40000000);
	CHECK_EQ(b.ram[0].size, 0x20000000);
	CHECK_EQ(b.ram[1].base, 0x100000000ull);
	CHECK_EQ(b.ram[1].size, 0x10000000);
	CHECK_EQ(b.nr_cpus, 2);  /* cpu@100 is disabled */
	CHECK_EQ(b.cpu_mpidr[0], 0);
	CHECK_EQ(b.cpu_mpidr[1], 0x200);
	/* One-cell addresses under /soc: read with the bus's cells, not the root's. */
	CHECK_EQ(b.gicd, 0x8000000);
	CHECK_EQ(b.gicc, 0x8010000);
	CHECK_EQ(b.gich, 0x8030000);
	CHECK_EQ(b.gicv, 0x8040000);
	CHECK_EQ(b.gic_maint_ppi, 25);
	CHECK_EQ(b.uart_base, 0x9000000);
	CHECK_EQ(b.uart_irq, 33);
	CHECK_EQ(b.timer_virt_ppi, 27);
	CHECK_EQ(b.timer_hyp_ppi, 26);
	CHECK_EQ(b.psci_smc, false);
	CHECK_EQ(b.initrd_start, 0x48000000);
	CHECK_EQ(b.initrd_end, 0x48100000);
	CHECK(b.bootargs && !strcmp(b.bootargs, "keel.colour=off"));
	CHECK(b.dtb == dtb);
}

TEST(console_by_alias_and_other_gic_and_psci_smc)
{
	struct board b;
	const char *why;

	CHECK_EQ(probe(&(struct shape){ .stdout_alias = true, .gic_400 = true, .psci_smc = true },
		       &b, &why), 0);
	CHECK_EQ(b.uart_base, 0x9000000);
	CHECK_EQ(b.gicd, 0x8000000);
	CHECK_EQ(b.gicv, 0x8040000);
	CHECK_EQ(b.psci_smc, true);
}

TEST(early_uart_before_the_probe)
{
	build(&(struct shape){ .stdout_alias = true });
	CHECK_EQ(board_early_uart(dtb), 0x9000000);
	/* No device tree: the fallback, so that the failure can still be told. */
	CHECK_EQ(board_early_uart(NULL), 0x09000000);
	memset(dtb, 0, 64);
	CHECK_EQ(board_early_uart(dtb), 0x09000000);
}

TEST(missing_parts_say_what_is_missing)
{
	struct board b;
	const char *why;

	CHECK(probe(&(struct shape){ .no_memory = true }, &b, &why) < 0);
	CHECK(why && strstr(why, "no memory"));
	CHECK(probe(&(struct shape){ .no_gic = true }, &b, &why) < 0);
	CHECK(why && strstr(why, "GICv2"));
}
