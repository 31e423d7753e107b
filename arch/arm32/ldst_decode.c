/* SPDX-License-Identifier: MIT */
/*
 * Load/store instruction decoder for MMIO emulation. When a stage-2 data
 * abort has HSR.ISV = 0 the syndrome says nothing about the access, so the
 * trap handler fetches the guest instruction and hands it here. This file
 * owns the mapping from A32 and T32 encodings of the single and dual
 * load/store family (LDR/STR, B, H, SB, SH, D and the unprivileged T forms)
 * to a struct ldst_insn, the UNPREDICTABLE rules that go with them, and the
 * small pieces of arithmetic the emulation needs afterwards: the shifted
 * register offset, address and writeback values, sign extension, ITSTATE
 * advance and the condition check.
 *
 * Everything is a pure function of its arguments, so the file builds both
 * freestanding for Keel and hosted for the unit tests.
 *
 * Encodings are from the ARM ARM, DDI 0406C.d: A5.2.8/A5.2.9 and A5.3 for
 * A32, A6.2.4 and A6.3.6-A6.3.10 for T32, and the per-instruction pages in
 * A8.8. Policy beyond the architecture: an access with Rt == PC is never
 * emulated. Where the architecture defines it (A32 LDR/STR, T32 LDR, i.e. an
 * interworking branch or a store of PC) the decoder answers LDST_UNKNOWN,
 * likewise for the T32 memory hints (PLD/PLI) that share the Rt == PC
 * encodings; where the architecture leaves it UNPREDICTABLE it says so.
 */
#include <arch/ldst_decode.h>

#define PC	15
#define LR	14
#define SP	13

static inline uint32_t bits(uint32_t v, unsigned hi, unsigned lo)
{
	return (v >> lo) & ((2u << (hi - lo)) - 1);
}

static inline bool bit(uint32_t v, unsigned n)
{
	return (v >> n) & 1;
}

/* What a form moves, independent of how it forms the address. */
struct ldst_kind {
	uint8_t size;
	bool load;
	bool sign;
	bool pair;
};

#define STORE(sz)	{ .size = (sz) }
#define LOAD(sz)	{ .size = (sz), .load = true }
#define LOAD_S(sz)	{ .size = (sz), .load = true, .sign = true }
#define DUAL(ld)	{ .size = 4, .load = (ld), .pair = true }

static void set_kind(struct ldst_insn *d, const struct ldst_kind *k)
{
	d->size = k->size;
	d->is_load = k->load;
	d->sign_extend = k->sign;
	d->pair = k->pair;
}

/* ---- A32 ---------------------------------------------------------------- */

/*
 * Extra load/store (A5.2.8), indexed by op2 = insn[6:5] and L = insn[20].
 * op2 == 0 is multiply/synchronisation space and never gets here.
 */
static const struct ldst_kind arm_extra_kinds[4][2] = {
	[1] = { STORE(2), LOAD(2) },	/* STRH, LDRH */
	[2] = { DUAL(true), LOAD_S(1) },	/* LDRD, LDRSB */
	[3] = { DUAL(false), LOAD_S(2) },	/* STRD, LDRSH */
};

static const enum ldst_shift arm_shift_types[4] = {
	LDST_LSL, LDST_LSR, LDST_ASR, LDST_ROR,
};

/*
 * DecodeImmShift() (A8.4.3): #0 means 32 for LSR/ASR, and RRX (by 1) for
 * ROR.
 */
static void arm_decode_imm_shift(struct ldst_insn *d, unsigned type, unsigned imm5)
{
	d->shift_type = arm_shift_types[type];
	d->shift_n = imm5;
	if (imm5 == 0) {
		if (d->shift_type == LDST_LSR || d->shift_type == LDST_ASR) {
			d->shift_n = 32;
		} else if (d->shift_type == LDST_ROR) {
			d->shift_type = LDST_RRX;
			d->shift_n = 1;
		}
	}
}

/* P, U, W as every A32 single/dual load/store lays them out. */
static void arm_decode_puw(struct ldst_insn *d, uint32_t insn)
{
	bool p = bit(insn, 24), w = bit(insn, 21);

	d->rn = bits(insn, 19, 16);
	d->rt = bits(insn, 15, 12);
	d->index = p;
	d->add = bit(insn, 23);
	d->wback = !p || w;
	/* P == 0 && W == 1 is the post-indexed unprivileged (T) form. */
	d->unprivileged = !p && w;
}

