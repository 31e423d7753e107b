/* SPDX-License-Identifier: MIT */
/*
 * Keel's boot, in order: console on the board's UART; refuse to go on unless
 * this CPU is in Hyp mode with the Virtualization Extensions and a device
 * tree was handed over; learn the board; set up this CPU's Hyp state; hand
 * all RAM but Keel's own image, the DTB and the boot bundle to the frame
 * allocator; switch on the Hyp MMU; start the other CPUs; create the
 * partitions the bundle describes; run them on every CPU; when none is left,
 * turn the board off.
 * Anything wrong before the partitions run is "keel: fatal: ..." and a
 * clean power-off, never a silent hang.
 */
#include <libfdt.h>
#include <keel/arch.h>
#include <keel/board.h>
#include <keel/channel.h>
#include <keel/config.h>
#include <keel/console.h>
#include <keel/mem.h>
#include <keel/mem_proof.h>
#include <keel/platform.h>
#include <keel/printf.h>
#include <keel/sched.h>
#include <keel/trap.h>
#include <keel/vm.h>

#define KEEL_VERSION "0.1"

extern char __keel_start[], __keel_end[];

static struct keel_config config;

/* Secondary CPUs check in here, then wait until the partitions exist. */
static uint32_t cpus_online = 1;
static bool partitions_ready;
/* A secondary that has not come up after this long (ms) is left out. */
#define CPU_START_MS 200

__attribute__((noreturn)) static void fatal(const char *what)
{
	printk("keel: fatal: %s\n", what);
	printk("keel: stopping\n");
	arch_power_off();
}

static void reserve_or_die(paddr_t base, uint64_t size, const char *what)
{
	if (mem_reserve(base, size)) {
		printk("keel: cannot reserve %s\n", what);
		fatal("too many memory holes");
	}
}

static void add_owned(struct board_limits *l, paddr_t base, uint64_t size, const char *what)
{
	if (size && l->nr_owned < CFG_MAX_OWNED) {
		l->owned[l->nr_owned].base = base;
		l->owned[l->nr_owned].size = size;
		l->owned_what[l->nr_owned++] = what;
	}
}

/* What the config is checked against at boot: this board, as it really is. */
static void board_limits(const struct board *b, const void *dtb, struct board_limits *l)
{
	l->nr_cpus = sched_cpus();
	for (unsigned i = 0; i < b->nr_ram && i < ARRAY_SIZE(l->ram); i++) {
		l->ram[i].base = b->ram[i].base;
		l->ram[i].size = b->ram[i].size;
		l->nr_ram++;
	}
	add_owned(l, virt_to_phys(__keel_start), __keel_end - __keel_start, "Keel's image");
	add_owned(l, virt_to_phys(dtb), fdt_totalsize(dtb), "the board's device tree");
	add_owned(l, b->initrd_start, b->initrd_end - b->initrd_start, "the boot bundle");
	add_owned(l, b->gicd, 0x10000, "the GIC distributor");
	add_owned(l, b->gicc, 0x10000, "the GIC CPU interface");
	add_owned(l, b->gich, 0x10000, "the GIC hypervisor interface");
	add_owned(l, b->gicv, 0x10000, "the GIC virtual CPU interface");
	add_owned(l, b->uart_base, 0x1000, "Keel's console UART");
	if (b->uart_irq)
		l->owned_irqs[l->nr_owned_irqs++] = b->uart_irq;
}

static void create_partitions(const struct board *b, const void *dtb)
{
	static char why[192];
	struct board_limits lim = { 0 };
	struct vm *created[CFG_MAX_VMS] = { 0 };

	if (!b->initrd_start || b->initrd_end <= b->initrd_start)
		fatal("no boot bundle: pass one as the initrd (QEMU -initrd, U-Boot bootz) or "
		      "append it to Keel's image (tools/keel-pack); tools/keel-run builds one");
	if (bundle_parse(phys_to_virt(b->initrd_start), b->initrd_end - b->initrd_start,
			 &config, why, sizeof(why)))
		fatal(why);
	board_limits(b, dtb, &lim);
	if (config_check(&config, &lim, why, sizeof(why)))
		fatal(why);
	console_set_colour(config.colour);
	for (unsigned i = 0; i < config.nr_vms; i++) {
		created[i] = vm_create(&config.vm[i]);
		if (!created[i]) {
			snprintf(why, sizeof(why), "partition '%s' could not be created",
				 config.vm[i].name);
			fatal(why);
		}
	}
	if (channels_create(&config, created))
		fatal("the channels could not be created");
	for (unsigned i = 0; i < config.nr_vms; i++) {
		struct vm *vm = created[i];
		const struct vm_config *c = &config.vm[i];
		char where[24];
		unsigned len = 0;

		if (vm_start(vm)) {
			snprintf(why, sizeof(why), "partition '%s' could not be loaded", vm->name);
			fatal(why);
		}
		for (unsigned j = 0; j < vm->nr_vcpus; j++)
			len += snprintf(where + len, sizeof(where) - len, "%s%u", j ? "," : "",
					vm->vcpus[j].pcpu);
		printk("keel: partition '%s': %u vCPU%s, %llu MiB RAM at host 0x%08llx%s, "
		       "kernel %u bytes%s, %s; on CPU %s\n", vm->name, vm->nr_vcpus,
		       vm->nr_vcpus > 1 ? "s" : "", (unsigned long long)(vm->ram_size >> 20),
		       (unsigned long long)vm->ram_pa, c->ram_base ? " (1:1)" : "", c->kernel.size,
		       c->initrd.size ? ", initrd" : "",
		       c->sched == SCHED_PINNED ? "pinned" : "time-sliced", where);
	}
	if (mem_prove(&lim, why, sizeof(why)))
		fatal(why);
}

