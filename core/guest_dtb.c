/* SPDX-License-Identifier: MIT */
/*
 * Builds a partition's device tree with libfdt's sequential-write API.
 * Addresses and compatible strings follow QEMU's virt board so that kernels
 * built for it find their devices where they expect them.
 */
#include <libfdt.h>
#include <keel/config.h>
#include <keel/guest_dtb.h>
#include <keel/statdev.h>
#include <keel/testdev.h>
#include <keel/printf.h>

#define PHANDLE_APB_PCLK 1
#define PHANDLE_GIC      2

/* GIC interrupt specifiers: <type number flags> */
#define GIC_SPI          0
#define GIC_PPI          1
#define IRQ_EDGE_RISING  1
#define IRQ_LEVEL_HIGH   4
#define PPI_ALL_CPUS(n)  ((((1u << (n)) - 1) & 0xff) << 8)

/* Every call below returns 0 or a negative libfdt error; stop at the first. */
#define TRY(x) do { int err_ = (x); if (err_ < 0) return err_; } while (0)

static int prop_reg(void *fdt, uint64_t base, uint64_t size)
{
	fdt64_t reg[2] = { cpu_to_fdt64(base), cpu_to_fdt64(size) };

	return fdt_property(fdt, "reg", reg, sizeof(reg));
}

static int add_cpus(void *fdt, unsigned n, const char *compatible)
{
	TRY(fdt_begin_node(fdt, "cpus"));
	TRY(fdt_property_u32(fdt, "#address-cells", 1));
	TRY(fdt_property_u32(fdt, "#size-cells", 0));
	for (unsigned i = 0; i < n; i++) {
		char name[16];

		snprintf(name, sizeof(name), "cpu@%u", i);
		TRY(fdt_begin_node(fdt, name));
		TRY(fdt_property_string(fdt, "device_type", "cpu"));
		TRY(fdt_property_string(fdt, "compatible",
					compatible ? compatible : "arm,cortex-a15"));
		TRY(fdt_property_u32(fdt, "reg", i));
		TRY(fdt_property_string(fdt, "enable-method", "psci"));
		TRY(fdt_end_node(fdt));
	}
	return fdt_end_node(fdt);
}

static int add_chosen(void *fdt, const struct guest_dtb_params *p)
{
	TRY(fdt_begin_node(fdt, "chosen"));
	if (p->bootargs)
		TRY(fdt_property_string(fdt, "bootargs", p->bootargs));
	TRY(fdt_property_string(fdt, "stdout-path", "/pl011@9000000"));
	/* How often Keel has restarted this partition (0 on its first boot). */
	TRY(fdt_property_u32(fdt, "keel,restart-count", p->restarts));
	if (p->initrd_ipa) {
		TRY(fdt_property_u64(fdt, "linux,initrd-start", p->initrd_ipa));
		TRY(fdt_property_u64(fdt, "linux,initrd-end", p->initrd_ipa + p->initrd_size));
	}
	return fdt_end_node(fdt);
}

static int prop_irqs(void *fdt, const uint32_t (*irqs)[3], unsigned n)
{
	fdt32_t cells[4 * 3];

	for (unsigned i = 0; i < n; i++)
		for (unsigned j = 0; j < 3; j++)
			cells[3 * i + j] = cpu_to_fdt32(irqs[i][j]);
	return fdt_property(fdt, "interrupts", cells, n * 3 * sizeof(fdt32_t));
}

/* GICv2 as on QEMU's virt: the distributor Keel emulates, the CPU interface
 * that is the hardware GICV. */
static int add_gic(void *fdt)
{
	fdt64_t reg[4] = {
		cpu_to_fdt64(0x08000000), cpu_to_fdt64(0x10000),
		cpu_to_fdt64(0x08010000), cpu_to_fdt64(0x10000),
	};

	TRY(fdt_begin_node(fdt, "intc@8000000"));
	TRY(fdt_property_string(fdt, "compatible", "arm,cortex-a15-gic"));
	TRY(fdt_property(fdt, "interrupt-controller", NULL, 0));
	TRY(fdt_property_u32(fdt, "#interrupt-cells", 3));
	TRY(fdt_property(fdt, "reg", reg, sizeof(reg)));
	TRY(fdt_property_u32(fdt, "phandle", PHANDLE_GIC));
	return fdt_end_node(fdt);
}

/* The architected timer: secure, non-secure physical, virtual, hyp PPIs. */
static int add_timer(void *fdt, unsigned nr_vcpus)
{
	uint32_t f = PPI_ALL_CPUS(nr_vcpus) | IRQ_LEVEL_HIGH;
	const uint32_t irqs[4][3] = {
		{ GIC_PPI, 13, f }, { GIC_PPI, 14, f }, { GIC_PPI, 11, f }, { GIC_PPI, 10, f },
	};

	TRY(fdt_begin_node(fdt, "timer"));
	TRY(fdt_property_string(fdt, "compatible", "arm,armv7-timer"));
	TRY(prop_irqs(fdt, irqs, 4));
	TRY(fdt_property(fdt, "always-on", NULL, 0));
	return fdt_end_node(fdt);
}

