/* SPDX-License-Identifier: MIT */
/*
 * The physical CPU in Hyp mode: the boot checks, per-CPU trap configuration,
 * the counter, idling, power-off through the host's PSCI, cache maintenance
 * for guest memory, and the report for exceptions taken inside Keel itself.
 */
#include <keel/arch.h>
#include <keel/board.h>
#include <keel/console.h>
#include <keel/printf.h>
#include <arch/gic.h>
#include <arch/percpu.h>
#include <arch/regs.h>
#include <arch/sysreg.h>

struct pcpu pcpus[NR_CPUS_MAX];

extern char hyp_vectors[];

static const char *mode_name(uint32_t mode)
{
	switch (mode & PSR_MODE_MASK) {
	case PSR_MODE_USR: return "User";
	case PSR_MODE_FIQ: return "FIQ";
	case PSR_MODE_IRQ: return "IRQ";
	case PSR_MODE_SVC: return "Supervisor";
	case PSR_MODE_MON: return "Monitor";
	case PSR_MODE_ABT: return "Abort";
	case PSR_MODE_HYP: return "Hyp";
	case PSR_MODE_UND: return "Undefined";
	case PSR_MODE_SYS: return "System";
	default: return "unknown";
	}
}

const char *arch_boot_check(uint32_t boot_cpsr)
{
	static char why[128];
	/* ID_PFR1.Virtualization, bits 15:12 (B4.1.94) */
	uint32_t virt = (read_ID_PFR1() >> 12) & 0xf;

	if (virt == 0) {
		snprintf(why, sizeof(why),
			 "this CPU has no Virtualization Extensions (ID_PFR1 = 0x%08x)",
			 read_ID_PFR1());
		return why;
	}
	if ((boot_cpsr & PSR_MODE_MASK) != PSR_MODE_HYP) {
		snprintf(why, sizeof(why),
			 "started in %s mode (CPSR 0x%08x), but Keel must be entered in Hyp mode",
			 mode_name(boot_cpsr), boot_cpsr);
		return why;
	}
	return NULL;
}

void arch_cpu_init(unsigned cpu)
{
	struct pcpu *p = &pcpus[cpu];

	p->id = cpu;
	write_HTPIDR((uint32_t)p);   /* boot.S set it already: arch_cpu_id() works from the start */
	write_HVBAR((uint32_t)hyp_vectors);

	/* Stage 2: 32-bit IPA space, walk from level 1, cacheable inner-shareable walks. */
	write_VTCR(VTCR_RES1 | TCR_T0SZ(0) | TCR_SL0_L1 | TCR_IRGN0_WBWA |
		   TCR_ORGN0_WBWA | TCR_SH0_IS);
	/* CP15 c15 is IMPLEMENTATION DEFINED: a guest sees Keel's emulation. */
	write_HSTR(HSTR_T15);
	/* VFP/NEON belong to whichever vCPU used them last (vfp.c): trap until then. */
	write_HCPTR((1u << 10) | (1u << 11));
	/* Keep HPMN (all counters to the guest); clear the PMU/debug trap bits. */
	write_HDCR(read_HDCR() & 0x1f);
	/* PL1's physical counter and timer trap (sysreg_emul.c); the Hyp timer is Keel's. */
	write_CNTHCTL(0);
	write_CNTVOFF(0);
	write_VPIDR(read_MIDR());
	isb();
}

int arch_irq_init(const struct board *b)
{
	int err = gic_init(b);

	if (!err)
		gic_cpu_init(b);
	return err;
}

void arch_irq_cpu_init(const struct board *b)
{
	gic_cpu_init(b);
}

const char *arch_cpu_compatible(void)
{
	/* MIDR.PartNum (bits 15:4) of ARM's cores; a partition sees the real MIDR too. */
	switch ((read_MIDR() >> 4) & 0xfff) {
	case 0xc07: return "arm,cortex-a7";
	case 0xc0f: return "arm,cortex-a15";
	case 0xc0e: return "arm,cortex-a17";
	default: return NULL;   /* the guest DTB's default */
	}
}

unsigned arch_cpu_id(void)
{
	uint32_t cpsr;

	/* Keel started outside Hyp mode only says why and stops; HTPIDR is undefined there. */
	__asm__ volatile("mrs %0, cpsr" : "=r"(cpsr));
	if ((cpsr & PSR_MODE_MASK) != PSR_MODE_HYP)
		return 0;
	return this_pcpu()->id;
}

void arch_relax(void)
{
	__asm__ volatile("yield" ::: "memory");
}

uint32_t arch_counter_freq(void)
{
	return read_CNTFRQ();
}

void arch_wakeup_at(uint64_t ticks)
{
	write_CNTHP_CVAL(ticks);
	write_CNTHP_CTL(1);          /* enabled, not masked */
	isb();
}

void arch_wakeup_cancel(void)
{
	write_CNTHP_CTL(0);
	isb();
}