void secondary_main(unsigned cpu);
void secondary_main(unsigned cpu)
{
	arch_cpu_init(cpu);
	arch_irq_cpu_init(&the_board);
	__atomic_fetch_add(&cpus_online, 1, __ATOMIC_RELEASE);
	while (!READ_ONCE(partitions_ready))
		arch_relax();
	sched_run();
	for (;;)
		arch_idle();
}

/*
 * Bring up the board's other CPUs one at a time, in DTB order, so that CPU
 * numbers stay dense: one that does not start ends the list. Returns the
 * number of CPUs that run partitions.
 */
static unsigned start_secondaries(const struct board *b)
{
	unsigned want = MIN(b->nr_cpus, (unsigned)BOARD_MAX_CPUS);

	for (unsigned cpu = 1; cpu < want; cpu++) {
		uint64_t deadline = arch_now() + (uint64_t)arch_counter_freq() / 1000 * CPU_START_MS;
		int err = arch_cpu_start(cpu, b->cpu_mpidr[cpu]);

		if (err) {
			printk("keel: CPU %u (MPIDR 0x%x) did not start: PSCI error %d\n", cpu,
			       b->cpu_mpidr[cpu], err);
			break;
		}
		while (READ_ONCE(cpus_online) == cpu && arch_now() < deadline)
			arch_relax();
		if (READ_ONCE(cpus_online) == cpu) {
			printk("keel: CPU %u (MPIDR 0x%x) did not check in\n", cpu, b->cpu_mpidr[cpu]);
			break;
		}
	}
	return READ_ONCE(cpus_online);
}

/*
 * No initrd from the boot loader: a bundle may follow Keel's image in memory
 * (keel.img from tools/keel-pack, one file for -kernel or bootz), at the
 * image's load address plus its size with .bss. Only taken if it lies
 * wholly in one RAM bank.
 */
static void find_appended_bundle(struct board *b, uintptr_t load)
{
	paddr_t at = virt_to_phys((const void *)(load + (__keel_end - __keel_start)));

	if (b->initrd_start)
		return;
	for (unsigned i = 0; i < b->nr_ram; i++) {
		paddr_t end = b->ram[i].base + b->ram[i].size;
		const void *p = phys_to_virt(at);

		if (at < b->ram[i].base || at + sizeof(struct fdt_header) > end ||
		    fdt_magic(p) != FDT_MAGIC || fdt_totalsize(p) > end - at)
			continue;
		b->initrd_start = at;
		b->initrd_end = at + fdt_totalsize(p);
		printk("keel: boot bundle appended to Keel's image, %u bytes\n", fdt_totalsize(p));
	}
}

void boot_main(const void *dtb, uint32_t boot_cpsr, uintptr_t load);
void boot_main(const void *dtb, uint32_t boot_cpsr, uintptr_t load)
{
	struct board *b = &the_board;
	const char *why;

	platform_console_init(board_early_uart(dtb));
	printk("\nkeel: Keel %s, a hypervisor for ARMv7-A\n", KEEL_VERSION);
	if ((why = arch_boot_check(boot_cpsr)))
		fatal(why);
	if (!dtb || fdt_check_header(dtb))
		fatal("no valid device tree from the boot loader (r2 must point at one)");
	if (board_probe(b, dtb, &why))
		fatal(why);
	platform_console_init(b->uart_base);
	find_appended_bundle(b, load);
	arch_cpu_init(0);
	if (arch_irq_init(b))
		fatal("the interrupt controller has no virtualization interface (GICH/GICV)");

	mem_init(b);
	reserve_or_die(virt_to_phys(__keel_start), __keel_end - __keel_start, "Keel's image");
	reserve_or_die(virt_to_phys(dtb), fdt_totalsize(dtb), "the device tree");
	if (b->initrd_start)
		reserve_or_die(b->initrd_start, b->initrd_end - b->initrd_start, "the boot bundle");
	if (arch_mmu_init(b))
		fatal("cannot build Keel's page tables for this memory map");
	sched_set_cpus(start_secondaries(b));
	printk("keel: %u CPU%s, %u RAM bank%s, %llu MiB free; GIC at 0x%08llx, console at 0x%08llx\n",
	       sched_cpus(), sched_cpus() > 1 ? "s" : "", b->nr_ram, b->nr_ram > 1 ? "s" : "",
	       (unsigned long long)(mem_free_bytes() >> 20), (unsigned long long)b->gicd,
	       (unsigned long long)b->uart_base);

	create_partitions(b, dtb);
	/* Typed input goes to the partitions from now on. */
	if (b->uart_irq) {
		arch_irq_enable(b->uart_irq);
		platform_console_rx_irq();
	}
	/*
	 * Keel's own boot time, by the counter (which starts at reset on QEMU,
	 * at power-on on boards): tools/bench.sh reads this line.
	 */
	{
		uint64_t t = arch_now(), khz = arch_counter_freq() / 1000;

		printk("keel: boot done at counter %llu (%llu us); partitions start\n",
		       (unsigned long long)t, (unsigned long long)(khz ? t * 1000 / khz : 0));
	}
	WRITE_ONCE(partitions_ready, true);
	sched_run();
	printk("keel: no partition left to run; powering off\n");
	arch_power_off();
}
