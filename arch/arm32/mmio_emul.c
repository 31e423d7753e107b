/* SPDX-License-Identifier: MIT */
/*
 * Emulating the load or store behind a stage-2 data abort on an emulated
 * device. With HSR.ISV = 1 the syndrome says everything (size, register,
 * sign extension, direction). With ISV = 0 (writeback forms, LDRD/STRD) Keel
 * reads the guest's instruction through the guest's own stage 1 (ATS1CPR)
 * and its stage 2, decodes it (ldst_decode.c) and checks that the decoded
 * address is the one that faulted before touching any device: an instruction
 * Keel does not fully understand stops the partition, it is never guessed.
 */
#include <keel/arch.h>
#include <keel/printf.h>
#include <keel/mem.h>
#include <keel/vcpu.h>
#include <keel/vm.h>
#include <arch/ldst_decode.h>
#include <arch/regs.h>
#include <arch/sysreg.h>

/* Guest VA -> IPA with the guest's stage 1 (works with its MMU off too). */
static bool guest_va_to_ipa(struct vcpu *v, uint32_t va, ipa_t *ipa)
{
	uint64_t saved = read_PAR(), par;

	__asm__ volatile("mcr p15, 0, %0, c7, c8, 0" : : "r"(va));  /* ATS1CPR */
	isb();
	par = read_PAR();
	write_PAR(saved);   /* PAR belongs to the guest */
	(void)v;
	if (par & 1)
		return false;
	if (par & (1u << 11))   /* long-descriptor format result */
		*ipa = (par & 0xfffffff000ull) | (va & 0xfff);
	else
		*ipa = (par & 0xfffff000u) | (va & 0xfff);
	return true;
}

static bool read_guest_half(struct vcpu *v, uint32_t va, uint16_t *out)
{
	ipa_t ipa;
	paddr_t pa;

	if (!guest_va_to_ipa(v, va, &ipa) || arch_vm_translate(v->vm, ipa, &pa))
		return false;
	*out = *(const volatile uint16_t *)phys_to_virt(pa);
	return true;
}

static bool fetch_insn(struct vcpu *v, uint32_t pc, bool thumb, uint32_t *hw1, uint32_t *hw2)
{
	uint16_t a, b = 0;

	if (!read_guest_half(v, pc, &a))
		return false;
	if (!thumb || thumb_is_32bit(a)) {
		if (!read_guest_half(v, pc + 2, &b))
			return false;
	}
	if (thumb) {
		*hw1 = a;
		*hw2 = b;
	} else {
		*hw1 = (uint32_t)b << 16 | a;   /* little-endian word */
		*hw2 = 0;
	}
	return true;
}

static uint32_t size_mask(unsigned size)
{
	return size >= 4 ? 0xffffffffu : (1u << (size * 8)) - 1;
}

__attribute__((always_inline)) inline bool arch_mmio_from_syndrome(struct vcpu *v,
								   struct mmio_access *a,
								   bool check_decoder)
{
	uint32_t hsr = v->arch.trap.hsr;
	unsigned size = 1u << HSR_DABT_SAS(hsr);

	if (!(hsr & HSR_DABT_ISV) || check_decoder)
		return false;
	a->addr = v->exit.ipa;
	a->size = size;
	a->is_write = v->exit.write;
	/* A read starts at 0: a device that sets no value must not show Keel's stack. */
	a->value = a->is_write ? vcpu_reg(v, HSR_DABT_SRT(hsr)) & size_mask(size) : 0;
	return true;
}

__attribute__((always_inline)) inline void arch_mmio_syndrome_done(struct vcpu *v,
								   const struct mmio_access *a)
{
	uint32_t hsr = v->arch.trap.hsr;

	if (!a->is_write) {
		unsigned size = a->size;
		uint32_t val = a->value & size_mask(size);

		if ((hsr & HSR_DABT_SSE) && size < 4 && (val >> (size * 8 - 1)))
			val |= ~size_mask(size);
		vcpu_set_reg(v, HSR_DABT_SRT(hsr), val);
	}
	arch_vcpu_skip_insn(v);
}

/* With ISV = 1 and check_decoder on: the decoder must agree with the hardware. */
static bool matches_syndrome(const struct ldst_insn *d, uint32_t hsr)
{
	return !d->pair && d->size == (1u << HSR_DABT_SAS(hsr)) &&
	       d->rt == HSR_DABT_SRT(hsr) && d->is_load == !(hsr & HSR_DABT_WNR) &&
	       d->sign_extend == !!(hsr & HSR_DABT_SSE);
}

