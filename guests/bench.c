/* SPDX-License-Identifier: MIT */
/*
 * bench: Keel's micro-benchmarks. The same image runs natively on QEMU's
 * virt board (bootargs "native") and in a Keel partition; tools/bench.sh
 * runs both under -icount shift=0, where the counter (62.5 MHz, 16 ns a
 * tick) advances one nanosecond per instruction executed, Keel's included.
 * Every figure is therefore a deterministic instruction count, printed as
 *   bench: <metric> <instructions per operation, one decimal>
 *
 * Operations are timed in loops of N written in assembly; the same loop with
 * a NOP in place of the operation is timed too and taken off, so a figure is
 * the operation's own cost (a NOP counting as one instruction).
 *
 *   null-hypercall   Keel: HVC KEEL_HC_VERSION; native: SVC to the guest's
 *                    own handler (MOVS PC, LR), the nearest native round trip
 *   smccc-version    HVC SMCCC_VERSION (Keel only)
 *   mmio-read-uart   LDR of PL011 UARTFR (Keel: its emulated UART)
 *   mmio-write-uart  STR of PL011 UARTIMSC (0: no interrupt wanted)
 *   mmio-read-gicd   LDR of GICD_TYPER (Keel: its emulated distributor)
 *   cp15-read-actlr  MRC ACTLR (Keel traps it: HCR.TAC)
 *   virq-latency     from the timer's compare value to the first instruction
 *                    of the IRQ vector, the guest spinning with IRQs enabled
 *                    (Keel: the virtual timer; native: the physical timer);
 *                    average and best of VIRQ_RUNS, resolution one tick
 *   virq-latency-wfi the same, the guest waiting in WFI
 *   ipi-round-trip   SGI to vCPU 1, which answers with an SGI; both wait in
 *                    WFI (IRQs masked) and read GICC_IAR (Keel: SGIR
 *                    emulated, IAR the hardware GICV)
 *
 * With bootargs switch=a or switch=b it measures only partition-switch
 * (bench_switch.c), one of two partitions on one CPU.
 *
 * In Keel it then prints its vCPU 0's exits as Keel's cost model counted
 * them, read with KEEL_HC_EXIT_STATS:
 *   bench: keel-exits <reason> <count>, <ns> ns in Keel
 * All runs end with PSCI SYSTEM_OFF, which QEMU and Keel both implement.
 */
#include "guest.h"
#include "gic.h"
#include "timer.h"
#include "bootargs.h"
#include "bench.h"

#define N		1024u		/* operations per timed loop (a power of two) */
#define N_SHIFT		10
#define VIRQ_RUNS	16
#define IPI_RUNS	64

#define UART_BASE	0x09000000u
#define UARTFR		0x18
#define UARTIMSC	0x38
#define GICD_TYPER	0x004
#define CNTP_IRQ	30		/* non-secure physical timer, PPI 14 */
#define SMCCC_VERSION	0x80000000u
#define SGIR_TARGETS(m)	((uint32_t)(m) << 16)
#define SGI_PING	1
#define SGI_PONG	2

static bool native;
static uint32_t ns_per_tick;

/*
 * The vector table while benchmarking: SVC returns at once (the native null
 * call), IRQ stamps the counter in its very first instruction (r0/r1 are
 * free: every loop that can be interrupted declares them clobbered), the
 * rest is the library's.
 */
__asm__(
"	.pushsection .text.bench_vectors, \"ax\"\n"
"	.arm\n"
"	.align	5\n"
"bench_vectors:\n"
"	b	guest_vectors + 0x00\n"
"	b	guest_vectors + 0x04\n"
"	movs	pc, lr\n"
"	b	guest_vectors + 0x0c\n"
"	b	guest_vectors + 0x10\n"
"	b	guest_vectors + 0x14\n"
"	mrrc	p15, 1, r0, r1, c14\n"
"	b	bench_irq_entry\n"
"bench_irq_entry:\n"
"	push	{r2-r3, r12, lr}\n"
"	bl	bench_irq\n"
"	pop	{r2-r3, r12, lr}\n"
"	subs	pc, lr, #4\n"
"	.popsection\n");

extern char bench_vectors[];
void bench_irq(uint32_t lo, uint32_t hi);

static volatile uint64_t irq_stamp;
static volatile uint32_t irq_seen;