/*
 * The UNPREDICTABLE lists of the A32 pages in A8.8 reduce to these rules
 * once the form is known. Literal forms need nothing special: their P/W
 * should-be bits make any writeback "wback && n == 15".
 */
static enum ldst_result arm_check(const struct ldst_insn *d)
{
	if (d->reg_offset && d->rm == PC)
		return LDST_UNPREDICTABLE;
	if (d->wback && (d->rn == PC || d->rn == d->rt))
		return LDST_UNPREDICTABLE;
	if (d->pair) {
		/* LDRD/STRD (A8.8): Rt must be even, and not LR (Rt2 = PC) */
		if ((d->rt & 1) || d->rt == LR)
			return LDST_UNPREDICTABLE;
		if (d->wback && d->rn == d->rt2)
			return LDST_UNPREDICTABLE;
		if (d->is_load && d->reg_offset &&
		    (d->rm == d->rt || d->rm == d->rt2))
			return LDST_UNPREDICTABLE;
	}
	if (d->rt == PC) {
		/*
		 * Only LDR, STR and STRT define Rt == PC (a branch, or a store
		 * of PC + 8); Keel does neither through MMIO.
		 */
		if (d->size == 4 && !d->pair && !(d->is_load && d->unprivileged))
			return LDST_UNKNOWN;
		return LDST_UNPREDICTABLE;
	}
	return LDST_OK;
}

/* Load/store word and unsigned byte (A5.3): LDR STR LDRB STRB and T forms. */
static enum ldst_result arm_decode_word_byte(uint32_t insn, struct ldst_insn *d)
{
	d->size = bit(insn, 22) ? 1 : 4;
	d->is_load = bit(insn, 20);
	arm_decode_puw(d, insn);

	if (bit(insn, 25)) {
		d->reg_offset = true;
		d->rm = bits(insn, 3, 0);
		arm_decode_imm_shift(d, bits(insn, 6, 5), bits(insn, 11, 7));
	} else {
		d->imm = bits(insn, 11, 0);
	}
	return arm_check(d);
}

/*
 * Extra load/store (A5.2.8) and its unprivileged half (A5.2.9): halfword,
 * signed byte/halfword and dual forms.
 */
static enum ldst_result arm_decode_extra(uint32_t insn, struct ldst_insn *d)
{
	set_kind(d, &arm_extra_kinds[bits(insn, 6, 5)][bit(insn, 20)]);
	arm_decode_puw(d, insn);

	/* LDRD/STRD have no T form: P == 0 && W == 1 is UNPREDICTABLE. */
	if (d->pair) {
		if (d->unprivileged)
			return LDST_UNPREDICTABLE;
		d->rt2 = d->rt + 1;
	}

	if (bit(insn, 22)) {
		d->imm = bits(insn, 11, 8) << 4 | bits(insn, 3, 0);
	} else {
		/* Register forms have no shift; insn[11:8] are (0)(0)(0)(0). */
		if (bits(insn, 11, 8))
			return LDST_UNPREDICTABLE;
		d->reg_offset = true;
		d->rm = bits(insn, 3, 0);
		d->shift_type = LDST_LSL;
	}
	return arm_check(d);
}

enum ldst_result ldst_decode_arm(uint32_t insn, struct ldst_insn *out)
{
	*out = (struct ldst_insn){ .len = 4 };

	/* cond == 0b1111 is the unconditional space: PLD, PLI, SRS, ... (A5.7) */
	if (bits(insn, 31, 28) == 0xf)
		return LDST_UNKNOWN;

	switch (bits(insn, 27, 25)) {
	case 0x0:
		/*
		 * Data-processing and miscellaneous (A5.2): only insn[7] ==
		 * insn[4] == 1 with op2 = insn[6:5] != 0 is a load/store;
		 * op2 == 0 is multiply, SWP and LDREX/STREX.
		 */
		if (bit(insn, 7) && bit(insn, 4) && bits(insn, 6, 5))
			return arm_decode_extra(insn, out);
		return LDST_UNKNOWN;
	case 0x2:
		return arm_decode_word_byte(insn, out);
	case 0x3:
		/* Register offset needs insn[4] == 0; else media (A5.4). */
		if (bit(insn, 4))
			return LDST_UNKNOWN;
		return arm_decode_word_byte(insn, out);
	default:
		return LDST_UNKNOWN;
	}
}

