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

/* Entry `index` of a node's reg, read with its parent's cell sizes. */
static int node_reg_in(const void *dtb, int parent, int node, int index, paddr_t *base,
		       uint64_t *size)
{
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

/*
 * The console: /chosen/stdout-path (a path or an alias, options after ':'),
 * else the first arm,pl011. Its parent, whose cell sizes its reg needs, is
 * the path without its last component: no walk from the root to find it.
 */
static int stdout_node(const void *dtb, int chosen, int *parent)
{
	const char *path = chosen >= 0 ? fdt_getprop(dtb, chosen, "stdout-path", NULL) : NULL;
	int node;

	if (path) {
		const char *colon = strchr(path, ':');
		int len = colon ? colon - path : (int)strlen(path);

		if (path[0] != '/') {
			path = fdt_get_alias_namelen(dtb, path, len);
			len = path ? (int)strlen(path) : 0;
		}
		if (path && path[0] == '/' && (node = fdt_path_offset_namelen(dtb, path, len)) >= 0) {
			int slash = len;

			while (slash > 0 && path[slash - 1] != '/')
				slash--;
			*parent = slash <= 1 ? 0 : fdt_path_offset_namelen(dtb, path, slash - 1);
			return node;
		}
	}
	node = fdt_node_offset_by_compatible(dtb, -1, "arm,pl011");
	*parent = node >= 0 ? fdt_parent_offset(dtb, node) : -1;
	return node;
}

static void probe_psci(struct board *b, const void *dtb, int node)
{
	const char *m = node >= 0 ? fdt_getprop(dtb, node, "method", NULL) : NULL;

	b->psci_smc = !m || strcmp(m, "hvc") != 0;
}

paddr_t board_early_uart(const void *dtb)
{
	paddr_t base;
	int node, parent;

	if (!dtb || fdt_check_header(dtb))
		return FALLBACK_UART;
	node = stdout_node(dtb, fdt_path_offset(dtb, "/chosen"), &parent);
	if (node < 0 || node_reg_in(dtb, parent, node, 0, &base, NULL))
		return FALLBACK_UART;
	/* The PSCI conduit too, so that even an early failure can power off. */
	probe_psci(&the_board, dtb, fdt_path_offset(dtb, "/psci"));
	return base;
}

/* A node is usable unless its status says otherwise (e.g. secure-only RAM). */
static bool node_enabled(const void *dtb, int node)
{
	const char *st = fdt_getprop(dtb, node, "status", NULL);

	return !st || !strcmp(st, "okay") || !strcmp(st, "ok");
}

/*
 * The nodes Keel reads, and their parents, found in one walk of the tree.
 * Debian's libfdt checks every tag it steps over, so each lookup by path or
 * compatible, and each parent lookup, is a walk of its own: a dozen of them
 * were most of Keel's boot (docs/benchmarks.md).
 */
struct dt_nodes {
	int chosen, psci, cpus;
	int gic, gic_parent;
	int timer;
};

#define WALK_MAX_DEPTH 16

static bool is_node(const char *name, int len, const char *want)
{
	int n = (int)strlen(want);

	return len >= n && !memcmp(name, want, n) && (len == n || name[n] == '@');
}

static bool compatible(const char *c, int len, const char *const *list, unsigned n)
{
	for (unsigned i = 0; c && i < n; i++)
		if (fdt_stringlist_contains(c, len, list[i]))
			return true;
	return false;
}

/* RAM banks from the memory nodes under the root, everything else by offset. */
static void walk_tree(struct board *b, const void *dtb, struct dt_nodes *dt)
{
	static const char *const gics[] = { "arm,cortex-a15-gic", "arm,gic-400", "arm,cortex-a7-gic" };
	static const char *const timers[] = { "arm,armv7-timer" };
	int at[WALK_MAX_DEPTH] = { 0 };
	int depth = 0, node = 0;

	*dt = (struct dt_nodes){ -1, -1, -1, -1, -1, -1 };
	b->nr_ram = 0;
	while ((node = fdt_next_node(dtb, node, &depth)) >= 0 && depth > 0) {
		int parent = at[depth - 1], len;
		const char *name = fdt_get_name(dtb, node, &len);
		const char *type, *compat;
		int clen;

		if (depth < WALK_MAX_DEPTH)
			at[depth] = node;
		if (depth > WALK_MAX_DEPTH || !name)
			continue;
		if (depth == 1) {
			if (is_node(name, len, "chosen") && dt->chosen < 0)
				dt->chosen = node;
			else if (is_node(name, len, "psci") && dt->psci < 0)
				dt->psci = node;
			else if (is_node(name, len, "cpus") && dt->cpus < 0)
				dt->cpus = node;
			type = fdt_getprop(dtb, node, "device_type", NULL);
			for (int i = 0; type && !strcmp(type, "memory") && node_enabled(dtb, node) &&
			     b->nr_ram < BOARD_MAX_RAM; i++) {
				struct mem_range *r = &b->ram[b->nr_ram];

				if (node_reg_in(dtb, 0, node, i, &r->base, &r->size))
					break;
				if (r->size)
					b->nr_ram++;
			}
		}
		if (dt->gic >= 0 && dt->timer >= 0)
			continue;
		compat = fdt_getprop(dtb, node, "compatible", &clen);
		if (dt->gic < 0 && compatible(compat, clen, gics, ARRAY_SIZE(gics))) {
			dt->gic = node;
			dt->gic_parent = parent;
		}
		if (dt->timer < 0 && compatible(compat, clen, timers, ARRAY_SIZE(timers)))
			dt->timer = node;
	}
}

static int probe_cpus(struct board *b, const void *dtb, int cpus)
{
	int node;

	b->nr_cpus = 0;
	if (cpus < 0)
		return -KEEL_ENOENT;
	fdt_for_each_subnode(node, dtb, cpus) {
		const char *type = fdt_getprop(dtb, node, "device_type", NULL);
		paddr_t mpidr;

		if (!type || strcmp(type, "cpu") || !node_enabled(dtb, node) ||
		    node_reg_in(dtb, cpus, node, 0, &mpidr, NULL))
			continue;
		if (b->nr_cpus < BOARD_MAX_CPUS)
			b->cpu_mpidr[b->nr_cpus++] = (uint32_t)mpidr;
	}
	return b->nr_cpus ? 0 : -KEEL_ENOENT;
}

static int probe_gic(struct board *b, const void *dtb, const struct dt_nodes *dt)
{
	const fdt32_t *irq;
	int len, node = dt->gic, parent = dt->gic_parent;

	if (node < 0 || node_reg_in(dtb, parent, node, 0, &b->gicd, NULL) ||
	    node_reg_in(dtb, parent, node, 1, &b->gicc, NULL))
		return -KEEL_ENOENT;
	/* The virtualization interfaces are entries 2 and 3, when present. */
	if (node_reg_in(dtb, parent, node, 2, &b->gich, NULL) ||
	    node_reg_in(dtb, parent, node, 3, &b->gicv, NULL))
		b->gich = b->gicv = 0;
	irq = fdt_getprop(dtb, node, "interrupts", &len);
	b->gic_maint_ppi = irq && len >= 12 ? fdt32_to_cpu(irq[1]) + 16 : 25;
	return 0;
}

static void probe_timer(struct board *b, const void *dtb, int node)
{
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

static void probe_chosen(struct board *b, const void *dtb, int node)
{
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
	struct dt_nodes dt;
	int node, parent;

	b->dtb = dtb;
	walk_tree(b, dtb, &dt);
	if (!b->nr_ram) {
		*why = "the device tree describes no memory";
		return -KEEL_ENOENT;
	}
	if (probe_cpus(b, dtb, dt.cpus)) {
		*why = "the device tree describes no CPUs";
		return -KEEL_ENOENT;
	}
	if (probe_gic(b, dtb, &dt)) {
		*why = "the device tree has no GICv2 interrupt controller";
		return -KEEL_ENOENT;
	}
	node = stdout_node(dtb, dt.chosen, &parent);
	if (node < 0 || node_reg_in(dtb, parent, node, 0, &b->uart_base, NULL)) {
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
	probe_timer(b, dtb, dt.timer);
	probe_chosen(b, dtb, dt.chosen);
	probe_psci(b, dtb, dt.psci);
	return 0;
}
