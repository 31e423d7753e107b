/* SPDX-License-Identifier: MIT */
/*
 * A vCPU on ARMv7: reset state, load/put of the state that stays live in the
 * CPU while the vCPU runs (banked registers of every PL1 mode, the guest's
 * CP15 registers, its virtual timer), the world switch call, turning HSR into
 * an arch-free exit, register access by the guest's mode, and injecting
 * aborts and undefined-instruction exceptions as the hardware would.
 */
#include <keel/arch.h>
#include <keel/console.h>
#include <keel/vcpu.h>
#include <keel/vm.h>
#include <arch/ldst_decode.h>
#include <arch/percpu.h>
#include <arch/regs.h>
#include <arch/sysreg.h>

unsigned arch_enter_guest(struct arch_regs *regs);
void virq_load(struct arch_vgic *g);
void virq_put(struct arch_vgic *g);
void vfp_on_load(struct vcpu *v);

#define GUEST_HCR (HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | HCR_FB | \
		   HCR_BSU_IS | HCR_TWI | HCR_TWE | HCR_TSC | HCR_TIDCP |     \
		   HCR_TAC | HCR_TSW)

_Static_assert(__builtin_offsetof(struct vcpu, arch) == 0, "world switch addresses vcpu->arch");
_Static_assert(__builtin_offsetof(struct arch_vcpu, regs) == 0, "regs first");
_Static_assert(__builtin_offsetof(struct arch_regs, pc) == REGS_PC, "REGS_PC");
_Static_assert(__builtin_offsetof(struct arch_regs, cpsr) == REGS_CPSR, "REGS_CPSR");
_Static_assert(REGS_CPSR == REGS_PC + 4, "the world switch moves pc and cpsr with one LDRD/STRD");
_Static_assert(__builtin_offsetof(struct arch_regs, lr_usr) == REGS_LR, "REGS_LR");
_Static_assert(__builtin_offsetof(struct pcpu, hyp_sp) == PCPU_HYP_SP, "PCPU_HYP_SP");

void arch_vcpu_reset(struct vcpu *v, uint32_t entry, uint32_t r0, uint32_t r1, uint32_t r2)
{
	struct arch_vcpu *a = &v->arch;
	bool was_loaded = a->loaded;

	a->regs = (struct arch_regs){ 0 };
	a->regs.r[0] = r0;
	a->regs.r[1] = r1;
	a->regs.r[2] = r2;
	a->regs.pc = entry;
	/* As after reset: Supervisor mode, ARM state, asynchronous exceptions masked. */
	a->regs.cpsr = PSR_MODE_SVC | PSR_A | PSR_I | PSR_F;
	a->banked = (struct arch_banked){ 0 };
	a->cp15 = (struct arch_cp15){ .sctlr = SCTLR_RESET };
	a->vgic = (struct arch_vgic){ 0 };
	arch_vfp_release(v);
	/* MPIDR: multiprocessing format (bit 31), Aff0 = vCPU index. */
	a->vmpidr = (1u << 31) | v->idx;
	a->hcr = GUEST_HCR;
	a->vttbr = v->vm->arch.s2.root_pa | ((uint64_t)v->vm->vmid << VTTBR_VMID_SHIFT);
	if (was_loaded) {
		a->loaded = false;
		arch_vcpu_load(v);
	}
}

