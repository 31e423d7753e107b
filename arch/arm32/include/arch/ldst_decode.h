/* SPDX-License-Identifier: MIT */
/*
 * Decoder for the single and dual load/store instructions a guest can aim at
 * an emulated device. Used when a stage-2 data abort arrives with HSR.ISV = 0
 * (writeback forms, LDRD/STRD), where the syndrome does not describe the
 * access and Keel must read the instruction itself.
 *
 * Pure functions of the instruction bits: no registers, no memory, so the
 * same file is unit-tested on the host. The caller supplies register values
 * to ldst_offset()/ldst_writeback() and applies the result.
 *
 * Covered (ARM and Thumb-2): LDR STR LDRB STRB LDRH STRH LDRSB LDRSH LDRD
 * STRD (and the unprivileged T forms) with immediate, register and
 * scaled-register offsets, offset / pre-indexed / post-indexed addressing.
 * Anything else, and every UNPREDICTABLE encoding (writeback with Rn == Rt,
 * Rn == PC with writeback, Rt == PC, ...), is refused: Keel never guesses.
 */
#ifndef ARCH_LDST_DECODE_H
#define ARCH_LDST_DECODE_H

#include <keel/types.h>

enum ldst_shift { LDST_LSL, LDST_LSR, LDST_ASR, LDST_ROR, LDST_RRX };

enum ldst_result {
	LDST_OK = 0,
	LDST_UNKNOWN,        /* not a load/store form this decoder handles */
	LDST_UNPREDICTABLE,  /* a load/store, but one the architecture leaves undefined */
};

struct ldst_insn {
	unsigned len;          /* instruction length in bytes: 2 or 4 */
	bool is_load;
	unsigned size;         /* bytes per register: 1, 2 or 4 */
	bool sign_extend;      /* LDRSB / LDRSH */
	bool pair;             /* LDRD / STRD: rt at address, rt2 at address + 4 */
	unsigned rt, rt2;
	unsigned rn;
	bool index;            /* P: offset applied before the access */
	bool add;              /* U: offset added (true) or subtracted */
	bool wback;            /* Rn is written back */
	bool reg_offset;       /* offset is Rm shifted, else imm */
	unsigned rm;
	enum ldst_shift shift_type;
	unsigned shift_n;      /* 0-31 (LSR/ASR #32 encoded as 32) */
	uint32_t imm;          /* immediate offset (already scaled) */
	bool unprivileged;     /* LDRT / STRT family */
};

/* Decode one A32 instruction. Returns LDST_OK and fills *out, or why not. */
enum ldst_result ldst_decode_arm(uint32_t insn, struct ldst_insn *out);

/*
 * Decode one T32 instruction: hw1 is the first halfword; hw2 the second,
 * looked at only when hw1 starts a 32-bit encoding.
 */
enum ldst_result ldst_decode_thumb(uint16_t hw1, uint16_t hw2, struct ldst_insn *out);

/* True when hw1 is the first halfword of a 32-bit Thumb instruction. */
bool thumb_is_32bit(uint16_t hw1);

/* The offset value: imm, or Rm shifted (carry_in is CPSR.C, used by RRX). */
uint32_t ldst_offset(const struct ldst_insn *d, uint32_t rm_val, bool carry_in);

/* Address accessed, from Rn's value (PC reads as the architecture says: the
 * caller passes Align(PC,4)+8/4 itself when rn == 15). */
uint32_t ldst_address(const struct ldst_insn *d, uint32_t rn_val, uint32_t offset);

/* Value Rn holds after the instruction (only meaningful when d->wback). */
uint32_t ldst_writeback(const struct ldst_insn *d, uint32_t rn_val, uint32_t offset);

/* Sign- or zero-extend a loaded value of d->size bytes to 32 bits. */
uint32_t ldst_extend(const struct ldst_insn *d, uint32_t raw);

/*
 * CPSR after executing one instruction in an IT block: advances ITSTATE
 * (CPSR bits 15:10 and 26:25) as ITAdvance() in the ARM ARM. A CPSR outside
 * an IT block comes back unchanged.
 */
uint32_t cpsr_it_advance(uint32_t cpsr);

struct vcpu;
/* Past an instruction Keel emulated, len bytes long: pc, and ITSTATE in Thumb
 * (vcpu.c; always inlined, it is on the CP15 and MMIO exit paths). */
void arch_vcpu_step(struct vcpu *v, unsigned len);

/*
 * Whether an instruction with condition `cond` (0-15) executes under the
 * NZCV flags of `cpsr`. Used to skip trapped instructions that failed their
 * condition (HSR.CV).
 */
bool cond_passed(unsigned cond, uint32_t cpsr);

#endif
