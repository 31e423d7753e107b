/* SPDX-License-Identifier: MIT */
/*
 * virt_probe: what an image built for QEMU's virt board finds when it boots.
 * It uses only what the real board has (the entry registers, the DTB, the
 * GICv2, the PL011, the architected timer, PSCI by HVC; no Keel hypercall)
 * and prints one fact per line, "virt-probe: <name> <value>". Run on QEMU's
 * virt board itself and in a Keel partition, those lines must be identical:
 * tests/system/test_platform.sh compares them. "virt-info: <name> <value>"
 * lines are what is known to differ (a model's identification, QEMU's own
 * choices, what Keel lacks; docs/platform.md lists why); the test keeps
 * their diff in its log without failing. It ends with PSCI SYSTEM_OFF,
 * which both QEMU and Keel implement (crt0's exit is a Keel hypercall). An
 * unexpected exception prints a FAIL line and takes the library's exit
 * hypercall: natively an undefined instruction, then a hang the test's
 * timeout ends.
 */
#include "guest.h"
#include "gic.h"
#include "uart.h"

#define FACT(name, fmt, ...)	printf("virt-probe: " name " " fmt "\n", ##__VA_ARGS__)
#define INFO(name, fmt, ...)	printf("virt-info: " name " " fmt "\n", ##__VA_ARGS__)

/* -------------------------------------------------------------- CPU state */

#define SCTLR_M		(1u << 0)
#define PSR_FLAGS	0xf8000000u	/* N Z C V Q: UNKNOWN out of reset */
#define CNTP_IRQ	30		/* non-secure physical timer, PPI 14 */
#define CNT_CTL_ENABLE	(1u << 0)	/* CNTP_CTL/CNTV_CTL; bit 2 is ISTATUS */

static uint32_t read_cpsr(void)
{
	uint32_t v;
	__asm__ volatile("mrs %0, cpsr" : "=r"(v));
	return v;
}

CP15_READ(midr, 0, c0, c0, 0)
CP15_READ(mpidr, 0, c0, c0, 5)
CP15_READ(sctlr, 0, c1, c0, 0)
CP15_READ(cntfrq, 0, c14, c0, 0)
CP15_READ(cntv_ctl, 0, c14, c3, 1)
CP15_READ(cntp_ctl, 0, c14, c2, 1)
CP15_READ(cntp_tval, 0, c14, c2, 0)
CP15_READ(l2ctlr, 1, c9, c0, 2)
CP15_READ(actlr, 0, c1, c0, 1)
CP15_READ(id_pfr1, 0, c0, c1, 1)