/* The stamp taken, the timer off, the interrupt acknowledged and ended. */
void bench_irq(uint32_t lo, uint32_t hi)
{
	uint32_t iar = gic_ack();

	irq_stamp = ((uint64_t)hi << 32) | lo;
	if (native)
		__asm__ volatile("mcr p15, 0, %0, c14, c2, 1" :: "r"(0));   /* CNTP_CTL */
	else
		__asm__ volatile("mcr p15, 0, %0, c14, c3, 1" :: "r"(0));   /* CNTV_CTL */
	__asm__ volatile("isb");
	gic_eoi(iar);
	irq_seen = 1;
}

/* Print tenths of an instruction as "12.3". */
void bench_report(const char *name, uint64_t tenths)
{
	uint32_t t = tenths > 0xffffffffu ? 0xffffffffu : (uint32_t)tenths;

	printf("bench: %s %u.%u\n", name, t / 10, t % 10);
}

/* Loop time of N operations minus that of N NOPs, in tenths of an instruction per op. */
static uint64_t per_op(uint64_t ticks, uint64_t base_ticks)
{
	uint64_t ns = ticks * ns_per_tick, base = base_ticks * ns_per_tick;

	/* + 1: the NOP the operation replaced is an instruction of its own */
	return ns > base ? ((ns - base) * 10 >> N_SHIFT) + 10 : 10;
}

/*
 * LOOP(insns): N times the instruction string, r0-r3 free for it
 * (r2 = arg0, r3 = arg1 on entry to each iteration).
 */
#define LOOP(insns, a0, a1) ({                                                   \
	uint32_t n_ = N;                                                          \
	uint64_t t0_ = cntvct();                                                  \
	__asm__ volatile("1:	mov r2, %1\n\tmov r3, %2\n\t" insns "\n\t"        \
			 "subs %0, %0, #1\n\tbne 1b"                               \
			 : "+r"(n_) : "r"(a0), "r"(a1)                             \
			 : "r0", "r1", "r2", "r3", "lr", "memory", "cc");          \
	cntvct() - t0_; })

static uint64_t base_ticks;

static void bench_op(const char *name, uint64_t ticks)
{
	bench_report(name, per_op(ticks, base_ticks));
}

static void bench_calls(void)
{
	base_ticks = LOOP("nop", 0, 0);
	if (native)
		bench_op("null-hypercall", LOOP("svc #0", 0, 0));
	else
		bench_op("null-hypercall", LOOP("mov r0, r2\n\thvc #0", KEEL_HC_VERSION, 0));
	if (!native)
		bench_op("smccc-version", LOOP("mov r0, r2\n\thvc #0", SMCCC_VERSION, 0));
	bench_op("mmio-read-uart", LOOP("ldr r0, [r2]", UART_BASE + UARTFR, 0));
	bench_op("mmio-write-uart", LOOP("str r3, [r2]", UART_BASE + UARTIMSC, 0));
	bench_op("mmio-read-gicd", LOOP("ldr r0, [r2]", GICD_BASE + GICD_TYPER, 0));
	bench_op("cp15-read-actlr", LOOP("mrc p15, 0, r0, c1, c0, 1", 0, 0));
}

/* --------------------------------------------------------------- interrupts */

static void timer_fire_at(uint64_t cval)
{
	if (native) {
		__asm__ volatile("mcrr p15, 2, %0, %1, c14" :: "r"((uint32_t)cval),
				 "r"((uint32_t)(cval >> 32)));
		__asm__ volatile("mcr p15, 0, %0, c14, c2, 1\n\tisb" :: "r"(1));
	} else {
		vtimer_at(cval);
	}
}

/* One timer interrupt: ticks from the compare value to the vector's stamp. */
static uint64_t one_latency(bool wfi)
{
	uint64_t cval = cntvct() + 64;   /* 1024 instructions ahead */

	irq_seen = 0;
	timer_fire_at(cval);
	if (wfi)
		__asm__ volatile("cpsie i\n"
				 "1:	wfi\n\tldr r2, [%0]\n\tcmp r2, #0\n\tbeq 1b\n\t"
				 "cpsid i"
				 :: "r"(&irq_seen) : "r0", "r1", "r2", "memory", "cc");
	else
		__asm__ volatile("cpsie i\n"
				 "1:	ldr r2, [%0]\n\tcmp r2, #0\n\tbeq 1b\n\t"
				 "cpsid i"
				 :: "r"(&irq_seen) : "r0", "r1", "r2", "memory", "cc");
	return irq_stamp > cval ? irq_stamp - cval : 0;
}

static void bench_latency(const char *name, bool wfi)
{
	uint64_t sum = 0, best = ~0ull;

	for (unsigned i = 0; i < VIRQ_RUNS; i++) {
		uint64_t t = one_latency(wfi);

		sum += t;
		best = t < best ? t : best;
	}
	/* VIRQ_RUNS is 16: sum * ns / 16 runs, in tenths */
	bench_report(name, sum * ns_per_tick * 10 / VIRQ_RUNS);
	printf("bench: %s-best %u.0\n", name, (unsigned)(best * ns_per_tick));
}

