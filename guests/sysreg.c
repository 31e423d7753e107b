/* SPDX-License-Identifier: MIT */
/*
 * sysreg: the CP15 accesses Keel traps and emulates (ACTLR, L2CTLR, set/way
 * cache maintenance, IMPLEMENTATION DEFINED c15 reads), one it refuses (a
 * c15 write, which must arrive as an undefined instruction in the guest's
 * own handler), the generic timer's physical side (the counter reads as the
 * partition's own virtual count, the physical timer is refused), and
 * WFI/WFE, which must return.
 */
#include "guest.h"
#include "gic.h"

static volatile unsigned undef_count;
static volatile uint32_t undef_lr, undef_spsr;

static void on_undef(struct exc_frame *f)
{
	undef_count++;
	undef_lr = f->lr;
	undef_spsr = f->spsr;
	/* LR_und points at the next instruction (ARM: undefined insn + 4). */
	exc_resume_at(f, f->lr);
}

int main(void)
{
	uint32_t v, v2, l2ctlr, midr;
	uint32_t refused_pc;

	exc_set_handler(EXC_UNDEF, on_undef);

	__asm__ volatile("mrc p15, 0, %0, c1, c0, 1" : "=r"(v));        /* ACTLR */
	__asm__ volatile("mcr p15, 0, %0, c1, c0, 1" : : "r"(v ^ 0x40)); /* ignored */
	__asm__ volatile("mrc p15, 0, %0, c1, c0, 1" : "=r"(v2));
	CHECK_EQ("actlr_write_ignored", v2, v);

	__asm__ volatile("mrc p15, 1, %0, c9, c0, 2" : "=r"(l2ctlr));   /* L2CTLR */
	CHECK_EQ("l2ctlr_one_cpu", (l2ctlr >> 24) & 3, 0);

	__asm__ volatile("mrc p15, 0, %0, c0, c0, 0" : "=r"(midr));     /* VPIDR */
	CHECK("midr_arm_a15_or_a7", (midr >> 24) == 0x41);

	__asm__ volatile("mcr p15, 0, %0, c7, c14, 2" : : "r"(0));      /* DCCISW */
	__asm__ volatile("mcr p15, 0, %0, c7, c10, 2" : : "r"(0));      /* DCCSW */
	__asm__ volatile("mcr p15, 0, %0, c7, c6, 2" : : "r"(0));       /* DCISW */
	CHECK_EQ("set_way_ops_emulated", undef_count, 0);

	__asm__ volatile("mrc p15, 4, %0, c15, c0, 0" : "=r"(v));       /* CBAR: c15 */
	CHECK_EQ("c15_read_as_zero", v, 0);
	CHECK_EQ("c15_no_undef", undef_count, 0);

	/* A write to c15 is trapped (HSTR.T15) and refused: undefined. */
	__asm__ volatile("adr %0, 1f\n"
			 "1: mcr p15, 4, %0, c15, c0, 0\n" : "=&r"(refused_pc));
	CHECK_EQ("c15_write_undef_taken", undef_count, 1);
	CHECK_EQ("c15_write_undef_lr", undef_lr, refused_pc + 4);
	CHECK_EQ("c15_write_undef_from_svc", undef_spsr & 0x1f, 0x13);

	/* The physical counter: trapped, and the partition's own time base. */
	{
		uint64_t v0, p, v1;
		unsigned undefs = undef_count;

		__asm__ volatile("isb; mrrc p15, 1, %Q0, %R0, c14" : "=r"(v0));   /* CNTVCT */
		__asm__ volatile("isb; mrrc p15, 0, %Q0, %R0, c14" : "=r"(p));    /* CNTPCT */
		__asm__ volatile("isb; mrrc p15, 1, %Q0, %R0, c14" : "=r"(v1));
		CHECK("cntpct_is_virtual_count", v0 <= p && p <= v1);
		CHECK("cntpct_since_partition_start", p < 62500000ull * 60);  /* < 1 min of ticks */
		__asm__ volatile("mcr p15, 0, %0, c14, c2, 1" : : "r"(1));     /* CNTP_CTL */
		CHECK_EQ("cntp_ctl_write_refused", undef_count, undefs + 1);
		__asm__ volatile("mrc p15, 0, %0, c14, c2, 0" : "=r"(v));    /* CNTP_TVAL */
		CHECK_EQ("cntp_tval_read_refused", undef_count, undefs + 2);
	}

	/* WFI waits for an interrupt: let the virtual timer provide one (IRQs stay
	 * masked in CPSR, which does not stop WFI from waking). */
	gic_enable(VTIMER_IRQ);
	vtimer_start(62500);                                 /* ~1 ms */
	__asm__ volatile("wfi");
	test_pass("wfi_returns");
	v = gic_ack();
	CHECK_EQ("wfi_woken_by_vtimer_irq", v & 0x3ff, VTIMER_IRQ);
	vtimer_stop();
	gic_eoi(v);
	v = gic_ack();
	CHECK_EQ("vtimer_irq_done_after_eoi", v & 0x3ff, IRQ_SPURIOUS);
	__asm__ volatile("wfe");
	test_pass("wfe_returns");
	return test_summary();
}