/* ---- T32, 16-bit ---------------------------------------------------------- */

/* Register-offset forms (A6.2.4, opA = 0101), indexed by opB = hw[11:9]. */
static const struct ldst_kind t16_reg_kinds[8] = {
	STORE(4), STORE(2), STORE(1), LOAD_S(1),	/* STR STRH STRB LDRSB */
	LOAD(4), LOAD(2), LOAD(1), LOAD_S(2),		/* LDR LDRH LDRB LDRSH */
};

/* Access size of the imm5 forms, indexed by opA = hw[15:12] (0110-1000). */
static const uint8_t t16_imm5_size[16] = {
	[0x6] = 4, [0x7] = 1, [0x8] = 2,
};

/*
 * All 16-bit forms are offset addressing on low registers or SP/PC, so the
 * architecture leaves none of them UNPREDICTABLE.
 */
static enum ldst_result thumb16_decode(uint16_t hw, struct ldst_insn *d)
{
	unsigned opa = bits(hw, 15, 12);

	d->index = true;
	d->add = true;

	/* LDR (literal) T1: 01001 Rt imm8 */
	if (bits(hw, 15, 11) == 0x09) {
		d->size = 4;
		d->is_load = true;
		d->rt = bits(hw, 10, 8);
		d->rn = PC;
		d->imm = bits(hw, 7, 0) << 2;
		return LDST_OK;
	}

	switch (opa) {
	case 0x5:
		set_kind(d, &t16_reg_kinds[bits(hw, 11, 9)]);
		d->reg_offset = true;
		d->shift_type = LDST_LSL;
		d->rm = bits(hw, 8, 6);
		d->rn = bits(hw, 5, 3);
		d->rt = bits(hw, 2, 0);
		return LDST_OK;
	case 0x6:
	case 0x7:
	case 0x8:
		/* imm5 counts units of the access size. */
		d->size = t16_imm5_size[opa];
		d->is_load = bit(hw, 11);
		d->imm = bits(hw, 10, 6) * d->size;
		d->rn = bits(hw, 5, 3);
		d->rt = bits(hw, 2, 0);
		return LDST_OK;
	case 0x9:
		/* STR/LDR (immediate) T2: SP-relative, imm8 words. */
		d->size = 4;
		d->is_load = bit(hw, 11);
		d->rt = bits(hw, 10, 8);
		d->rn = SP;
		d->imm = bits(hw, 7, 0) << 2;
		return LDST_OK;
	default:
		return LDST_UNKNOWN;
	}
}

/* ---- T32, 32-bit ---------------------------------------------------------- */

/*
 * Single data item rules (A6.3.7-A6.3.10 and the T32 encodings in A8.8).
 * SP may only be Rt of a word access; PC as Rt is a hint, a branch or
 * UNPREDICTABLE depending on the form.
 */
static enum ldst_result t32_check_single(const struct ldst_insn *d)
{
	if (d->reg_offset && (d->rm == SP || d->rm == PC))
		return LDST_UNPREDICTABLE;
	if (d->wback && d->rn == d->rt)
		return LDST_UNPREDICTABLE;
	if (d->rt == PC) {
		if (!d->is_load || d->unprivileged)
			return LDST_UNPREDICTABLE;
		/* LDR PC is a branch: not emulated. */
		if (d->size == 4)
			return LDST_UNKNOWN;
		/* Byte/halfword without writeback: PLD, PLI, or a hint NOP. */
		return d->wback ? LDST_UNPREDICTABLE : LDST_UNKNOWN;
	}
	if (d->rt == SP && (d->size != 4 || d->unprivileged))
		return LDST_UNPREDICTABLE;
	return LDST_OK;
}

/*
 * Load/store single data item: hw1 = 1111 100 S X sz L Rn. S (hw1[8]) is
 * sign extension for loads, X (hw1[7]) selects imm12 (or is U of a
 * literal), sz = hw1[6:5] is log2 of the size. Without X, hw2[11:6] chooses
 * between imm8 with P/U/W, the T form and the register form.
 */
static enum ldst_result t32_decode_single(uint16_t hw1, uint16_t hw2,
					  struct ldst_insn *d)
{
	unsigned sz = bits(hw1, 6, 5);
	bool sign = bit(hw1, 8), load = bit(hw1, 4);

