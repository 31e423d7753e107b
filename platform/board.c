/* SPDX-License-Identifier: MIT */
/*
 * Learning the board from the DTB the boot loader passed in r2 (with libfdt):
 * RAM banks, CPUs, the GICv2 and its virtualization interfaces, the console
 * UART (from /chosen/stdout-path), the timer interrupts, the PSCI conduit,
 * and the boot bundle (/chosen linux,initrd-*). Nothing is hard-wired to
 * QEMU's virt board except the early-console fallback.
 */
#include <libfdt.h>
#include <string.h>
#include <keel/board.h>
#include <keel/errno.h>

#define FALLBACK_UART 0x09000000u   /* QEMU virt: only used to report a missing DTB */

struct board the_board = { .psci_smc = true };

static uint64_t read_cells(const fdt32_t *p, int n)
{
	uint64_t v = 0;

	while (n--)
		v = (v << 32) | fdt32_to_cpu(*p++);
	return v;
}

/* The node's first reg entry, interpreted with its parent's cell sizes. */
static int node_reg(const void *dtb, int node, int index, paddr_t *base, uint64_t *size)
{
	int parent = fdt_parent_offset(dtb, node);
	int ac = fdt_address_cells(dtb, parent), sc = fdt_size_cells(dtb, parent);
	int len;
	const fdt32_t *reg = fdt_getprop(dtb, node, "reg", &len);

	if (!reg || ac < 1 || ac > 2 || sc < 0 || sc > 2 ||
	    len < (index + 1) * (ac + sc) * 4)
		return -KEEL_ENOENT;
	reg += index * (ac + sc);
	*base = read_cells(reg, ac);
	if (size)
		*size = read_cells(reg + ac, sc);
	return 0;
}

static int stdout_node(const void *dtb)
{
	int chosen = fdt_path_offset(dtb, "/chosen");
	const char *path = chosen >= 0 ? fdt_getprop(dtb, chosen, "stdout-path", NULL) : NULL;
	int node;

	if (path) {
		const char *colon = strchr(path, ':');
		int len = colon ? colon - path : (int)strlen(path);

		if (path[0] == '/') {
			node = fdt_path_offset_namelen(dtb, path, len);
		} else {
			const char *alias = fdt_get_alias_namelen(dtb, path, len);

			node = alias ? fdt_path_offset(dtb, alias) : -1;
		}
		if (node >= 0)
			return node;
	}
	return fdt_node_offset_by_compatible(dtb, -1, "arm,pl011");
}

paddr_t board_early_uart(const void *dtb)
{
	paddr_t base;
	int node;

	if (!dtb || fdt_check_header(dtb))
		return FALLBACK_UART;
	node = stdout_node(dtb);
	if (node < 0 || node_reg(dtb, node, 0, &base, NULL))
		return FALLBACK_UART;
	/* The PSCI conduit too, so that even an early failure can power off. */
	node = fdt_path_offset(dtb, "/psci");
	if (node >= 0) {
		const char *m = fdt_getprop(dtb, node, "method", NULL);

		the_board.psci_smc = !m || strcmp(m, "hvc") != 0;
	}
	return base;
}

/* A node is usable unless its status says otherwise (e.g. secure-only RAM). */
static bool node_enabled(const void *dtb, int node)
{
	const char *st = fdt_getprop(dtb, node, "status", NULL);

	return !st || !strcmp(st, "okay") || !strcmp(st, "ok");
}

static int probe_memory(struct board *b, const void *dtb)
{
	int node;

	b->nr_ram = 0;
	fdt_for_each_subnode(node, dtb, 0) {
		const char *type = fdt_getprop(dtb, node, "device_type", NULL);

		if (!type || strcmp(type, "memory") || !node_enabled(dtb, node))
			continue;
		for (int i = 0; b->nr_ram < BOARD_MAX_RAM; i++) {
			struct mem_range *r = &b->ram[b->nr_ram];

			if (node_reg(dtb, node, i, &r->base, &r->size))
				break;
			if (r->size)
				b->nr_ram++;
		}
	}
	return b->nr_ram ? 0 : -KEEL_ENOENT;
}