static const char *ldst_why(enum ldst_result r)
{
	return r == LDST_UNPREDICTABLE ? "an UNPREDICTABLE load/store form"
				       : "not a single or dual load/store";
}

/* No syndrome (or checking the decoder): from the guest's instruction. */
__attribute__((noinline)) enum mmio_emul arch_emulate_mmio(struct vcpu *v, mmio_bus_fn bus,
							   void *ctx, char *why, size_t why_len)
{
	struct arch_regs *r = &v->arch.regs;
	uint32_t hsr = v->arch.trap.hsr;
	bool thumb = r->cpsr & PSR_T;
	struct ldst_insn d;
	enum ldst_result res;
	uint32_t hw1, hw2, rn_val, offset, addr;
	struct mmio_access acc[2];
	unsigned n;

	if (!fetch_insn(v, r->pc, thumb, &hw1, &hw2)) {
		snprintf(why, why_len, "cannot read the instruction at pc 0x%08x", r->pc);
		return MMIO_EMUL_UNDECODABLE;
	}
	res = thumb ? ldst_decode_thumb(hw1, hw2, &d) : ldst_decode_arm(hw1, &d);
	if (res != LDST_OK) {
		if (thumb && thumb_is_32bit(hw1))
			snprintf(why, why_len, "cannot emulate Thumb instruction %04x %04x at pc 0x%08x: %s",
				 hw1, hw2, r->pc, ldst_why(res));
		else
			snprintf(why, why_len, "cannot emulate %s instruction 0x%0*x at pc 0x%08x: %s",
				 thumb ? "Thumb" : "ARM", thumb ? 4 : 8, hw1, r->pc, ldst_why(res));
		return MMIO_EMUL_UNDECODABLE;
	}
	if ((hsr & HSR_DABT_ISV) && !matches_syndrome(&d, hsr)) {
		snprintf(why, why_len, "decoder disagrees with the syndrome for 0x%08x at pc 0x%08x "
			 "(HSR 0x%08x)", thumb ? (hw1 << 16 | hw2) : hw1, r->pc, hsr);
		return MMIO_EMUL_UNDECODABLE;
	}

	/* PC as a base reads as Align(PC, 4) + 8 (ARM) or + 4 (Thumb). */
	rn_val = d.rn == 15 ? (r->pc & ~3u) + (thumb ? 4 : 8) : arch_vcpu_get_reg(v, d.rn);
	offset = ldst_offset(&d, d.reg_offset ? arch_vcpu_get_reg(v, d.rm) : 0, r->cpsr & PSR_C);
	addr = ldst_address(&d, rn_val, offset);
	if (addr != v->arch.trap.hdfar) {
		snprintf(why, why_len, "decoded address 0x%08x is not the faulting address 0x%08x "
			 "(pc 0x%08x)", addr, v->arch.trap.hdfar, r->pc);
		return MMIO_EMUL_UNDECODABLE;
	}
	n = d.pair ? 2 : 1;
	if (d.pair && (v->exit.ipa & 0xfff) > 0xff8) {
		snprintf(why, why_len, "LDRD/STRD at 0x%08x crosses a page", addr);
		return MMIO_EMUL_UNDECODABLE;
	}
	for (unsigned i = 0; i < n; i++) {
		acc[i] = (struct mmio_access){
			.addr = v->exit.ipa + 4 * i, .size = d.size, .is_write = !d.is_load,
		};
		if (acc[i].is_write)
			acc[i].value = arch_vcpu_get_reg(v, i ? d.rt2 : d.rt) & size_mask(d.size);
		if (bus(ctx, &acc[i]) != MMIO_OK)
			return MMIO_EMUL_FAULT;
	}
	/* Only now, with every access done, change the guest's registers. */
	if (d.is_load) {
		arch_vcpu_set_reg(v, d.rt, ldst_extend(&d, acc[0].value));
		if (d.pair)
			arch_vcpu_set_reg(v, d.rt2, acc[1].value);
	}
	if (d.wback)
		arch_vcpu_set_reg(v, d.rn, ldst_writeback(&d, rn_val, offset));
	arch_vcpu_step(v, d.len);
	v->stats.mmio_decoded++;
	return MMIO_EMUL_DONE;
}