static int add_uart(void *fdt)
{
	static const char compat[] = "arm,pl011\0arm,primecell";
	static const char clock_names[] = "uartclk\0apb_pclk";
	fdt32_t clocks[2] = { cpu_to_fdt32(PHANDLE_APB_PCLK), cpu_to_fdt32(PHANDLE_APB_PCLK) };

	/* The PL011 driver wants its clocks; a fixed 24 MHz clock like virt's. */
	TRY(fdt_begin_node(fdt, "apb-pclk"));
	TRY(fdt_property_string(fdt, "compatible", "fixed-clock"));
	TRY(fdt_property_u32(fdt, "#clock-cells", 0));
	TRY(fdt_property_u32(fdt, "clock-frequency", 24000000));
	TRY(fdt_property_string(fdt, "clock-output-names", "clk24mhz"));
	TRY(fdt_property_u32(fdt, "phandle", PHANDLE_APB_PCLK));
	TRY(fdt_end_node(fdt));

	TRY(fdt_begin_node(fdt, "pl011@9000000"));
	TRY(fdt_property(fdt, "compatible", compat, sizeof(compat)));
	TRY(prop_reg(fdt, 0x09000000, 0x1000));
	TRY(prop_irqs(fdt, (const uint32_t[][3]){ { GIC_SPI, 1, IRQ_LEVEL_HIGH } }, 1));
	TRY(fdt_property(fdt, "clocks", clocks, sizeof(clocks)));
	TRY(fdt_property(fdt, "clock-names", clock_names, sizeof(clock_names)));
	return fdt_end_node(fdt);
}

static int add_psci(void *fdt)
{
	static const char compat[] = "arm,psci-1.0\0arm,psci-0.2\0arm,psci";

	TRY(fdt_begin_node(fdt, "psci"));
	TRY(fdt_property(fdt, "compatible", compat, sizeof(compat)));
	TRY(fdt_property_string(fdt, "method", "hvc"));
	return fdt_end_node(fdt);
}

/* One of Keel's own emulated devices: /NAME@BASE, compatible "keel,NAME", no interrupt. */
static int add_keel_device(void *fdt, const char *name, uint32_t base, uint32_t size)
{
	char node[32], compat[32];

	snprintf(node, sizeof(node), "%s@%x", name, base);
	snprintf(compat, sizeof(compat), "keel,%s", name);
	TRY(fdt_begin_node(fdt, node));
	TRY(fdt_property_string(fdt, "compatible", compat));
	TRY(prop_reg(fdt, base, size));
	return fdt_end_node(fdt);
}

/*
 * A channel (docs/channels.md): its shared memory and doorbell page, its
 * interrupt, which channel and peer it is. The same for bare metal and for
 * Linux's keel_channel driver.
 */
static int add_channel(void *fdt, unsigned k, const struct guest_dtb_chan *c)
{
	uint64_t shm = GUEST_CHAN_IPA + k * GUEST_CHAN_STRIDE;
	fdt64_t reg[4] = {
		cpu_to_fdt64(shm), cpu_to_fdt64(c->size),
		cpu_to_fdt64(shm + GUEST_CHAN_DOORBELL_OFF), cpu_to_fdt64(0x1000),
	};
	char node[32];

	snprintf(node, sizeof(node), "keel-channel@%llx", (unsigned long long)shm);
	TRY(fdt_begin_node(fdt, node));
	TRY(fdt_property_string(fdt, "compatible", "keel,channel"));
	TRY(fdt_property(fdt, "reg", reg, sizeof(reg)));
	TRY(prop_irqs(fdt, (const uint32_t[][3]){
		{ GIC_SPI, GUEST_CHAN_IRQ - 32 + k, IRQ_EDGE_RISING } }, 1));
	TRY(fdt_property_u32(fdt, "keel,channel-id", c->id));
	TRY(fdt_property_string(fdt, "keel,peer", c->peer));
	TRY(fdt_property_string(fdt, "label", c->label));
	return fdt_end_node(fdt);
}

int guest_dtb_build(void *buf, size_t size, const struct guest_dtb_params *p)
{
	static const char compat[] = "linux,dummy-virt";
	char node[32];

	TRY(fdt_create(buf, size));
	TRY(fdt_finish_reservemap(buf));
	TRY(fdt_begin_node(buf, ""));
	TRY(fdt_property_u32(buf, "#address-cells", 2));
	TRY(fdt_property_u32(buf, "#size-cells", 2));
	TRY(fdt_property(buf, "compatible", compat, sizeof(compat)));
	TRY(fdt_property_string(buf, "model", "Keel partition"));
	TRY(fdt_property_u32(buf, "interrupt-parent", PHANDLE_GIC));

	TRY(add_chosen(buf, p));
	snprintf(node, sizeof(node), "memory@%llx", (unsigned long long)p->ram_ipa);
	TRY(fdt_begin_node(buf, node));
	TRY(fdt_property_string(buf, "device_type", "memory"));
	TRY(prop_reg(buf, p->ram_ipa, p->ram_size));
	TRY(fdt_end_node(buf));
	TRY(add_cpus(buf, p->nr_vcpus, p->cpu_compatible));
	TRY(add_psci(buf));
	TRY(add_gic(buf));
	TRY(add_timer(buf, p->nr_vcpus));
	TRY(add_uart(buf));
	if (p->testdev)
		TRY(add_keel_device(buf, "test-device", TESTDEV_BASE, TESTDEV_SIZE));
	if (p->exit_stats)
		TRY(add_keel_device(buf, "exit-stats", STATDEV_BASE, STATDEV_SIZE));
	for (unsigned k = 0; k < p->nr_chans; k++)
		TRY(add_channel(buf, k, &p->chans[k]));
	TRY(fdt_end_node(buf));
	return fdt_finish(buf);
}