void arch_vcpu_load(struct vcpu *v)
{
	const struct arch_banked *b = &v->arch.banked;
	const struct arch_cp15 *c = &v->arch.cp15;

	write_SP_usr(b->sp_usr);
	write_SP_svc(b->sp_svc); write_LR_svc(b->lr_svc); write_SPSR_svc(b->spsr_svc);
	write_SP_abt(b->sp_abt); write_LR_abt(b->lr_abt); write_SPSR_abt(b->spsr_abt);
	write_SP_und(b->sp_und); write_LR_und(b->lr_und); write_SPSR_und(b->spsr_und);
	write_SP_irq(b->sp_irq); write_LR_irq(b->lr_irq); write_SPSR_irq(b->spsr_irq);
	write_SP_fiq(b->sp_fiq); write_LR_fiq(b->lr_fiq); write_SPSR_fiq(b->spsr_fiq);
	write_R8_fiq(b->r8_fiq); write_R9_fiq(b->r9_fiq); write_R10_fiq(b->r10_fiq);
	write_R11_fiq(b->r11_fiq); write_R12_fiq(b->r12_fiq);

	write_VTTBR(v->arch.vttbr);
	write_CNTVOFF(v->vm->arch.cntvoff);
	virq_load(&v->arch.vgic);
	write_VMPIDR(v->arch.vmpidr);
	write_HCR(v->arch.hcr);
	isb();
	write_CSSELR(c->csselr);
	write_SCTLR(c->sctlr);
	write_CPACR(c->cpacr);
	write_TTBR0(c->ttbr0);
	write_TTBR1(c->ttbr1);
	write_TTBCR(c->ttbcr);
	write_DACR(c->dacr);
	write_DFSR(c->dfsr); write_IFSR(c->ifsr);
	write_ADFSR(c->adfsr); write_AIFSR(c->aifsr);
	write_DFAR(c->dfar); write_IFAR(c->ifar);
	write_PAR(c->par);
	write_PRRR(c->prrr); write_NMRR(c->nmrr);
	write_AMAIR0(c->amair0); write_AMAIR1(c->amair1);
	write_VBAR(c->vbar);
	write_CONTEXTIDR(c->contextidr);
	write_TPIDRURW(c->tpidrurw); write_TPIDRURO(c->tpidruro); write_TPIDRPRW(c->tpidrprw);
	write_CNTKCTL(c->cntkctl);
	write_CNTV_CVAL(c->cntv_cval);
	write_CNTV_CTL(c->cntv_ctl);
	isb();
	v->arch.loaded = true;
	this_pcpu()->current = v;
	vfp_on_load(v);
}

void arch_vcpu_put(struct vcpu *v)
{
	struct arch_banked *b = &v->arch.banked;
	struct arch_cp15 *c = &v->arch.cp15;

	if (!v->arch.loaded)
		return;
	b->sp_usr = read_SP_usr();
	b->sp_svc = read_SP_svc(); b->lr_svc = read_LR_svc(); b->spsr_svc = read_SPSR_svc();
	b->sp_abt = read_SP_abt(); b->lr_abt = read_LR_abt(); b->spsr_abt = read_SPSR_abt();
	b->sp_und = read_SP_und(); b->lr_und = read_LR_und(); b->spsr_und = read_SPSR_und();
	b->sp_irq = read_SP_irq(); b->lr_irq = read_LR_irq(); b->spsr_irq = read_SPSR_irq();
	b->sp_fiq = read_SP_fiq(); b->lr_fiq = read_LR_fiq(); b->spsr_fiq = read_SPSR_fiq();
	b->r8_fiq = read_R8_fiq(); b->r9_fiq = read_R9_fiq(); b->r10_fiq = read_R10_fiq();
	b->r11_fiq = read_R11_fiq(); b->r12_fiq = read_R12_fiq();

	c->csselr = read_CSSELR();
	c->sctlr = read_SCTLR();
	c->cpacr = read_CPACR();
	c->ttbr0 = read_TTBR0();
	c->ttbr1 = read_TTBR1();
	c->ttbcr = read_TTBCR();
	c->dacr = read_DACR();
	c->dfsr = read_DFSR(); c->ifsr = read_IFSR();
	c->adfsr = read_ADFSR(); c->aifsr = read_AIFSR();
	c->dfar = read_DFAR(); c->ifar = read_IFAR();
	c->par = read_PAR();
	c->prrr = read_PRRR(); c->nmrr = read_NMRR();
	c->amair0 = read_AMAIR0(); c->amair1 = read_AMAIR1();
	c->vbar = read_VBAR();
	c->contextidr = read_CONTEXTIDR();
	c->tpidrurw = read_TPIDRURW(); c->tpidruro = read_TPIDRURO(); c->tpidrprw = read_TPIDRPRW();
	c->cntkctl = read_CNTKCTL();
	c->cntv_ctl = read_CNTV_CTL();
	c->cntv_cval = read_CNTV_CVAL();
	/* A stopped timer must not fire into the next vCPU. */
	write_CNTV_CTL(0);
	virq_put(&v->arch.vgic);
	v->arch.loaded = false;
	this_pcpu()->current = NULL;
}