	/* sz == 3, signed stores (Advanced SIMD) and LDR with S: not ours. */
	if (sz == 3 || (sign && (!load || sz == 2)))
		return LDST_UNKNOWN;

	d->size = 1u << sz;
	d->is_load = load;
	d->sign_extend = sign;
	d->rn = bits(hw1, 3, 0);
	d->rt = bits(hw2, 15, 12);
	d->index = true;
	d->add = true;

	if (d->rn == PC) {
		/* Literal loads (U in hw1[7]); stores to [PC] are UNDEFINED. */
		if (!load)
			return LDST_UNKNOWN;
		d->add = bit(hw1, 7);
		d->imm = bits(hw2, 11, 0);
	} else if (bit(hw1, 7)) {
		d->imm = bits(hw2, 11, 0);
	} else if (bit(hw2, 11)) {
		bool p = bit(hw2, 10), u = bit(hw2, 9), w = bit(hw2, 8);

		if (!p && !w)
			return LDST_UNKNOWN;	/* UNDEFINED */
		/* P U W = 1 1 0 is the T form: offset addressing, no writeback. */
		d->unprivileged = p && u && !w;
		d->index = p;
		d->add = u;
		d->wback = w;
		d->imm = bits(hw2, 7, 0);
	} else if (bits(hw2, 11, 6) == 0) {
		d->reg_offset = true;
		d->rm = bits(hw2, 3, 0);
		d->shift_type = LDST_LSL;
		d->shift_n = bits(hw2, 5, 4);
	} else {
		return LDST_UNKNOWN;
	}
	return t32_check_single(d);
}

/*
 * LDRD (immediate), LDRD (literal), STRD (immediate) T1 encodings (A8.8):
 * hw1 = 1110 100 P U 1 W L Rn, hw2 = Rt Rt2 imm8.
 */
static enum ldst_result t32_decode_dual(uint16_t hw1, uint16_t hw2,
					struct ldst_insn *d)
{
	bool p = bit(hw1, 8), w = bit(hw1, 5);

	/* P == W == 0 is LDREX/STREX/TBB/TBH territory (A6.3.6). */
	if (!p && !w)
		return LDST_UNKNOWN;

	d->size = 4;
	d->is_load = bit(hw1, 4);
	d->pair = true;
	d->rn = bits(hw1, 3, 0);
	d->rt = bits(hw2, 15, 12);
	d->rt2 = bits(hw2, 11, 8);
	d->index = p;
	d->add = bit(hw1, 7);
	d->wback = w;
	d->imm = bits(hw2, 7, 0) << 2;

	if (d->wback && (d->rn == d->rt || d->rn == d->rt2))
		return LDST_UNPREDICTABLE;
	if (d->rt == SP || d->rt == PC || d->rt2 == SP || d->rt2 == PC)
		return LDST_UNPREDICTABLE;
	if (d->is_load && d->rt == d->rt2)
		return LDST_UNPREDICTABLE;
	/* STRD with Rn == PC, and LDRD (literal) with W == 1. */
	if (d->rn == PC && (!d->is_load || d->wback))
		return LDST_UNPREDICTABLE;
	return LDST_OK;
}

static enum ldst_result thumb32_decode(uint16_t hw1, uint16_t hw2,
				       struct ldst_insn *d)
{
	/* 1111 100x xxxx: load/store single data item (A6.3.7-A6.3.10) */
	if ((hw1 & 0xfe00) == 0xf800)
		return t32_decode_single(hw1, hw2, d);
	/* 1110 100x x1xx: load/store dual, exclusive, table branch (A6.3.6) */
	if ((hw1 & 0xfe40) == 0xe840)
		return t32_decode_dual(hw1, hw2, d);
	return LDST_UNKNOWN;
}

bool thumb_is_32bit(uint16_t hw1)
{
	/* hw1[15:11] is 0b11101, 0b11110 or 0b11111 (A6.1). */
	return bits(hw1, 15, 11) >= 0x1d;
}

enum ldst_result ldst_decode_thumb(uint16_t hw1, uint16_t hw2, struct ldst_insn *out)
{
	*out = (struct ldst_insn){ .len = 2 };

	if (thumb_is_32bit(hw1)) {
		out->len = 4;
		return thumb32_decode(hw1, hw2, out);
	}
	return thumb16_decode(hw1, out);
}