unsigned arch_wakeup_irq(void)
{
	return the_board.timer_hyp_ppi;
}

void arch_idle(void)
{
	/*
	 * QEMU 7.2's GICv2 quirk: when a guest's virtual EOI deactivates a
	 * HW-mapped interrupt (the virtual timer), QEMU clears the physical
	 * active bit but does not re-evaluate the physical CPU interface, so
	 * an interrupt that became pending meanwhile is not signalled and WFI
	 * would sleep forever. Any write to the CPU interface re-evaluates it;
	 * on hardware this costs one harmless register write.
	 */
	gic_refresh();
	wfi();
}

static int32_t psci_call(uint32_t fn, uint32_t a1, uint32_t a2, uint32_t a3)
{
	register uint32_t r0 __asm__("r0") = fn;
	register uint32_t r1 __asm__("r1") = a1;
	register uint32_t r2 __asm__("r2") = a2;
	register uint32_t r3 __asm__("r3") = a3;

	if (the_board.psci_smc)
		__asm__ volatile(".arch_extension sec\n\tsmc #0"
				 : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3) : : "memory");
	else
		__asm__ volatile("hvc #0" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3) : : "memory");
	return (int32_t)r0;
}

void secondary_entry(void);   /* boot.S */
void secondary_main(unsigned cpu);   /* core/main.c */
void secondary_start(unsigned cpu);

/* boot.S, for a secondary CPU with its stack: per-CPU state, then Keel's tables. */
void secondary_start(unsigned cpu)
{
	write_HTPIDR((uint32_t)&pcpus[cpu]);
	arch_mmu_enable();
	pcpus[cpu].id = cpu;   /* after: a write with the MMU off would bypass the caches */
	secondary_main(cpu);
}

int arch_cpu_start(unsigned cpu, uint32_t mpidr)
{
	if (cpu >= NR_CPUS_MAX)
		return -1;
	/*
	 * PSCI CPU_ON: the CPU starts in Hyp mode (the caller's mode) at
	 * secondary_entry, MMU off, with r0 = cpu. Keel's image is identity
	 * mapped, so its link address is the physical entry point.
	 */
	return psci_call(0x84000003u, mpidr, (uint32_t)secondary_entry, cpu);
}

void arch_kick_cpu(unsigned cpu)
{
	gic_send_sgi(cpu, GIC_KICK_SGI);
}

unsigned arch_kick_irq(void)
{
	return GIC_KICK_SGI;
}

void arch_power_off(void)
{
	psci_call(0x84000008u, 0, 0, 0);   /* PSCI SYSTEM_OFF */
	for (;;)
		wfi();
}

static uint32_t dcache_line(void)
{
	uint32_t ctr;

	__asm__ volatile("mrc p15, 0, %0, c0, c0, 1" : "=r"(ctr));
	return 4u << ((ctr >> 16) & 0xf);   /* CTR.DminLine, in words */
}

void arch_sync_guest_memory(void *va, uint64_t size)
{
	uint32_t line = dcache_line();
	uint32_t p = (uint32_t)va & ~(line - 1);
	uint32_t end = (uint32_t)va + (uint32_t)size;

	/* Clean to the point of coherency: the guest starts with caches off. */
	for (; p < end; p += line)
		dccmvac(p);
	dsb();
	icialluis(0);
	dsb();
	isb();
}

static const char *const vec_names[] = {
	[0x00] = "reset vector", [0x04] = "undefined instruction",
	[0x08] = "HVC/SVC", [0x0c] = "prefetch abort", [0x10] = "data abort",
};

/* Called from vectors.S for an exception taken in Hyp mode: a Keel bug. */
void hyp_fault(uint32_t *frame, uint32_t vec, uint32_t elr, uint32_t spsr)
	__attribute__((noreturn));
void hyp_fault(uint32_t *frame, uint32_t vec, uint32_t elr, uint32_t spsr)
{
	printk("keel: PANIC: %s in Hyp mode at pc=0x%08x spsr=0x%08x\n",
	       vec < ARRAY_SIZE(vec_names) && vec_names[vec] ? vec_names[vec] : "exception",
	       elr, spsr);
	printk("  HSR=0x%08x HDFAR=0x%08x HIFAR=0x%08x HPFAR=0x%08x\n",
	       read_HSR(), read_HDFAR(), read_HIFAR(), read_HPFAR());
	/* frame: r0-r12 and LR as pushed by the vector */
	for (int i = 0; i < 12; i += 4)
		printk("  r%-2d=%08x r%-2d=%08x r%-2d=%08x r%-2d=%08x\n",
		       i, frame[i], i + 1, frame[i + 1], i + 2, frame[i + 2], i + 3, frame[i + 3]);
	printk("  r12=%08x lr =%08x\n", frame[12], frame[13]);
	arch_power_off();
}
