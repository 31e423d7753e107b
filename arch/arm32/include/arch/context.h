/* SPDX-License-Identifier: MIT */
/*
 * A vCPU's architectural state, embedded in core's struct vcpu (Bao's
 * "arch twin"). Core code may hold it but never looks inside: it goes
 * through the arch_* functions in <keel/arch.h>.
 *
 * Two tiers, so the common trap stays cheap:
 *  - arch_regs: r0-r12, LR_usr, PC, CPSR. Saved by the vector on every trap
 *    (Hyp mode shares LR with User/System mode, so C code clobbers LR_usr).
 *  - banked registers of the PL1 modes and the guest's CP15 state: these stay
 *    live in the CPU while the vCPU is loaded, Hyp code never touches them, and
 *    they are saved only when the vCPU is put (switched out or stopped).
 */
#ifndef ARCH_CONTEXT_H
#define ARCH_CONTEXT_H

/* Offsets into struct arch_regs, shared with the assembly world switch. */
#define REGS_R0     0
#define REGS_LR     (13 * 4)
#define REGS_PC     (14 * 4)
#define REGS_CPSR   (15 * 4)
#define REGS_SIZE   (16 * 4)

/* Offsets into struct arch_vfp, shared with vfp.S. */
#define VFP_FPSCR   256
#define VFP_FPEXC   260

/* Offsets into struct pcpu (see <arch/percpu.h>). */
#define PCPU_HYP_SP 0

#ifndef __ASSEMBLY__
#include <stdint.h>
#include <stdbool.h>

struct arch_regs {
	uint32_t r[13];
	uint32_t lr_usr;
	uint32_t pc;
	uint32_t cpsr;
};

struct arch_banked {
	uint32_t sp_usr;
	uint32_t sp_svc, lr_svc, spsr_svc;
	uint32_t sp_abt, lr_abt, spsr_abt;
	uint32_t sp_und, lr_und, spsr_und;
	uint32_t sp_irq, lr_irq, spsr_irq;
	uint32_t sp_fiq, lr_fiq, spsr_fiq;
	uint32_t r8_fiq, r9_fiq, r10_fiq, r11_fiq, r12_fiq;
};

/* The CP15 registers a guest owns (B4.1: the PL1 "Non-secure" copies). */
struct arch_cp15 {
	uint32_t sctlr, cpacr, ttbcr, dacr;
	uint64_t ttbr0, ttbr1, par;
	uint32_t dfsr, ifsr, adfsr, aifsr, dfar, ifar;
	uint32_t prrr, nmrr, amair0, amair1;
	uint32_t vbar, contextidr, tpidrurw, tpidruro, tpidrprw;
	uint32_t csselr, cntkctl;
	uint32_t cntv_ctl;
	uint64_t cntv_cval;
};

/* What the hardware told us about the last trap (read once per trap). */
struct arch_trap {
	uint32_t hsr;
	uint32_t hdfar;
	uint32_t hifar;
	uint32_t hpfar;
};

/* VFP/NEON state, switched lazily: see arch/arm32/vfp.c. */
struct arch_vfp {
	uint64_t d[32];
	uint32_t fpscr;
	uint32_t fpexc;
};

#define ARCH_VIRQ_SLOTS 16              /* list registers Keel uses at most */

/* The GIC virtual interface of a vCPU, saved while it is not loaded. */
struct arch_vgic {
	uint32_t lr[ARCH_VIRQ_SLOTS];
	uint32_t vmcr, apr;
};

struct arch_vcpu {
	struct arch_regs regs;       /* first: the vector stores into it */
	struct arch_banked banked;
	struct arch_cp15 cp15;
	struct arch_trap trap;
	struct arch_vgic vgic;
	struct arch_vfp vfp;         /* valid while this vCPU does not own the VFP */
	uint32_t vmpidr;
	uint32_t hcr;
	uint64_t vttbr;
	bool loaded;                 /* banked + cp15 live in the CPU */
};

/* r0-r7 are banked in no mode: where the world switch keeps them (hot paths). */
#define ARCH_UNBANKED_REGS 8
static inline uint32_t *arch_unbanked_reg(struct arch_vcpu *a, unsigned n)
{
	return &a->regs.r[n];
}

#endif
#endif