static int probe_cpus(struct board *b, const void *dtb)
{
	int cpus = fdt_path_offset(dtb, "/cpus"), node;

	b->nr_cpus = 0;
	if (cpus < 0)
		return -KEEL_ENOENT;
	fdt_for_each_subnode(node, dtb, cpus) {
		const char *type = fdt_getprop(dtb, node, "device_type", NULL);
		paddr_t mpidr;

		if (!type || strcmp(type, "cpu") || !node_enabled(dtb, node) ||
		    node_reg(dtb, node, 0, &mpidr, NULL))
			continue;
		if (b->nr_cpus < BOARD_MAX_CPUS)
			b->cpu_mpidr[b->nr_cpus++] = (uint32_t)mpidr;
	}
	return b->nr_cpus ? 0 : -KEEL_ENOENT;
}

static int probe_gic(struct board *b, const void *dtb)
{
	static const char *const compat[] = { "arm,cortex-a15-gic", "arm,gic-400", "arm,cortex-a7-gic" };
	int node = -1;
	const fdt32_t *irq;
	int len;

	for (unsigned i = 0; i < ARRAY_SIZE(compat) && node < 0; i++)
		node = fdt_node_offset_by_compatible(dtb, -1, compat[i]);
	if (node < 0 || node_reg(dtb, node, 0, &b->gicd, NULL) ||
	    node_reg(dtb, node, 1, &b->gicc, NULL))
		return -KEEL_ENOENT;
	/* The virtualization interfaces are entries 2 and 3, when present. */
	if (node_reg(dtb, node, 2, &b->gich, NULL) || node_reg(dtb, node, 3, &b->gicv, NULL))
		b->gich = b->gicv = 0;
	irq = fdt_getprop(dtb, node, "interrupts", &len);
	b->gic_maint_ppi = irq && len >= 12 ? fdt32_to_cpu(irq[1]) + 16 : 25;
	return 0;
}

static void probe_timer(struct board *b, const void *dtb)
{
	int node = fdt_node_offset_by_compatible(dtb, -1, "arm,armv7-timer");
	const fdt32_t *irq;
	int len;

	/* interrupts: secure phys, non-secure phys, virtual, hyp; 3 cells each */
	b->timer_virt_ppi = 27;
	b->timer_hyp_ppi = 26;
	irq = node >= 0 ? fdt_getprop(dtb, node, "interrupts", &len) : NULL;
	if (irq && len >= 48) {
		b->timer_virt_ppi = fdt32_to_cpu(irq[7]) + 16;
		b->timer_hyp_ppi = fdt32_to_cpu(irq[10]) + 16;
	}
}

static void probe_chosen(struct board *b, const void *dtb)
{
	int node = fdt_path_offset(dtb, "/chosen");
	const fdt32_t *p;
	int len;

	if (node < 0)
		return;
	p = fdt_getprop(dtb, node, "linux,initrd-start", &len);
	if (p && (len == 4 || len == 8))
		b->initrd_start = read_cells(p, len / 4);
	p = fdt_getprop(dtb, node, "linux,initrd-end", &len);
	if (p && (len == 4 || len == 8))
		b->initrd_end = read_cells(p, len / 4);
	b->bootargs = fdt_getprop(dtb, node, "bootargs", NULL);
}

int board_probe(struct board *b, const void *dtb, const char **why)
{
	int node;

	b->dtb = dtb;
	if (probe_memory(b, dtb)) {
		*why = "the device tree describes no memory";
		return -KEEL_ENOENT;
	}
	if (probe_cpus(b, dtb)) {
		*why = "the device tree describes no CPUs";
		return -KEEL_ENOENT;
	}
	if (probe_gic(b, dtb)) {
		*why = "the device tree has no GICv2 interrupt controller";
		return -KEEL_ENOENT;
	}
	node = stdout_node(dtb);
	if (node < 0 || node_reg(dtb, node, 0, &b->uart_base, NULL)) {
		*why = "the device tree names no console UART";
		return -KEEL_ENOENT;
	}
	{
		int len;
		const fdt32_t *irq = fdt_getprop(dtb, node, "interrupts", &len);

		/* <type number flags>, SPIs only (type 0) */
		b->uart_irq = irq && len >= 12 && fdt32_to_cpu(irq[0]) == 0 ?
			      fdt32_to_cpu(irq[1]) + 32 : 0;
	}
	probe_timer(b, dtb);
	probe_chosen(b, dtb);
	board_early_uart(dtb);   /* PSCI conduit */
	return 0;
}