/* ------------------------------------------------------------------- IPIs */

void secondary_entry(void);
void secondary_main(void);
static uint8_t secondary_stack[2048] __attribute__((aligned(8)));
volatile uint32_t secondary_context;   /* r0 at entry, stored by smp_entry.S */
static volatile uint32_t secondary_ready;

static uint32_t wait_sgi(unsigned id)
{
	uint32_t iar;

	/* WFI, not a spin: under -icount QEMU runs one CPU at a time and a
	 * spinning CPU would hold the board for its whole time slice. */
	while (((iar = gic_ack()) & 0x3ff) != id)
		__asm__ volatile("wfi");
	gic_eoi(iar);
	return iar;
}

/* vCPU 1: answer every ping with a pong, IPI_RUNS + 1 times (one warm-up). */
void secondary_main(void)
{
	mmio_write32(GICC_BASE + GICC_PMR, 0xff);
	mmio_write32(GICC_BASE + GICC_CTLR, 1);
	secondary_ready = 1;
	for (unsigned i = 0; i <= IPI_RUNS; i++) {
		wait_sgi(SGI_PING);
		mmio_write32(GICD_BASE + GICD_SGIR, SGIR_TARGETS(1u << 0) | SGI_PONG);
	}
	hvc_call(PSCI_CPU_OFF, 0, 0, 0);
}

static void bench_ipi(void)
{
	uint32_t top = (uint32_t)(secondary_stack + sizeof(secondary_stack));
	uint64_t t0 = 0;

	if (hvc_call(PSCI_CPU_ON, 1, (uint32_t)secondary_entry, top) != PSCI_RET_SUCCESS) {
		printf("bench: FAIL ipi: CPU_ON refused\n");
		return;
	}
	while (!secondary_ready)
		;
	for (unsigned i = 0; i <= IPI_RUNS; i++) {
		if (i == 1)
			t0 = cntvct();   /* the first round warms up */
		mmio_write32(GICD_BASE + GICD_SGIR, SGIR_TARGETS(1u << 1) | SGI_PING);
		wait_sgi(SGI_PONG);
	}
	bench_report("ipi-round-trip", (cntvct() - t0) * ns_per_tick * 10 / IPI_RUNS);
}

/* Keel's cost model as the partition reads it (KEEL_HC_EXIT_STATS), vCPU 0. */
static void print_exit_stats(void)
{
	static const char *const names[KEEL_EXIT_ROWS] = { KEEL_EXIT_NAMES };

	for (unsigned r = 0; r < KEEL_EXIT_ROWS; r++) {
		struct smccc_res res;

		if (hvc_call_res(KEEL_HC_EXIT_STATS, r, 0, 0, &res) != KEEL_HC_OK) {
			printf("bench: FAIL exit stats row %u refused\n", r);
			return;
		}
		if (res.r1)
			printf("bench: keel-exits %s %u, %u ns in Keel\n", names[r], res.r1,
			       res.r2 * ns_per_tick);
	}
}

/* The micro-benchmarks of one partition (or of the bare board). */
static void bench_micro(void)
{
	bench_calls();
	gic_enable(native ? CNTP_IRQ : VTIMER_IRQ);
	bench_latency("virq-latency", false);
	bench_latency("virq-latency-wfi", true);
	bench_ipi();
	if (!native)
		print_exit_stats();
}

int main(void)
{
	uint32_t freq = cntfrq();
	bool switch_a = bootarg_is("switch", "a"), switch_b = bootarg_is("switch", "b");

	native = bootarg_flag("native");
	ns_per_tick = freq ? 1000000000u / freq : 0;
	if (!ns_per_tick || 1000000000u % freq) {
		printf("bench: FAIL counter frequency %u Hz is not a whole number of ns a tick\n",
		       freq);
		return 1;
	}
	__asm__ volatile("mcr p15, 0, %0, c12, c0, 0\n\tisb" :: "r"(bench_vectors));
	printf("bench: start %s, counter %u Hz, %u ns a tick\n",
	       native ? "native" : switch_a ? "switch a" : switch_b ? "switch b" : "keel",
	       freq, ns_per_tick);
	if (switch_a || switch_b)
		bench_switch(switch_a, ns_per_tick);
	else
		bench_micro();
	printf("bench: done\n");
	hvc_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	return 0;
}
