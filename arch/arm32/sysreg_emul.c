/* SPDX-License-Identifier: MIT */
/*
 * The CP15 accesses Keel traps (HCR.TAC, TSW, TIDCP; HSTR.T15) and what a
 * guest sees for each: ACTLR reads the real value and ignores writes (its
 * bits are the platform's, not a partition's); set/way cache maintenance is
 * done on this CPU for the guest; the IMPLEMENTATION DEFINED registers read
 * as the hardware's where a guest needs them (L2CTLR, with the partition's
 * CPU count) and as zero otherwise, and ignore writes, except in c15,
 * where no writable state is offered. Anything else is refused and the
 * caller injects an undefined-instruction exception.
 *
 * The generic timer (CNTHCTL traps PL1's physical timer and counter): the
 * physical counter reads as the partition's own, the virtual count, so a
 * guest sees one time base that started when the partition did and cannot
 * learn the board's uptime; the physical timer is Keel's to give, and a
 * partition gets the virtual one (its DTB's timer node is for that), so the
 * physical timer's registers are refused.
 * (QEMU 7.2 implements the HCR.TAC and HSTR traps, not TSW or TIDCP.)
 */
#include <keel/arch.h>
#include <keel/vcpu.h>
#include <keel/vm.h>
#include <arch/ldst_decode.h>
#include <arch/regs.h>
#include <arch/sysreg.h>

/*
 * An MCR/MRC's register as it stands in the HSR (B3.13.6: opc2 [19:17],
 * opc1 [16:14], CRn [13:10], CRm [4:1]), so the syndrome is matched without
 * taking it apart first.
 */
#define CP15(opc1, crn, crm, opc2) (((opc2) << 17) | ((opc1) << 14) | ((crn) << 10) | ((crm) << 1))
#define CP15_MASK                  CP15(7, 15, 15, 7)

static uint32_t l2ctlr_for(const struct vcpu *v)
{
	uint32_t l2ctlr;

	__asm__ volatile("mrc p15, 1, %0, c9, c0, 2" : "=r"(l2ctlr));
	/* Cortex-A15/A7 L2CTLR[25:24]: number of CPUs - 1 */
	return (l2ctlr & ~(3u << 24)) | (((v->vm->nr_vcpus - 1) & 3) << 24);
}

/* TIDCP's IMPLEMENTATION DEFINED space (B4.1.65 HCR.TIDCP) and c15. */
static bool impl_defined(unsigned crn, unsigned crm)
{
	switch (crn) {
	case 9:  return crm <= 2 || (crm >= 5 && crm <= 8);
	case 10: return crm == 0 || crm == 1 || crm == 4 || crm == 8;
	case 11: return crm <= 8 || crm == 15;
	case 15: return true;
	default: return false;
	}
}

static bool emulate_cp15_32(struct vcpu *v, uint32_t hsr)
{
	unsigned rt = HSR_CP32_RT(hsr);
	bool read = hsr & HSR_CP_READ;
	uint32_t key = hsr & CP15_MASK, val = 0;

	/*
	 * ACTLR, the one register here guests read in passing (Linux's errata
	 * checks, HCR.TAC's reason to exist), first: one compare, not the
	 * switch's search.
	 */
	if (key == CP15(0, 1, 0, 1)) {
		if (read)
			val = read_ACTLR();
		goto done;
	}
	switch (key) {
	case CP15(0, 7, 6, 2):           /* DCISW: invalidating could lose others' data */
	case CP15(0, 7, 14, 2):          /* DCCISW */
		if (!read)
			dccisw(vcpu_reg(v, rt));
		break;
	case CP15(0, 7, 10, 2):          /* DCCSW */
		if (!read)
			dccsw(vcpu_reg(v, rt));
		break;
	case CP15(1, 9, 0, 2):           /* L2CTLR */
		if (read)
			val = l2ctlr_for(v);
		break;
	default:
		/* c15 writes: Keel gives a guest no writable IMP DEF state. */
		if (!impl_defined(HSR_CP32_CRN(hsr), HSR_CP32_CRM(hsr)) ||
		    (HSR_CP32_CRN(hsr) == 15 && !read))
			return false;
		break;                   /* RAZ/WI */
	}
done:
	if (read) {
		if (rt == 15) {  /* MRC to APSR_nzcv */
			v->arch.regs.cpsr = (v->arch.regs.cpsr & 0x0fffffffu) | (val & 0xf0000000u);
		} else {
			vcpu_set_reg(v, rt, val);
		}
	}
	return true;
}

/* MRRC/MCRR: only the physical counter, read. */
static bool emulate_cp15_64(struct vcpu *v, uint32_t hsr)
{
	uint64_t count;

	if (HSR_CP64_OPC1(hsr) != 0 || HSR_CP64_CRM(hsr) != 14 || !(hsr & HSR_CP_READ))
		return false;                    /* CNTP_CVAL (opc1 2) and writes */
	count = read_CNTPCT() - v->vm->arch.cntvoff;
	vcpu_set_reg(v, HSR_CP64_RT(hsr), (uint32_t)count);
	vcpu_set_reg(v, HSR_CP64_RT2(hsr), (uint32_t)(count >> 32));
	return true;
}

bool arch_emulate_sysreg(struct vcpu *v)
{
	uint32_t hsr = v->arch.trap.hsr;
	bool done;

	switch (HSR_EC(hsr)) {
	case HSR_EC_CP15_32: done = emulate_cp15_32(v, hsr); break;
	case HSR_EC_CP15_64: done = emulate_cp15_64(v, hsr); break;
	default: done = false; break;
	}
	/* Coprocessor instructions are 32-bit in ARM and Thumb alike: no IL test. */
	if (done)
		arch_vcpu_step(v, 4);
	return done;
}