/* What every abort exit needs; the rest waits for arch_exit_fault_detail(). */
static void decode_abort(struct vcpu *v, uint32_t hsr, uint32_t far)
{
	struct vcpu_exit *e = &v->exit;

	/* HPFAR holds IPA[39:12] in bits [31:4]; the page offset comes from the VA. */
	e->ipa = ((ipa_t)(v->arch.trap.hpfar & ~0xfu) << 8) | (far & 0xfff);
	e->s1ptw = hsr & HSR_DABT_S1PTW;
}

void arch_exit_fault_detail(struct vcpu *v)
{
	struct vcpu_exit *e = &v->exit;
	const struct arch_trap *t = &v->arch.trap;

	e->va = e->reason == EXIT_DABT ? t->hdfar : t->hifar;
	e->permission = (HSR_xABT_FSC(t->hsr) & FSC_TYPE_MASK) == FSC_PERMISSION;
}

void arch_vcpu_run(struct vcpu *v)
{
	struct arch_trap *t = &v->arch.trap;
	struct vcpu_exit *e = &v->exit;
	unsigned kind = arch_enter_guest(&v->arch.regs);
	uint32_t hsr;

	/* Only the fields the reason uses are set (struct vcpu_exit says which). */
	if (kind != 0) {
		/* No syndrome for an interrupt: forget the last trap's, so nothing
		 * (condition check, instruction skip) acts on stale state. */
		t->hsr = 0;
		e->reason = kind == 1 ? EXIT_IRQ : EXIT_FIQ;
		return;
	}
	t->hsr = hsr = read_HSR();
	switch (HSR_EC(hsr)) {
	case HSR_EC_WFX:
		e->reason = (hsr & HSR_WFX_WFE) ? EXIT_WFE : EXIT_WFI;
		break;
	case HSR_EC_CP15_32:
	case HSR_EC_CP15_64:
	case HSR_EC_CP14_32:
	case HSR_EC_CP14_LS:
	case HSR_EC_CP14_64:
		e->reason = EXIT_SYSREG;
		break;
	case HSR_EC_HVC:
		e->reason = EXIT_HVC;
		break;
	case HSR_EC_SMC:
		e->reason = EXIT_SMC;
		break;
	case HSR_EC_HCPTR:
		e->reason = EXIT_VFP;
		break;
	case HSR_EC_DABT:
		e->reason = EXIT_DABT;
		t->hdfar = read_HDFAR();
		t->hpfar = read_HPFAR();
		decode_abort(v, hsr, t->hdfar);
		e->write = hsr & HSR_DABT_WNR;
		break;
	case HSR_EC_IABT:
		e->reason = EXIT_IABT;
		t->hifar = read_HIFAR();
		t->hpfar = read_HPFAR();
		decode_abort(v, hsr, t->hifar);
		break;
	default:
		e->reason = EXIT_UNDEF;
		break;
	}
}

bool arch_vcpu_timer_deadline(const struct vcpu *v, uint64_t *ticks)
{
	uint32_t ctl = v->arch.cp15.cntv_ctl;

	/* CNTV_CTL: ENABLE (bit 0) set and IMASK (bit 1) clear */
	if (v->arch.loaded || (ctl & 3) != 1)
		return false;
	*ticks = v->arch.cp15.cntv_cval + v->vm->arch.cntvoff;
	return true;
}

uint32_t arch_vcpu_pc(const struct vcpu *v)
{
	return v->arch.regs.pc;
}