static uint64_t read_cntvct(void)
{
	uint32_t lo, hi;
	__asm__ volatile("isb\n\tmrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static uint64_t read_cntpct(void)
{
	uint32_t lo, hi;
	__asm__ volatile("isb\n\tmrrc p15, 0, %0, %1, c14" : "=r"(lo), "=r"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static const char *mode_name(uint32_t cpsr)
{
	switch (cpsr & PSR_MODE_MASK) {
	case 0x10: return "usr";
	case 0x11: return "fiq";
	case 0x12: return "irq";
	case 0x13: return "svc";
	case 0x16: return "mon";
	case 0x17: return "abt";
	case 0x1a: return "hyp";
	case 0x1b: return "und";
	case 0x1f: return "sys";
	default:   return "?";
	}
}

/* --------------------------------------------------- a minimal FDT reader */

#define FDT_MAGIC	0xd00dfeedu
#define FDT_BEGIN_NODE	1u
#define FDT_END_NODE	2u
#define FDT_PROP	3u
#define FDT_NOP		4u
#define FDT_END		9u
#define FDT_PATH_MAX	128
#define FDT_DEPTH_MAX	16

static const uint8_t *fdt;

/* Big-endian, one byte at a time: the DTB is read with the MMU off. */
static uint32_t be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static unsigned str_len(const char *s)
{
	unsigned n = 0;

	while (s[n])
		n++;
	return n;
}

static bool str_eq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static bool str_starts(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return false;
	return true;
}

/* Header checks: magic, a sane size (QEMU's is 1 MiB), version 17 (which has
 * size_dt_struct), blocks inside it. */
static bool fdt_valid(uint32_t addr)
{
	const uint8_t *h = (const uint8_t *)addr;

	if (addr < GUEST_RAM_BASE || (addr & 7))
		return false;
	if (be32(h) != FDT_MAGIC || be32(h + 4) > 0x400000u || be32(h + 20) < 17)
		return false;
	return be32(h + 8) + be32(h + 36) <= be32(h + 4) && be32(h + 12) < be32(h + 4);
}

/*
 * Visit every node (prop == NULL) and every property with the full path of
 * its node ("/", "/cpus/cpu@1"); stop when visit() returns true.
 */
typedef bool (*fdt_visit_fn)(const char *path, const char *prop, const uint8_t *val,
			     uint32_t len, void *arg);

static void fdt_walk(fdt_visit_fn visit, void *arg)
{
	const uint8_t *p = fdt + be32(fdt + 8), *end = p + be32(fdt + 36);
	const char *strings = (const char *)fdt + be32(fdt + 12);
	char path[FDT_PATH_MAX];
	unsigned len = 0, depth = 0, saved[FDT_DEPTH_MAX];

	path[0] = '\0';
	while (p + 4 <= end) {
		uint32_t tok = be32(p);

		p += 4;
		if (tok == FDT_BEGIN_NODE) {
			const char *name = (const char *)p;
			unsigned n = str_len(name);

			if (depth == FDT_DEPTH_MAX || len + n + 2 > FDT_PATH_MAX)
				return;
			saved[depth++] = len;
			if (depth > 1) {       /* the root's own name is empty */
				path[len++] = '/';
				for (unsigned i = 0; i < n; i++)
					path[len++] = name[i];
				path[len] = '\0';
			}
			p += (n + 4) & ~3u;
			if (visit(len ? path : "/", NULL, NULL, 0, arg))
				return;
		} else if (tok == FDT_END_NODE) {
			if (!depth)
				return;
			len = saved[--depth];
			path[len] = '\0';
		} else if (tok == FDT_PROP) {
			uint32_t plen = be32(p), nameoff = be32(p + 4);

			p += 8;
			if (visit(len ? path : "/", strings + nameoff, p, plen, arg))
				return;
			p += (plen + 3) & ~3u;
		} else if (tok != FDT_NOP) {
			return;                /* FDT_END or garbage */
		}
	}
}

struct prop_query {
	const char *path, *prop;
	const uint8_t *val;
	uint32_t len;
	bool found;
};

static bool find_prop(const char *path, const char *prop, const uint8_t *val,
		      uint32_t len, void *arg)
{
	struct prop_query *q = arg;

	if (!prop || !str_eq(path, q->path) || !str_eq(prop, q->prop))
		return false;
	q->val = val;
	q->len = len;
	q->found = true;
	return true;
}

/* Printable strings, each NUL-terminated: a string list. */
static bool is_strings(const uint8_t *v, uint32_t len)
{
	if (!len || v[len - 1] != '\0' || v[0] == '\0')
		return false;
	for (uint32_t i = 0; i < len; i++) {
		if (v[i] == '\0') {
			if (i + 1 < len && v[i + 1] == '\0')
				return false;
		} else if (v[i] < 0x20 || v[i] > 0x7e) {
			return false;
		}
	}
	return true;
}

/* "virt-probe: dtb <path> <prop> <value>": strings, 32-bit cells or bytes. */
static void dtb_fact(const char *path, const char *prop)
{
	struct prop_query q = { .path = path, .prop = prop };

	fdt_walk(find_prop, &q);
	printf("virt-probe: dtb %s %s", path, prop);
	if (!q.found) {
		printf(" (absent)\n");
		return;
	}
	if (!q.len) {
		printf(" (empty)\n");
	} else if (is_strings(q.val, q.len)) {
		for (uint32_t i = 0; i < q.len; i += str_len((const char *)q.val + i) + 1)
			printf(" \"%s\"", (const char *)q.val + i);
		printf("\n");
	} else if (!(q.len & 3)) {
		for (uint32_t i = 0; i < q.len; i += 4)
			printf(" %08x", be32(q.val + i));
		printf("\n");
	} else {
		for (uint32_t i = 0; i < q.len; i++)
			printf(" %02x", q.val[i]);
		printf("\n");
	}
}

static uint32_t dtb_u32(const char *path, const char *prop, uint32_t fallback)
{
	struct prop_query q = { .path = path, .prop = prop };

	fdt_walk(find_prop, &q);
	return q.found && q.len == 4 ? be32(q.val) : fallback;
}

struct cpu_count {
	unsigned n;
};

static bool count_cpu(const char *path, const char *prop, const uint8_t *val,
		      uint32_t len, void *arg)
{
	struct cpu_count *c = arg;

	if (prop && str_eq(prop, "device_type") && str_starts(path, "/cpus/") &&
	    len == 4 && str_eq((const char *)val, "cpu"))
		c->n++;
	return false;
}

/* ------------------------------------------------------------------- GIC */

#define GICD_TYPER	0x004
#define GICD_IIDR	0x008
#define GICD_ISENABLER0	0x100
#define GICD_ICENABLER0	0x180
#define GICD_IPRIORITYR	0x400
#define GICD_ITARGETSR	0x800
#define GICD_ICFGR	0xc00
#define GICD_ICPIDR2	0xfe8
#define GICC_IIDR	0x0fc
#define SGIR_SELF	(2u << 24)

/* Wait (CPSR.I stays set: WFI still wakes) for an interrupt; 0.5 s at most. */
static uint32_t wait_irq(void)
{
	uint64_t deadline = read_cntvct() + read_cntfrq() / 2;
	uint32_t iar;

	do {
		iar = gic_ack();
		if ((iar & 0x3ff) != IRQ_SPURIOUS)
			return iar;
		__asm__ volatile("wfi");
	} while (read_cntvct() < deadline);
	return IRQ_SPURIOUS;
}

static void end_irq(uint32_t iar)
{
	if ((iar & 0x3ff) != IRQ_SPURIOUS)
		gic_eoi(iar);
}

/* Registers whose reset values are facts: "virt-probe: <name> <value>". */
struct reg_fact {
	const char *name;
	uint32_t addr;
};

static void reg_facts(const struct reg_fact *r, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		printf("virt-probe: %s %08x\n", r[i].name, mmio_read32(r[i].addr));
}

/* The GIC's registers as a guest finds them, then an SGI to itself. */
static void probe_gic(void)
{
	static const struct reg_fact gic_regs[] = {
		{ "gicc-iidr", GICC_BASE + GICC_IIDR },
		{ "gicd-ctlr", GICD_BASE + GICD_CTLR },
		{ "gicc-ctlr", GICC_BASE + GICC_CTLR },
		{ "gicc-pmr", GICC_BASE + GICC_PMR },
		{ "gicd-isenabler0", GICD_BASE + GICD_ISENABLER0 },
		{ "gicd-itargetsr0", GICD_BASE + GICD_ITARGETSR },        /* SGIs: banked, own CPU */
		{ "gicd-itargetsr6", GICD_BASE + GICD_ITARGETSR + 24 },   /* PPIs 24-27 */
		{ "gicd-itargetsr8", GICD_BASE + GICD_ITARGETSR + 32 },   /* SPIs 0-3: no CPU */
		{ "gicd-icfgr0", GICD_BASE + GICD_ICFGR },
		{ "gicd-icfgr1", GICD_BASE + GICD_ICFGR + 4 },
		{ "gicd-ipriorityr6", GICD_BASE + GICD_IPRIORITYR + 24 },
	};
	uint32_t typer = mmio_read32(GICD_BASE + GICD_TYPER), iar;

	FACT("gicd-typer-cpu-number", "%u", (typer >> 5) & 7);
	FACT("gicd-typer-security-extn", "%u", (typer >> 10) & 1);
	FACT("gicd-typer-itlines-at-least-2", "%u", (typer & 0x1f) >= 2);
	INFO("gicd-typer", "%08x", typer);                /* how many SPIs */
	FACT("gicd-icpidr2-archrev", "%u", (mmio_read32(GICD_BASE + GICD_ICPIDR2) >> 4) & 0xf);
	INFO("gicd-iidr", "%08x", mmio_read32(GICD_BASE + GICD_IIDR));  /* who made it */
	reg_facts(gic_regs, sizeof(gic_regs) / sizeof(gic_regs[0]));

	gic_enable(0);                   /* GICD and GICC on (SGIs are always enabled) */
	mmio_write32(GICD_BASE + GICD_SGIR, SGIR_SELF | 3);
	iar = wait_irq();
	end_irq(iar);
	FACT("sgi-self-iar", "%u", iar);
	FACT("sgi-after-eoi-iar", "%u", gic_ack() & 0x3ff);
}

/* ----------------------------------------------------------------- timers */

static void vtimer_probe(void)
{
	uint32_t iar;
	int32_t r;

	FACT("cntfrq", "%u", read_cntfrq());
	FACT("cntv-ctl-at-entry", "%u", read_cntv_ctl());
	gic_enable(VTIMER_IRQ);
	vtimer_start(read_cntfrq() / 1000);               /* 1 ms */
	iar = wait_irq();
	FACT("vtimer-iar", "%u", iar);
	FACT("vtimer-cntv-ctl", "%u", read_cntv_ctl());
	vtimer_stop();
	end_irq(iar);
	FACT("vtimer-after-eoi-iar", "%u", gic_ack() & 0x3ff);

	/* CPU_SUSPEND to a standby state: QEMU waits for an interrupt (the timer's). */
	vtimer_start(read_cntfrq() / 1000);
	r = hvc_call(PSCI_CPU_SUSPEND, 0, 0, 0);
	FACT("psci-cpu-suspend-standby", "%d", r);
	iar = wait_irq();
	FACT("vtimer-iar-again", "%u", iar);
	vtimer_stop();
	end_irq(iar);
}

static volatile uint32_t undefs;

static void on_undef(struct exc_frame *f)
{
	undefs++;
	exc_skip_insn(f);
}

/*
 * The physical counter reads as the virtual one (CNTVOFF is 0 on the board
 * without EL2; Keel reads it back as the partition's virtual count). The
 * physical timer is the board's alone: Keel refuses its registers.
 */
static void ptimer_probe(void)
{
	uint64_t v0 = read_cntvct(), p = read_cntpct(), v1 = read_cntvct();
	uint32_t ctl, iar;

	FACT("cntpct-between-cntvct-reads", "%u", v0 <= p && p <= v1);
	FACT("cntpct-advances", "%u", read_cntpct() > p);

	exc_set_handler(EXC_UNDEF, on_undef);
	ctl = read_cntp_ctl();
	exc_set_handler(EXC_UNDEF, NULL);
	if (undefs) {
		INFO("ptimer-registers", "%s", "undefined");
		return;
	}
	INFO("ptimer-registers", "%s", "accessible");
	INFO("ptimer-cntp-ctl-at-entry", "%u", ctl);
	gic_enable(CNTP_IRQ);
	write_cntp_tval(read_cntfrq() / 1000);
	write_cntp_ctl(CNT_CTL_ENABLE);
	iar = wait_irq();
	INFO("ptimer-iar", "%u", iar);
	INFO("ptimer-cntp-ctl", "%u", read_cntp_ctl());
	write_cntp_ctl(0);
	end_irq(iar);
	mmio_write32(GICD_BASE + GICD_ICENABLER0, 1u << CNTP_IRQ);
}

/* ------------------------------------------------------------------- UART */

#define UART_IRQ	33			/* SPI 1 */
#define UART_FR		0x18
#define UART_IBRD	0x24
#define UART_LCR_H	0x2c
#define UART_CR		0x30
#define UART_IFLS	0x34
#define UART_IMSC	0x38
#define UART_RIS	0x3c
#define UART_MIS	0x40
#define UART_ICR	0x44
#define UART_INT_TX	(1u << 5)

/* Its identification and reset state, then the transmit interrupt on SPI 1. */
static void probe_uart(void)
{
	static const struct reg_fact uart_regs[] = {
		{ "uart-fr", UART_BASE + UART_FR }, { "uart-ibrd", UART_BASE + UART_IBRD },
		{ "uart-lcr-h", UART_BASE + UART_LCR_H }, { "uart-cr", UART_BASE + UART_CR },
		{ "uart-ifls", UART_BASE + UART_IFLS }, { "uart-imsc", UART_BASE + UART_IMSC },
		{ "uart-ris", UART_BASE + UART_RIS },
	};
	uint32_t iar, targets, slot = GICD_BASE + GICD_ITARGETSR + UART_IRQ / 4 * 4;

	printf("virt-probe: uart-id");
	for (unsigned i = 0; i < 8; i++)
		printf(" %02x", mmio_read32(UART_BASE + 0xfe0 + 4 * i));
	printf("\n");
	reg_facts(uart_regs, sizeof(uart_regs) / sizeof(uart_regs[0]));

	/* SPIs reset targeting no CPU: send SPI 1 to this one. */
	targets = mmio_read32(slot) & ~(0xffu << (UART_IRQ % 4 * 8));
	mmio_write32(slot, targets | (1u << (UART_IRQ % 4 * 8)));
	gic_enable(UART_IRQ);
	mmio_write32(UART_BASE + UART_ICR, 0x7ff);
	mmio_write32(UART_BASE + UART_IMSC, UART_INT_TX);
	FACT("uart-mis-after-icr", "%08x", mmio_read32(UART_BASE + UART_MIS));
	FACT("uart-tx", "%s", "this line raises the transmit interrupt");
	iar = wait_irq();
	FACT("uart-iar", "%u", iar);
	FACT("uart-mis", "%08x", mmio_read32(UART_BASE + UART_MIS));
	mmio_write32(UART_BASE + UART_IMSC, 0);
	mmio_write32(UART_BASE + UART_ICR, UART_INT_TX);
	end_irq(iar);
	FACT("uart-after-eoi-iar", "%u", gic_ack() & 0x3ff);
}

/* ------------------------------------------------------------ RAM's edges */

static volatile uint32_t aborts, abort_dfsr, abort_dfar;

static void on_dabt(struct exc_frame *f)
{
	aborts++;
	abort_dfsr = read_dfsr();
	abort_dfar = read_dfar();
	exc_skip_insn(f);
}

/* The last word of RAM works; the first word after it is a bus error. */
static void probe_ram(uint32_t ram_end)
{
	volatile uint32_t *last = (volatile uint32_t *)(ram_end - 4);

	*last = 0x5a5aa5a5u;
	FACT("ram-last-word-rw", "%u", *last == 0x5a5aa5a5u);
	exc_set_handler(EXC_DABT, on_dabt);
	(void)mmio_read32(ram_end);
	exc_set_handler(EXC_DABT, NULL);
	FACT("beyond-ram-read-aborts", "%u", aborts);
	FACT("beyond-ram-read-dfsr", "%08x", abort_dfsr);
	FACT("beyond-ram-read-dfar", "%08x", abort_dfar);
}

/* ------------------------------------------------------------------ PSCI */

void secondary_entry(void);
void secondary_main(void);

static uint8_t secondary_stack[2048] __attribute__((aligned(8)));
volatile uint32_t secondary_context;   /* r0 at entry, stored by smp_entry.S */
static volatile uint32_t secondary_mpidr, secondary_cpsr, secondary_sctlr, secondary_done;

/* vCPU 1, from PSCI CPU_ON: note what it was started with, then CPU_OFF. */
void secondary_main(void)
{
	secondary_cpsr = read_cpsr();
	secondary_mpidr = read_mpidr();
	secondary_sctlr = read_sctlr();
	__asm__ volatile("dmb" ::: "memory");
	secondary_done = 1;
	__asm__ volatile("dsb\n\tsev" ::: "memory");
	hvc_call(PSCI_CPU_OFF, 0, 0, 0);
	secondary_done = 2;                    /* CPU_OFF returned */
}

static void probe_psci(void)
{
	static const struct { const char *name; uint32_t id; } fns[] = {
		{ "version", PSCI_VERSION }, { "cpu-off", PSCI_CPU_OFF },
		{ "cpu-on", PSCI_CPU_ON }, { "affinity-info", PSCI_AFFINITY_INFO },
		{ "migrate-info-type", PSCI_MIGRATE_INFO_TYPE },
		{ "system-off", PSCI_SYSTEM_OFF }, { "system-reset", PSCI_SYSTEM_RESET },
		{ "features", PSCI_FEATURES }, { "unknown-0x8400001f", 0x8400001fu },
	};
	uint32_t stack_top = (uint32_t)(secondary_stack + sizeof(secondary_stack));
	uint32_t version = (uint32_t)hvc_call(PSCI_VERSION, 0, 0, 0);
	uint64_t deadline;

	FACT("psci-version-major", "%u", version >> 16);
	INFO("psci-version", "%08x", version);
	for (unsigned i = 0; i < sizeof(fns) / sizeof(fns[0]); i++)
		printf("virt-probe: psci-features %s %d\n", fns[i].name,
		       hvc_call(PSCI_FEATURES, fns[i].id, 0, 0));
	FACT("psci-features cpu-suspend", "%d", hvc_call(PSCI_FEATURES, PSCI_CPU_SUSPEND, 0, 0));
	FACT("psci-migrate-info-type", "%d", hvc_call(PSCI_MIGRATE_INFO_TYPE, 0, 0, 0));
	FACT("psci-affinity-info-cpu1-before", "%d", hvc_call(PSCI_AFFINITY_INFO, 1, 0, 0));
	FACT("psci-cpu-on-cpu2", "%d", hvc_call(PSCI_CPU_ON, 2, (uint32_t)secondary_entry, 0));
	FACT("psci-cpu-on-cpu1", "%d",
	     hvc_call(PSCI_CPU_ON, 1, (uint32_t)secondary_entry, stack_top));

	deadline = read_cntvct() + read_cntfrq();     /* 1 s */
	while (secondary_done != 1 && read_cntvct() < deadline)
		__asm__ volatile("wfe");
	FACT("secondary-ran", "%u", secondary_done);
	FACT("secondary-mpidr", "%08x", secondary_mpidr);
	FACT("secondary-cpsr-without-flags", "%08x", secondary_cpsr & ~PSR_FLAGS);
	INFO("secondary-cpsr", "%08x", secondary_cpsr);
	FACT("secondary-sctlr-m", "%u", secondary_sctlr & SCTLR_M);
	FACT("secondary-context-id-ok", "%u", secondary_context == stack_top);

	deadline = read_cntvct() + read_cntfrq();
	while (hvc_call(PSCI_AFFINITY_INFO, 1, 0, 0) != 1 && read_cntvct() < deadline)
		;
	FACT("psci-affinity-info-cpu1-after", "%d", hvc_call(PSCI_AFFINITY_INFO, 1, 0, 0));
	FACT("secondary-cpu-off-returned", "%u", secondary_done == 2);
}

/* ------------------------------------------------------------------ main */

/* Where _start really is (the image is linked for 0x40010000). */
static uint32_t load_address(void)
{
	extern char _start[];
	uint32_t runtime, linked;

	__asm__ volatile("adr %0, 1f\n\t"
			 "movw %1, #:lower16:1f\n\t"
			 "movt %1, #:upper16:1f\n"
			 "1:" : "=r"(runtime), "=r"(linked));
	return (uint32_t)_start + (runtime - linked);
}

/* The DTB's view of the board; returns the end of RAM it describes (or 0). */
static uint32_t probe_dtb(void)
{
	static const char *const props[][2] = {
		{ "/", "#address-cells" }, { "/", "#size-cells" }, { "/", "compatible" },
		{ "/memory@40000000", "device_type" }, { "/memory@40000000", "reg" },
		{ "/cpus", "#address-cells" }, { "/cpus", "#size-cells" },
		{ "/cpus/cpu@0", "reg" }, { "/cpus/cpu@0", "compatible" },
		{ "/cpus/cpu@0", "enable-method" },
		{ "/cpus/cpu@1", "reg" }, { "/cpus/cpu@1", "compatible" },
		{ "/cpus/cpu@1", "enable-method" },
		{ "/psci", "compatible" }, { "/psci", "method" },
		{ "/intc@8000000", "compatible" }, { "/intc@8000000", "reg" },
		{ "/intc@8000000", "#interrupt-cells" },
		{ "/intc@8000000", "interrupt-controller" },
		{ "/timer", "compatible" }, { "/timer", "interrupts" },
		{ "/timer", "always-on" },
		{ "/pl011@9000000", "compatible" }, { "/pl011@9000000", "reg" },
		{ "/pl011@9000000", "interrupts" }, { "/pl011@9000000", "clock-names" },
		{ "/apb-pclk", "compatible" }, { "/apb-pclk", "clock-frequency" },
		{ "/chosen", "stdout-path" },
	};
	struct prop_query mem = { .path = "/memory@40000000", .prop = "reg" };
	struct cpu_count cpus = { 0 };

	for (unsigned i = 0; i < sizeof(props) / sizeof(props[0]); i++)
		dtb_fact(props[i][0], props[i][1]);
	fdt_walk(count_cpu, &cpus);
	FACT("dtb-cpus", "%u", cpus.n);
	FACT("dtb-interrupt-parent-is-gic", "%u",
	     dtb_u32("/", "interrupt-parent", 0) == dtb_u32("/intc@8000000", "phandle", 1));
	fdt_walk(find_prop, &mem);
	if (!mem.found || mem.len != 16 || be32(mem.val) || be32(mem.val + 8))
		return 0;
	return be32(mem.val + 4) + be32(mem.val + 12);
}

int main(void)
{
	uint32_t ram_end = 0;

	FACT("load-address", "%08x", load_address());
	FACT("entry-cpsr-without-flags", "%08x", guest_entry_cpsr & ~PSR_FLAGS);
	INFO("entry-cpsr", "%08x", guest_entry_cpsr);
	FACT("entry-mode", "%s", mode_name(guest_entry_cpsr));
	FACT("entry-r0", "%08x", guest_entry_r0);
	FACT("entry-r1", "%08x", guest_entry_r1);
	FACT("entry-r2", "%08x", guest_dtb);
	FACT("sctlr", "%08x", read_sctlr());      /* crt0 cleared V and TE: both 0 anyway */
	FACT("sctlr-m", "%u", read_sctlr() & SCTLR_M);
	FACT("midr", "%08x", read_midr());
	FACT("mpidr", "%08x", read_mpidr());
	/* [25:24] CPUs - 1: QEMU 7.2 has no HCR.TIDCP trap, so the board's count */
	INFO("l2ctlr", "%08x", read_l2ctlr());
	FACT("actlr", "%08x", read_actlr());
	INFO("id-pfr1", "%08x", read_id_pfr1());   /* Virtualization: the board's CPU */

	fdt = (const uint8_t *)guest_dtb;
	FACT("dtb-valid", "%u", fdt_valid(guest_dtb));
	if (fdt_valid(guest_dtb))
		ram_end = probe_dtb();
	FACT("ram-end", "%08x", ram_end);
	if (ram_end)
		probe_ram(ram_end);

	probe_gic();
	vtimer_probe();
	ptimer_probe();
	probe_uart();
	probe_psci();

	printf("virt-probe: done\n");
	hvc_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	FACT("system-off-returned", "%u", 1);
	for (;;)
		__asm__ volatile("wfi");
}