/* ---- execution helpers ---------------------------------------------------- */

/* Shift_C() (A8.4.3) without the carry out, safe for n up to 32. */
static uint32_t shift_value(uint32_t v, enum ldst_shift type, unsigned n, bool carry)
{
	switch (type) {
	case LDST_LSL:
		return n >= 32 ? 0 : v << n;
	case LDST_LSR:
		return n >= 32 ? 0 : v >> n;
	case LDST_ASR:
		if (n >= 32)
			return (v >> 31) ? 0xffffffffu : 0;
		if (n == 0 || !(v >> 31))
			return v >> n;
		return (v >> n) | ~(0xffffffffu >> n);
	case LDST_ROR:
		n &= 31;
		return n ? (v >> n) | (v << (32 - n)) : v;
	case LDST_RRX:
		return (uint32_t)carry << 31 | v >> 1;
	}
	return v;
}

uint32_t ldst_offset(const struct ldst_insn *d, uint32_t rm_val, bool carry_in)
{
	if (!d->reg_offset)
		return d->imm;
	return shift_value(rm_val, d->shift_type, d->shift_n, carry_in);
}

uint32_t ldst_writeback(const struct ldst_insn *d, uint32_t rn_val, uint32_t offset)
{
	return d->add ? rn_val + offset : rn_val - offset;
}

uint32_t ldst_address(const struct ldst_insn *d, uint32_t rn_val, uint32_t offset)
{
	/* Post-indexed forms access [Rn] and only then apply the offset. */
	return d->index ? ldst_writeback(d, rn_val, offset) : rn_val;
}

uint32_t ldst_extend(const struct ldst_insn *d, uint32_t raw)
{
	uint32_t sign;

	switch (d->size) {
	case 1:
		raw &= 0xff;
		sign = 0x80;
		break;
	case 2:
		raw &= 0xffff;
		sign = 0x8000;
		break;
	default:
		return raw;
	}
	/* Flip the sign bit and subtract it back: sign extension, no UB. */
	return d->sign_extend ? (raw ^ sign) - sign : raw;
}

/* ITSTATE is split: IT[1:0] in CPSR[26:25], IT[7:2] in CPSR[15:10] (B1.3.3). */
#define CPSR_IT_LO_SHIFT	25
#define CPSR_IT_HI_SHIFT	10
#define CPSR_IT_MASK		(0x3u << CPSR_IT_LO_SHIFT | 0x3fu << CPSR_IT_HI_SHIFT)

static unsigned cpsr_it(uint32_t cpsr)
{
	return bits(cpsr, 26, 25) | bits(cpsr, 15, 10) << 2;
}

uint32_t cpsr_it_advance(uint32_t cpsr)
{
	unsigned it = cpsr_it(cpsr);

	/*
	 * ITAdvance() (A2.5.2): IT[2:0] == 0 on the last instruction of a
	 * block, and outside one (ITSTATE all zero), so clearing ITSTATE then
	 * ends the block or leaves the CPSR as it was.
	 */
	if ((it & 0x7) == 0)
		it = 0;
	else
		it = (it & 0xe0) | ((it << 1) & 0x1f);

	cpsr &= ~CPSR_IT_MASK;
	return cpsr | (it & 0x3) << CPSR_IT_LO_SHIFT | (it >> 2) << CPSR_IT_HI_SHIFT;
}

bool cond_passed(unsigned cond, uint32_t cpsr)
{
	bool n = bit(cpsr, 31), z = bit(cpsr, 30);
	bool c = bit(cpsr, 29), v = bit(cpsr, 28);
	bool result;

	cond &= 0xf;
	/* ConditionPassed() (A8.3.1): cond[3:1] picks the test ... */
	switch (cond >> 1) {
	case 0: result = z; break;			/* EQ / NE */
	case 1: result = c; break;			/* CS / CC */
	case 2: result = n; break;			/* MI / PL */
	case 3: result = v; break;			/* VS / VC */
	case 4: result = c && !z; break;		/* HI / LS */
	case 5: result = n == v; break;			/* GE / LT */
	case 6: result = n == v && !z; break;		/* GT / LE */
	default: result = true; break;			/* AL / 0b1111 */
	}
	/* ... cond[0] inverts it, except 0b1111 which always passes. */
	if ((cond & 1) && cond != 0xf)
		result = !result;
	return result;
}