/* The banked SP or LR (which = 13, 14) of the guest's current mode. */
static uint32_t banked_get(struct vcpu *v, unsigned which)
{
	const struct arch_banked *b = &v->arch.banked;
	bool live = v->arch.loaded;
	bool sp = which == 13;

	switch (v->arch.regs.cpsr & PSR_MODE_MASK) {
	case PSR_MODE_USR:
	case PSR_MODE_SYS:
		return sp ? (live ? read_SP_usr() : b->sp_usr) : v->arch.regs.lr_usr;
	case PSR_MODE_FIQ:
		return sp ? (live ? read_SP_fiq() : b->sp_fiq) : (live ? read_LR_fiq() : b->lr_fiq);
	case PSR_MODE_IRQ:
		return sp ? (live ? read_SP_irq() : b->sp_irq) : (live ? read_LR_irq() : b->lr_irq);
	case PSR_MODE_ABT:
		return sp ? (live ? read_SP_abt() : b->sp_abt) : (live ? read_LR_abt() : b->lr_abt);
	case PSR_MODE_UND:
		return sp ? (live ? read_SP_und() : b->sp_und) : (live ? read_LR_und() : b->lr_und);
	default: /* SVC; Hyp and Monitor cannot trap to us */
		return sp ? (live ? read_SP_svc() : b->sp_svc) : (live ? read_LR_svc() : b->lr_svc);
	}
}

static void banked_set(struct vcpu *v, unsigned which, uint32_t val)
{
	struct arch_banked *b = &v->arch.banked;
	bool live = v->arch.loaded;
	bool sp = which == 13;

	switch (v->arch.regs.cpsr & PSR_MODE_MASK) {
	case PSR_MODE_USR:
	case PSR_MODE_SYS:
		if (!sp)
			v->arch.regs.lr_usr = val;
		else if (live)
			write_SP_usr(val);
		else
			b->sp_usr = val;
		break;
	case PSR_MODE_FIQ:
		if (live)
			sp ? write_SP_fiq(val) : write_LR_fiq(val);
		else
			*(sp ? &b->sp_fiq : &b->lr_fiq) = val;
		break;
	case PSR_MODE_IRQ:
		if (live)
			sp ? write_SP_irq(val) : write_LR_irq(val);
		else
			*(sp ? &b->sp_irq : &b->lr_irq) = val;
		break;
	case PSR_MODE_ABT:
		if (live)
			sp ? write_SP_abt(val) : write_LR_abt(val);
		else
			*(sp ? &b->sp_abt : &b->lr_abt) = val;
		break;
	case PSR_MODE_UND:
		if (live)
			sp ? write_SP_und(val) : write_LR_und(val);
		else
			*(sp ? &b->sp_und : &b->lr_und) = val;
		break;
	default:
		if (live)
			sp ? write_SP_svc(val) : write_LR_svc(val);
		else
			*(sp ? &b->sp_svc : &b->lr_svc) = val;
		break;
	}
}

/* r8-r12 of FIQ mode are banked too. */
static uint32_t *fiq_slot(struct vcpu *v, unsigned n)
{
	return &(&v->arch.banked.r8_fiq)[n - 8];
}

uint32_t arch_vcpu_get_reg(struct vcpu *v, unsigned n)
{
	bool fiq = (v->arch.regs.cpsr & PSR_MODE_MASK) == PSR_MODE_FIQ;

	if (n == 15)
		return v->arch.regs.pc;
	if (n >= 13)
		return banked_get(v, n);
	if (n >= 8 && fiq) {
		if (!v->arch.loaded)
			return *fiq_slot(v, n);
		switch (n) {
		case 8: return read_R8_fiq();
		case 9: return read_R9_fiq();
		case 10: return read_R10_fiq();
		case 11: return read_R11_fiq();
		default: return read_R12_fiq();
		}
	}
	return v->arch.regs.r[n];
}

void arch_vcpu_set_reg(struct vcpu *v, unsigned n, uint32_t val)
{
	bool fiq = (v->arch.regs.cpsr & PSR_MODE_MASK) == PSR_MODE_FIQ;

	if (n == 15) {
		v->arch.regs.pc = val;
	} else if (n >= 13) {
		banked_set(v, n, val);
	} else if (n >= 8 && fiq) {
		if (!v->arch.loaded) {
			*fiq_slot(v, n) = val;
			return;
		}
		switch (n) {
		case 8: write_R8_fiq(val); break;
		case 9: write_R9_fiq(val); break;
		case 10: write_R10_fiq(val); break;
		case 11: write_R11_fiq(val); break;
		default: write_R12_fiq(val); break;
		}
	} else {
		v->arch.regs.r[n] = val;
	}
}

uint32_t arch_exit_syndrome(const struct vcpu *v)
{
	return v->arch.trap.hsr;
}

__attribute__((always_inline)) inline void arch_vcpu_step(struct vcpu *v, unsigned len)
{
	struct arch_regs *r = &v->arch.regs;

	r->pc += len;
	if (r->cpsr & PSR_T)
		r->cpsr = cpsr_it_advance(r->cpsr);
}

void arch_vcpu_skip_insn(struct vcpu *v)
{
	arch_vcpu_step(v, (v->arch.trap.hsr & HSR_IL) ? 4 : 2);
}

static __attribute__((noinline)) bool cond_failed_slow(const struct vcpu *v, uint32_t hsr)
{
	uint32_t cpsr = v->arch.regs.cpsr;
	unsigned ec = HSR_EC(hsr), cond;

	/* Only these classes can trap a conditional instruction (B3.13.6). */
	if (ec < HSR_EC_WFX || ec > HSR_EC_CP14_64)
		return false;
	if (hsr & HSR_CV) {
		cond = HSR_COND(hsr);
	} else {
		/* Thumb in an IT block: the condition is ITSTATE[7:4]. */
		uint32_t it = ((cpsr >> 8) & 0xfc) | ((cpsr >> 25) & 3);

		if (!(it & 0xf))
			return false;
		cond = it >> 4;
	}
	return !cond_passed(cond, cpsr);
}

bool arch_exit_cond_failed(const struct vcpu *v)
{
	uint32_t hsr = v->arch.trap.hsr;

	/* AL, the common case, in one test: small enough to inline into the exit path. */
	if ((hsr & (HSR_CV | (0xfu << 20))) == (HSR_CV | (0xeu << 20)))
		return false;
	return cond_failed_slow(v, hsr);
}

/* Enter a PL1 exception mode as the CPU does on taking an exception (B1.8.3). */
static void take_exception(struct vcpu *v, uint32_t mode, uint32_t vec, uint32_t lr)
{
	struct arch_regs *r = &v->arch.regs;
	uint32_t sctlr = v->arch.loaded ? read_SCTLR() : v->arch.cp15.sctlr;
	uint32_t vbar = v->arch.loaded ? read_VBAR() : v->arch.cp15.vbar;
	uint32_t old = r->cpsr;
	uint32_t cpsr = old & ~(PSR_MODE_MASK | PSR_T | PSR_E | PSR_J |
				PSR_IT_LO_MASK | PSR_IT_HI_MASK);

	cpsr |= mode | PSR_I;
	if (mode == PSR_MODE_ABT)
		cpsr |= PSR_A;
	if (sctlr & SCTLR_TE)
		cpsr |= PSR_T;
	if (sctlr & SCTLR_EE)
		cpsr |= PSR_E;
	r->cpsr = cpsr;
	/* The new mode's SPSR and LR are banked: write them for that mode. */
	switch (mode) {
	case PSR_MODE_ABT:
		v->arch.loaded ? write_SPSR_abt(old) : (void)(v->arch.banked.spsr_abt = old);
		break;
	default:
		v->arch.loaded ? write_SPSR_und(old) : (void)(v->arch.banked.spsr_und = old);
		break;
	}
	banked_set(v, 14, lr);   /* mode already switched: sets LR_<mode> */
	r->pc = ((sctlr & SCTLR_V) ? 0xffff0000u : vbar) + vec;
}

enum inject_result arch_inject_abort(struct vcpu *v, const struct vcpu_exit *e)
{
	bool lpae = (v->arch.loaded ? read_TTBCR() : v->arch.cp15.ttbcr) & TTBCR_EAE;
	bool data = e->reason == EXIT_DABT;
	uint32_t fsr, pc = v->arch.regs.pc;

	if ((v->arch.regs.cpsr & PSR_MODE_MASK) == PSR_MODE_ABT)
		return INJECT_NESTED;
	/*
	 * Nothing answers at that address: a synchronous external abort, or one
	 * on the guest's own translation table walk (B3.13.3 short-descriptor,
	 * B3.13.4 long-descriptor fault status encodings).
	 */
	if (lpae)
		fsr = (1u << 9) | (e->s1ptw ? 0x15 : 0x10);
	else
		fsr = e->s1ptw ? 0x0c : 0x08;
	if (data && e->write)
		fsr |= 1u << 11;   /* WnR */
	if (data) {
		if (v->arch.loaded) {
			write_DFSR(fsr);
			write_DFAR(e->va);
		} else {
			v->arch.cp15.dfsr = fsr;
			v->arch.cp15.dfar = e->va;
		}
		take_exception(v, PSR_MODE_ABT, VEC_DABT, pc + 8);
	} else {
		if (v->arch.loaded) {
			write_IFSR(fsr);
			write_IFAR(e->va);
		} else {
			v->arch.cp15.ifsr = fsr;
			v->arch.cp15.ifar = e->va;
		}
		take_exception(v, PSR_MODE_ABT, VEC_PABT, pc + 4);
	}
	return INJECT_OK;
}

void arch_inject_undef(struct vcpu *v)
{
	uint32_t pc = v->arch.regs.pc;

	/* LR_und = the undefined instruction + 4 (ARM) or + 2 (Thumb), B1.9.6. */
	take_exception(v, PSR_MODE_UND, VEC_UNDEF,
		       pc + ((v->arch.regs.cpsr & PSR_T) ? 2 : 4));
}

static const char *ec_name(unsigned ec)
{
	switch (ec) {
	case HSR_EC_UNKNOWN: return "unknown reason";
	case HSR_EC_WFX: return "WFI/WFE";
	case HSR_EC_CP15_32: return "MCR/MRC CP15";
	case HSR_EC_CP15_64: return "MCRR/MRRC CP15";
	case HSR_EC_CP14_32: return "MCR/MRC CP14";
	case HSR_EC_CP14_LS: return "LDC/STC CP14";
	case HSR_EC_HCPTR: return "CP10/CP11 access";
	case HSR_EC_CP14_64: return "MCRR/MRRC CP14";
	case HSR_EC_HVC: return "HVC";
	case HSR_EC_SMC: return "SMC";
	case HSR_EC_IABT: return "stage-2 prefetch abort";
	case HSR_EC_DABT: return "stage-2 data abort";
	default: return "other";
	}
}

void arch_vcpu_report(struct vcpu *v)
{
	struct arch_regs *r = &v->arch.regs;
	uint32_t hsr = v->arch.trap.hsr;

	printk("  pc=0x%08x cpsr=0x%08x (%s%s) HSR=0x%08x: EC 0x%02x %s, IL %u, ISS 0x%07x\n",
	       r->pc, r->cpsr, (r->cpsr & PSR_T) ? "Thumb " : "",
	       (r->cpsr & PSR_MODE_MASK) == PSR_MODE_ABT ? "Abort mode" :
	       (r->cpsr & PSR_MODE_MASK) == PSR_MODE_SVC ? "Supervisor mode" : "mode",
	       hsr, HSR_EC(hsr), ec_name(HSR_EC(hsr)), (hsr & HSR_IL) ? 32 : 16, HSR_ISS(hsr));
	printk("  r0=%08x r1=%08x r2=%08x r3=%08x r4=%08x r5=%08x r6=%08x r7=%08x\n",
	       r->r[0], r->r[1], r->r[2], r->r[3], r->r[4], r->r[5], r->r[6], r->r[7]);
	printk("  r8=%08x r9=%08x r10=%08x r11=%08x r12=%08x sp=%08x lr=%08x\n",
	       arch_vcpu_get_reg(v, 8), arch_vcpu_get_reg(v, 9), arch_vcpu_get_reg(v, 10),
	       arch_vcpu_get_reg(v, 11), arch_vcpu_get_reg(v, 12), arch_vcpu_get_reg(v, 13),
	       arch_vcpu_get_reg(v, 14));
}
