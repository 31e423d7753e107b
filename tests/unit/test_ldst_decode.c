/* SPDX-License-Identifier: MIT */
/*
 * Tests for the load/store decoder (arch/arm32/ldst_decode.c). Every
 * encoding below was produced by arm-linux-gnueabihf-as -march=armv7ve and
 * read back with objdump -d; the text next to it is what objdump printed.
 * Encodings gas refuses to emit (most UNPREDICTABLE ones) were made by
 * changing one field of an assembled instruction and checked the same way
 * through ".inst"; those rows say which field changed.
 *
 * Thumb encodings are written as objdump shows them: a 16-bit instruction
 * is its halfword, a 32-bit one is hw1 << 16 | hw2.
 */
#include "unit.h"
#include <arch/ldst_decode.h>

struct row {
	const char *text;
	bool thumb;
	uint32_t enc;
	enum ldst_result res;
	struct ldst_insn want;		/* checked only when res == LDST_OK */
};

#define A32(e, t, ...)	{ t, false, e, LDST_OK, { .len = 4, __VA_ARGS__ } }
#define T16(e, t, ...)	{ t, true, e, LDST_OK, { .len = 2, __VA_ARGS__ } }
#define T32(e, t, ...)	{ t, true, e, LDST_OK, { .len = 4, __VA_ARGS__ } }

#define LD(sz)		.is_load = true, .size = (sz)
#define LDS(sz)		LD(sz), .sign_extend = true
#define ST(sz)		.size = (sz)
#define LDD(t, t2)	LD(4), .pair = true, .rt = (t), .rt2 = (t2)
#define STD(t, t2)	ST(4), .pair = true, .rt = (t), .rt2 = (t2)
#define RT(r)		.rt = (r)
#define RN(r)		.rn = (r)
#define OFF_ADD		.index = true, .add = true
#define OFF_SUB		.index = true
#define PRE_ADD		.index = true, .add = true, .wback = true
#define PRE_SUB		.index = true, .wback = true
#define POST_ADD	.add = true, .wback = true
#define POST_SUB	.wback = true
#define IMM(i)		.imm = (i)
#define REG(m, st, n)	.reg_offset = true, .rm = (m), .shift_type = LDST_##st, .shift_n = (n)
#define UNPRIV		.unprivileged = true

static const struct row ok_rows[] = {
	/* ---- A32: LDR/STR/LDRB/STRB immediate ---- */
	A32(0xe5910000, "ldr r0, [r1]", LD(4), RT(0), RN(1), OFF_ADD, IMM(0)),
	A32(0xe5910004, "ldr r0, [r1, #4]", LD(4), RT(0), RN(1), OFF_ADD, IMM(4)),
	A32(0xe5132fff, "ldr r2, [r3, #-4095]", LD(4), RT(2), RN(3), OFF_SUB, IMM(4095)),
	A32(0xe5b10008, "ldr r0, [r1, #8]!", LD(4), RT(0), RN(1), PRE_ADD, IMM(8)),
	A32(0xe4910008, "ldr r0, [r1], #8", LD(4), RT(0), RN(1), POST_ADD, IMM(8)),
	A32(0xe4110008, "ldr r0, [r1], #-8", LD(4), RT(0), RN(1), POST_SUB, IMM(8)),
	A32(0xe5b0d004, "ldr sp, [r0, #4]!", LD(4), RT(13), RN(0), PRE_ADD, IMM(4)),
	A32(0xe585400c, "str r4, [r5, #12]", ST(4), RT(4), RN(5), OFF_ADD, IMM(12)),
	A32(0xe525400c, "str r4, [r5, #-12]!", ST(4), RT(4), RN(5), PRE_SUB, IMM(12)),
	A32(0xe4854004, "str r4, [r5], #4", ST(4), RT(4), RN(5), POST_ADD, IMM(4)),
	A32(0xe5d760ff, "ldrb r6, [r7, #255]", LD(1), RT(6), RN(7), OFF_ADD, IMM(255)),
	A32(0xe5676001, "strb r6, [r7, #-1]!", ST(1), RT(6), RN(7), PRE_SUB, IMM(1)),
	A32(0xe4d76001, "ldrb r6, [r7], #1", LD(1), RT(6), RN(7), POST_ADD, IMM(1)),
	A32(0xe59f0008, "ldr r0, [pc, #8]", LD(4), RT(0), RN(15), OFF_ADD, IMM(8)),
	A32(0xe51f0008, "ldr r0, [pc, #-8]", LD(4), RT(0), RN(15), OFF_SUB, IMM(8)),
	A32(0xe58f0004, "str r0, [pc, #4]", ST(4), RT(0), RN(15), OFF_ADD, IMM(4)),
	A32(0xe52d0004, "push {r0} (str r0, [sp, #-4]!)", ST(4), RT(0), RN(13), PRE_SUB, IMM(4)),
	A32(0xe49d1004, "pop {r1} (ldr r1, [sp], #4)", LD(4), RT(1), RN(13), POST_ADD, IMM(4)),
	A32(0x15910004, "ldrne r0, [r1, #4]", LD(4), RT(0), RN(1), OFF_ADD, IMM(4)),
	A32(0xe591e004, "ldr lr, [r1, #4]", LD(4), RT(14), RN(1), OFF_ADD, IMM(4)),

	/* ---- A32: register and scaled register offsets ---- */
	A32(0xe7910002, "ldr r0, [r1, r2]", LD(4), RT(0), RN(1), OFF_ADD, REG(2, LSL, 0)),
	A32(0xe7110002, "ldr r0, [r1, -r2]", LD(4), RT(0), RN(1), OFF_SUB, REG(2, LSL, 0)),
	A32(0xe7910102, "ldr r0, [r1, r2, lsl #2]", LD(4), RT(0), RN(1), OFF_ADD, REG(2, LSL, 2)),
	A32(0xe7910022, "ldr r0, [r1, r2, lsr #32]", LD(4), RT(0), RN(1), OFF_ADD, REG(2, LSR, 32)),
	A32(0xe7910042, "ldr r0, [r1, r2, asr #32]", LD(4), RT(0), RN(1), OFF_ADD, REG(2, ASR, 32)),
	A32(0xe79101c2, "ldr r0, [r1, r2, asr #3]", LD(4), RT(0), RN(1), OFF_ADD, REG(2, ASR, 3)),
	A32(0xe79103e2, "ldr r0, [r1, r2, ror #7]", LD(4), RT(0), RN(1), OFF_ADD, REG(2, ROR, 7)),
	A32(0xe7910062, "ldr r0, [r1, r2, rrx]", LD(4), RT(0), RN(1), OFF_ADD, REG(2, RRX, 1)),
	A32(0xe7a10f82, "str r0, [r1, r2, lsl #31]!", ST(4), RT(0), RN(1), PRE_ADD, REG(2, LSL, 31)),
	A32(0xe60100a2, "str r0, [r1], -r2, lsr #1", ST(4), RT(0), RN(1), POST_SUB, REG(2, LSR, 1)),
	A32(0xe7f10002, "ldrb r0, [r1, r2]!", LD(1), RT(0), RN(1), PRE_ADD, REG(2, LSL, 0)),
	A32(0xe6c10042, "strb r0, [r1], r2, asr #32", ST(1), RT(0), RN(1), POST_ADD, REG(2, ASR, 32)),
	A32(0xe6910062, "ldr r0, [r1], r2, rrx", LD(4), RT(0), RN(1), POST_ADD, REG(2, RRX, 1)),

	/* ---- A32: LDRT/STRT/LDRBT/STRBT (always post-indexed) ---- */
	A32(0xe4b10004, "ldrt r0, [r1], #4", LD(4), RT(0), RN(1), POST_ADD, IMM(4), UNPRIV),
	A32(0xe4310004, "ldrt r0, [r1], #-4", LD(4), RT(0), RN(1), POST_SUB, IMM(4), UNPRIV),
	A32(0xe4b10000, "ldrt r0, [r1], #0", LD(4), RT(0), RN(1), POST_ADD, IMM(0), UNPRIV),
	A32(0xe4a10004, "strt r0, [r1], #4", ST(4), RT(0), RN(1), POST_ADD, IMM(4), UNPRIV),
	A32(0xe4f10001, "ldrbt r0, [r1], #1", LD(1), RT(0), RN(1), POST_ADD, IMM(1), UNPRIV),
	A32(0xe4610001, "strbt r0, [r1], #-1", ST(1), RT(0), RN(1), POST_SUB, IMM(1), UNPRIV),
	A32(0xe6b10102, "ldrt r0, [r1], r2, lsl #2", LD(4), RT(0), RN(1), POST_ADD, REG(2, LSL, 2), UNPRIV),
	A32(0xe6210002, "strt r0, [r1], -r2", ST(4), RT(0), RN(1), POST_SUB, REG(2, LSL, 0), UNPRIV),
	A32(0xe6f10042, "ldrbt r0, [r1], r2, asr #32", LD(1), RT(0), RN(1), POST_ADD, REG(2, ASR, 32), UNPRIV),
	A32(0xe6e10062, "strbt r0, [r1], r2, rrx", ST(1), RT(0), RN(1), POST_ADD, REG(2, RRX, 1), UNPRIV),

	/* ---- A32: halfword and signed (extra load/store) ---- */
	A32(0xe1d100b2, "ldrh r0, [r1, #2]", LD(2), RT(0), RN(1), OFF_ADD, IMM(2)),
	A32(0xe1510fbf, "ldrh r0, [r1, #-255]", LD(2), RT(0), RN(1), OFF_SUB, IMM(255)),
	A32(0xe1f100b2, "ldrh r0, [r1, #2]!", LD(2), RT(0), RN(1), PRE_ADD, IMM(2)),
	A32(0xe0d100b2, "ldrh r0, [r1], #2", LD(2), RT(0), RN(1), POST_ADD, IMM(2)),
	A32(0xe1c10fbe, "strh r0, [r1, #254]", ST(2), RT(0), RN(1), OFF_ADD, IMM(254)),
	A32(0xe04100b2, "strh r0, [r1], #-2", ST(2), RT(0), RN(1), POST_SUB, IMM(2)),
	A32(0x01c100b0, "strheq r0, [r1]", ST(2), RT(0), RN(1), OFF_ADD, IMM(0)),
	A32(0xe19100b2, "ldrh r0, [r1, r2]", LD(2), RT(0), RN(1), OFF_ADD, REG(2, LSL, 0)),
	A32(0xe13100b2, "ldrh r0, [r1, -r2]!", LD(2), RT(0), RN(1), PRE_SUB, REG(2, LSL, 0)),
	A32(0xe08100b2, "strh r0, [r1], r2", ST(2), RT(0), RN(1), POST_ADD, REG(2, LSL, 0)),
	A32(0xe1d100d1, "ldrsb r0, [r1, #1]", LDS(1), RT(0), RN(1), OFF_ADD, IMM(1)),
	A32(0xe11100d2, "ldrsb r0, [r1, -r2]", LDS(1), RT(0), RN(1), OFF_SUB, REG(2, LSL, 0)),
	A32(0xe17100f2, "ldrsh r0, [r1, #-2]!", LDS(2), RT(0), RN(1), PRE_SUB, IMM(2)),
	A32(0xe09100f2, "ldrsh r0, [r1], r2", LDS(2), RT(0), RN(1), POST_ADD, REG(2, LSL, 0)),
	A32(0xe1df00b4, "ldrh r0, [pc, #4]", LD(2), RT(0), RN(15), OFF_ADD, IMM(4)),
	A32(0xe15f00d4, "ldrsb r0, [pc, #-4]", LDS(1), RT(0), RN(15), OFF_SUB, IMM(4)),

	/* ---- A32: LDRD/STRD ---- */
	A32(0xe1c200d8, "ldrd r0, r1, [r2, #8]", LDD(0, 1), RN(2), OFF_ADD, IMM(8)),
	A32(0xe16420d8, "ldrd r2, r3, [r4, #-8]!", LDD(2, 3), RN(4), PRE_SUB, IMM(8)),
	A32(0xe0c641d0, "ldrd r4, r5, [r6], #16", LDD(4, 5), RN(6), POST_ADD, IMM(16)),
	A32(0xe18200d3, "ldrd r0, r1, [r2, r3]", LDD(0, 1), RN(2), OFF_ADD, REG(3, LSL, 0)),
	A32(0xe12200d3, "ldrd r0, r1, [r2, -r3]!", LDD(0, 1), RN(2), PRE_SUB, REG(3, LSL, 0)),
	A32(0xe1c200f8, "strd r0, r1, [r2, #8]", STD(0, 1), RN(2), OFF_ADD, IMM(8)),
	A32(0xe16d60f8, "strd r6, r7, [sp, #-8]!", STD(6, 7), RN(13), PRE_SUB, IMM(8)),
	A32(0xe08200f3, "strd r0, r1, [r2], r3", STD(0, 1), RN(2), POST_ADD, REG(3, LSL, 0)),
	A32(0xe1cf00d8, "ldrd r0, r1, [pc, #8]", LDD(0, 1), RN(15), OFF_ADD, IMM(8)),
	A32(0xe1c0c0d0, "ldrd ip, sp, [r0]", LDD(12, 13), RN(0), OFF_ADD, IMM(0)),

	/* ---- A32: LDRHT/STRHT/LDRSBT/LDRSHT ---- */
	A32(0xe0f100b2, "ldrht r0, [r1], #2", LD(2), RT(0), RN(1), POST_ADD, IMM(2), UNPRIV),
	A32(0xe03100b2, "ldrht r0, [r1], -r2", LD(2), RT(0), RN(1), POST_SUB, REG(2, LSL, 0), UNPRIV),
	A32(0xe06100b2, "strht r0, [r1], #-2", ST(2), RT(0), RN(1), POST_SUB, IMM(2), UNPRIV),
	A32(0xe0a100b2, "strht r0, [r1], r2", ST(2), RT(0), RN(1), POST_ADD, REG(2, LSL, 0), UNPRIV),
	A32(0xe0f100d1, "ldrsbt r0, [r1], #1", LDS(1), RT(0), RN(1), POST_ADD, IMM(1), UNPRIV),
	A32(0xe0b100d2, "ldrsbt r0, [r1], r2", LDS(1), RT(0), RN(1), POST_ADD, REG(2, LSL, 0), UNPRIV),
	A32(0xe07100f2, "ldrsht r0, [r1], #-2", LDS(2), RT(0), RN(1), POST_SUB, IMM(2), UNPRIV),
	A32(0xe03100f2, "ldrsht r0, [r1], -r2", LDS(2), RT(0), RN(1), POST_SUB, REG(2, LSL, 0), UNPRIV),

	/* ---- T16 ---- */
	T16(0x6fc8, "ldr r0, [r1, #124]", LD(4), RT(0), RN(1), OFF_ADD, IMM(124)),
	T16(0x601a, "str r2, [r3, #0]", ST(4), RT(2), RN(3), OFF_ADD, IMM(0)),
	T16(0x7fec, "ldrb r4, [r5, #31]", LD(1), RT(4), RN(5), OFF_ADD, IMM(31)),
	T16(0x706c, "strb r4, [r5, #1]", ST(1), RT(4), RN(5), OFF_ADD, IMM(1)),
	T16(0x8ffe, "ldrh r6, [r7, #62]", LD(2), RT(6), RN(7), OFF_ADD, IMM(62)),
	T16(0x807e, "strh r6, [r7, #2]", ST(2), RT(6), RN(7), OFF_ADD, IMM(2)),
	T16(0x5888, "ldr r0, [r1, r2]", LD(4), RT(0), RN(1), OFF_ADD, REG(2, LSL, 0)),
	T16(0x5088, "str r0, [r1, r2]", ST(4), RT(0), RN(1), OFF_ADD, REG(2, LSL, 0)),
	T16(0x5d63, "ldrb r3, [r4, r5]", LD(1), RT(3), RN(4), OFF_ADD, REG(5, LSL, 0)),
	T16(0x5563, "strb r3, [r4, r5]", ST(1), RT(3), RN(4), OFF_ADD, REG(5, LSL, 0)),
	T16(0x5a3e, "ldrh r6, [r7, r0]", LD(2), RT(6), RN(7), OFF_ADD, REG(0, LSL, 0)),
	T16(0x523e, "strh r6, [r7, r0]", ST(2), RT(6), RN(7), OFF_ADD, REG(0, LSL, 0)),
	T16(0x56d1, "ldrsb r1, [r2, r3]", LDS(1), RT(1), RN(2), OFF_ADD, REG(3, LSL, 0)),
	T16(0x5ed1, "ldrsh r1, [r2, r3]", LDS(2), RT(1), RN(2), OFF_ADD, REG(3, LSL, 0)),
	T16(0x98ff, "ldr r0, [sp, #1020]", LD(4), RT(0), RN(13), OFF_ADD, IMM(1020)),
	T16(0x9701, "str r7, [sp, #4]", ST(4), RT(7), RN(13), OFF_ADD, IMM(4)),
	T16(0x4b04, "ldr r3, [pc, #16]", LD(4), RT(3), RN(15), OFF_ADD, IMM(16)),

	/* ---- T32: word, imm12 / imm8 with P/U/W / register ---- */
	T32(0xf8d10004, "ldr.w r0, [r1, #4]", LD(4), RT(0), RN(1), OFF_ADD, IMM(4)),
	T32(0xf8d10fff, "ldr.w r0, [r1, #4095]", LD(4), RT(0), RN(1), OFF_ADD, IMM(4095)),
	T32(0xf8510cff, "ldr.w r0, [r1, #-255]", LD(4), RT(0), RN(1), OFF_SUB, IMM(255)),
	T32(0xf8510f04, "ldr.w r0, [r1, #4]!", LD(4), RT(0), RN(1), PRE_ADD, IMM(4)),
	T32(0xf8510d04, "ldr.w r0, [r1, #-4]!", LD(4), RT(0), RN(1), PRE_SUB, IMM(4)),
	T32(0xf8510b04, "ldr.w r0, [r1], #4", LD(4), RT(0), RN(1), POST_ADD, IMM(4)),
	T32(0xf85109ff, "ldr.w r0, [r1], #-255", LD(4), RT(0), RN(1), POST_SUB, IMM(255)),
	T32(0xf8c10008, "str.w r0, [r1, #8]", ST(4), RT(0), RN(1), OFF_ADD, IMM(8)),
	T32(0xf8410c08, "str.w r0, [r1, #-8]", ST(4), RT(0), RN(1), OFF_SUB, IMM(8)),
	T32(0xf8410f08, "str.w r0, [r1, #8]!", ST(4), RT(0), RN(1), PRE_ADD, IMM(8)),
	T32(0xf8410908, "str.w r0, [r1], #-8", ST(4), RT(0), RN(1), POST_SUB, IMM(8)),
	T32(0xf8510002, "ldr.w r0, [r1, r2]", LD(4), RT(0), RN(1), OFF_ADD, REG(2, LSL, 0)),
	T32(0xf8510032, "ldr.w r0, [r1, r2, lsl #3]", LD(4), RT(0), RN(1), OFF_ADD, REG(2, LSL, 3)),
	T32(0xf8410012, "str.w r0, [r1, r2, lsl #1]", ST(4), RT(0), RN(1), OFF_ADD, REG(2, LSL, 1)),
	T32(0xf8d0d004, "ldr.w sp, [r0, #4]", LD(4), RT(13), RN(0), OFF_ADD, IMM(4)),
	T32(0xf8c0d004, "str.w sp, [r0, #4]", ST(4), RT(13), RN(0), OFF_ADD, IMM(4)),
	T32(0xf8dd0004, "ldr.w r0, [sp, #4]", LD(4), RT(0), RN(13), OFF_ADD, IMM(4)),
	T32(0xf85d0b04, "ldr.w r0, [sp], #4", LD(4), RT(0), RN(13), POST_ADD, IMM(4)),
	T32(0xf84d0d04, "str.w r0, [sp, #-4]!", ST(4), RT(0), RN(13), PRE_SUB, IMM(4)),
	T32(0xf850e001, "ldr.w lr, [r0, r1]", LD(4), RT(14), RN(0), OFF_ADD, REG(1, LSL, 0)),
	T32(0xf85bcd0c, "ldr.w ip, [fp, #-12]!", LD(4), RT(12), RN(11), PRE_SUB, IMM(12)),

	/* ---- T32: byte and halfword ---- */
	T32(0xf8910fff, "ldrb.w r0, [r1, #4095]", LD(1), RT(0), RN(1), OFF_ADD, IMM(4095)),
	T32(0xf8110c01, "ldrb.w r0, [r1, #-1]", LD(1), RT(0), RN(1), OFF_SUB, IMM(1)),
	T32(0xf8110b01, "ldrb.w r0, [r1], #1", LD(1), RT(0), RN(1), POST_ADD, IMM(1)),
	T32(0xf8810001, "strb.w r0, [r1, #1]", ST(1), RT(0), RN(1), OFF_ADD, IMM(1)),
	T32(0xf8010dff, "strb.w r0, [r1, #-255]!", ST(1), RT(0), RN(1), PRE_SUB, IMM(255)),
	T32(0xf8110022, "ldrb.w r0, [r1, r2, lsl #2]", LD(1), RT(0), RN(1), OFF_ADD, REG(2, LSL, 2)),
	T32(0xf8010002, "strb.w r0, [r1, r2]", ST(1), RT(0), RN(1), OFF_ADD, REG(2, LSL, 0)),
	T32(0xf8b10002, "ldrh.w r0, [r1, #2]", LD(2), RT(0), RN(1), OFF_ADD, IMM(2)),
	T32(0xf8310d02, "ldrh.w r0, [r1, #-2]!", LD(2), RT(0), RN(1), PRE_SUB, IMM(2)),
	T32(0xf8a10ffe, "strh.w r0, [r1, #4094]", ST(2), RT(0), RN(1), OFF_ADD, IMM(4094)),
	T32(0xf8210b02, "strh.w r0, [r1], #2", ST(2), RT(0), RN(1), POST_ADD, IMM(2)),
	T32(0xf8310012, "ldrh.w r0, [r1, r2, lsl #1]", LD(2), RT(0), RN(1), OFF_ADD, REG(2, LSL, 1)),
	T32(0xf8210032, "strh.w r0, [r1, r2, lsl #3]", ST(2), RT(0), RN(1), OFF_ADD, REG(2, LSL, 3)),
	T32(0xf9910001, "ldrsb.w r0, [r1, #1]", LDS(1), RT(0), RN(1), OFF_ADD, IMM(1)),
	T32(0xf9110c01, "ldrsb.w r0, [r1, #-1]", LDS(1), RT(0), RN(1), OFF_SUB, IMM(1)),
	T32(0xf9110904, "ldrsb.w r0, [r1], #-4", LDS(1), RT(0), RN(1), POST_SUB, IMM(4)),
	T32(0xf9110002, "ldrsb.w r0, [r1, r2]", LDS(1), RT(0), RN(1), OFF_ADD, REG(2, LSL, 0)),
	T32(0xf9b10002, "ldrsh.w r0, [r1, #2]", LDS(2), RT(0), RN(1), OFF_ADD, IMM(2)),
	T32(0xf9310f02, "ldrsh.w r0, [r1, #2]!", LDS(2), RT(0), RN(1), PRE_ADD, IMM(2)),
	T32(0xf9310022, "ldrsh.w r0, [r1, r2, lsl #2]", LDS(2), RT(0), RN(1), OFF_ADD, REG(2, LSL, 2)),

	/* ---- T32: unprivileged (offset addressing, no writeback) ---- */
	T32(0xf8510e04, "ldrt r0, [r1, #4]", LD(4), RT(0), RN(1), OFF_ADD, IMM(4), UNPRIV),
	T32(0xf8410eff, "strt r0, [r1, #255]", ST(4), RT(0), RN(1), OFF_ADD, IMM(255), UNPRIV),
	T32(0xf8110e01, "ldrbt r0, [r1, #1]", LD(1), RT(0), RN(1), OFF_ADD, IMM(1), UNPRIV),
	T32(0xf8010e00, "strbt r0, [r1]", ST(1), RT(0), RN(1), OFF_ADD, IMM(0), UNPRIV),
	T32(0xf8310e02, "ldrht r0, [r1, #2]", LD(2), RT(0), RN(1), OFF_ADD, IMM(2), UNPRIV),
	T32(0xf8210e02, "strht r0, [r1, #2]", ST(2), RT(0), RN(1), OFF_ADD, IMM(2), UNPRIV),
	T32(0xf9110e01, "ldrsbt r0, [r1, #1]", LDS(1), RT(0), RN(1), OFF_ADD, IMM(1), UNPRIV),
	T32(0xf9310e02, "ldrsht r0, [r1, #2]", LDS(2), RT(0), RN(1), OFF_ADD, IMM(2), UNPRIV),

	/* ---- T32: literal ---- */
	T32(0xf8df0004, "ldr.w r0, [pc, #4]", LD(4), RT(0), RN(15), OFF_ADD, IMM(4)),
	T32(0xf85f0004, "ldr.w r0, [pc, #-4]", LD(4), RT(0), RN(15), OFF_SUB, IMM(4)),
	T32(0xf89f0004, "ldrb.w r0, [pc, #4]", LD(1), RT(0), RN(15), OFF_ADD, IMM(4)),
	T32(0xf83f0002, "ldrh.w r0, [pc, #-2]", LD(2), RT(0), RN(15), OFF_SUB, IMM(2)),
	T32(0xf99f0004, "ldrsb.w r0, [pc, #4]", LDS(1), RT(0), RN(15), OFF_ADD, IMM(4)),
	T32(0xf93f0004, "ldrsh.w r0, [pc, #-4]", LDS(2), RT(0), RN(15), OFF_SUB, IMM(4)),
	T32(0xe9df0102, "ldrd r0, r1, [pc, #8]", LDD(0, 1), RN(15), OFF_ADD, IMM(8)),

	/* ---- T32: LDRD/STRD (Rt2 is its own field) ---- */
	T32(0xe9d20102, "ldrd r0, r1, [r2, #8]", LDD(0, 1), RN(2), OFF_ADD, IMM(8)),
	T32(0xe9720102, "ldrd r0, r1, [r2, #-8]!", LDD(0, 1), RN(2), PRE_SUB, IMM(8)),
	T32(0xe8f235ff, "ldrd r3, r5, [r2], #1020", LDD(3, 5), RN(2), POST_ADD, IMM(1020)),
	T32(0xe9c20102, "strd r0, r1, [r2, #8]", STD(0, 1), RN(2), OFF_ADD, IMM(8)),
	T32(0xe96248ff, "strd r4, r8, [r2, #-1020]!", STD(4, 8), RN(2), PRE_SUB, IMM(1020)),
	T32(0xe8620102, "strd r0, r1, [r2], #-8", STD(0, 1), RN(2), POST_SUB, IMM(8)),
	T32(0xe9c02200, "strd r2, r2, [r0]", STD(2, 2), RN(0), OFF_ADD, IMM(0)),
};

#define BAD_A(e, t, r)	{ t, false, e, LDST_##r, { .len = 4 } }
#define BAD_T(e, t, r)	{ t, true, e, LDST_##r, { .len = (e) > 0xffff ? 4 : 2 } }

static const struct row bad_rows[] = {
	/* ---- A32: not single/dual loads and stores ---- */
	BAD_A(0xe8900006, "ldm r0, {r1, r2}", UNKNOWN),
	BAD_A(0xe8a00002, "stmia r0!, {r1}", UNKNOWN),
	BAD_A(0xe1910f9f, "ldrex r0, [r1]", UNKNOWN),
	BAD_A(0xe1820f91, "strex r0, r1, [r2]", UNKNOWN),
	BAD_A(0xf5d0f004, "pld [r0, #4]", UNKNOWN),
	BAD_A(0xf4d0f000, "pli [r0]", UNKNOWN),
	BAD_A(0xf5910004, "ldr r0, [r1, #4] with cond = 1111 (edited)", UNKNOWN),
	BAD_A(0xe0810002, "add r0, r1, r2", UNKNOWN),
	BAD_A(0xe3a00001, "mov r0, #1", UNKNOWN),
	BAD_A(0xe0000291, "mul r0, r1, r2", UNKNOWN),
	BAD_A(0xe1020091, "swp r0, r1, [r2]", UNKNOWN),
	BAD_A(0xed905e00, "ldc 14, cr5, [r0]", UNKNOWN),
	BAD_A(0xed900b00, "vldr d0, [r0]", UNKNOWN),
	BAD_A(0xe780f211, "usad8 r0, r1, r2", UNKNOWN),
	BAD_A(0xe6810fb2, "sel r0, r1, r2", UNKNOWN),
	BAD_A(0xe6ef0071, "uxtb r0, r1", UNKNOWN),
	BAD_A(0xe7910012, "ldr r0, [r1, r2] with bit 4 set (edited: media space)", UNKNOWN),
	BAD_A(0xef000000, "svc 0", UNKNOWN),
	/* Rt == PC where the architecture defines it: not emulated. */
	BAD_A(0xe590f004, "ldr pc, [r0, #4]", UNKNOWN),
	BAD_A(0xe49df004, "pop {pc} (ldr pc, [sp], #4)", UNKNOWN),
	BAD_A(0xe580f000, "str pc, [r0]", UNKNOWN),
	BAD_A(0xe4a0f000, "strt pc, [r0], #0", UNKNOWN),

	/* ---- A32: UNPREDICTABLE ---- */
	BAD_A(0xe5b00004, "ldr r0, [r0, #4]!", UNPREDICTABLE),
	BAD_A(0xe4900004, "ldr r0, [r0], #4", UNPREDICTABLE),
	BAD_A(0xe5a11004, "str r1, [r1, #4]!", UNPREDICTABLE),
	BAD_A(0xe7f22003, "ldrb r2, [r2, r3]!", UNPREDICTABLE),
	BAD_A(0xe4b00004, "ldrt r0, [r0], #4", UNPREDICTABLE),
	BAD_A(0xe0f000b2, "ldrht r0, [r0], #2", UNPREDICTABLE),
	BAD_A(0xe5bf0008, "ldr r0, [pc, #8]! (edited Rn)", UNPREDICTABLE),
	BAD_A(0xe49f0008, "ldr r0, [pc], #8 (edited Rn)", UNPREDICTABLE),
	BAD_A(0xe5af1004, "str r1, [pc, #4]! (edited Rn)", UNPREDICTABLE),
	BAD_A(0xe1ff00b2, "ldrh r0, [pc, #2]! (edited Rn)", UNPREDICTABLE),
	BAD_A(0xe0ff00b2, "ldrht r0, [pc], #2 (edited Rn)", UNPREDICTABLE),
	BAD_A(0xe1ef00d8, "ldrd r0, r1, [pc, #8]! (edited W)", UNPREDICTABLE),
	BAD_A(0xe791000f, "ldr r0, [r1, pc] (edited Rm)", UNPREDICTABLE),
	BAD_A(0xe19100bf, "ldrh r0, [r1, pc] (edited Rm)", UNPREDICTABLE),
	BAD_A(0xe6e1006f, "strbt r0, [r1], pc, rrx (edited Rm)", UNPREDICTABLE),
	BAD_A(0xe08200ff, "strd r0, r1, [r2], pc (edited Rm)", UNPREDICTABLE),
	BAD_A(0xe5d7f0ff, "ldrb pc, [r7, #255] (edited Rt)", UNPREDICTABLE),
	BAD_A(0xe567f001, "strb pc, [r7, #-1]! (edited Rt)", UNPREDICTABLE),
	BAD_A(0xe1d1f0b2, "ldrh pc, [r1, #2] (edited Rt)", UNPREDICTABLE),
	BAD_A(0xe4b1f004, "ldrt pc, [r1], #4 (edited Rt)", UNPREDICTABLE),
	BAD_A(0xe1c210d8, "ldrd r1, r2, [r2, #8] (edited Rt: odd)", UNPREDICTABLE),
	BAD_A(0xe1c2e0d8, "ldrd lr, pc, [r2, #8] (edited Rt)", UNPREDICTABLE),
	BAD_A(0xe1e000d8, "ldrd r0, r1, [r0, #8]!", UNPREDICTABLE),
	BAD_A(0xe0c100d8, "ldrd r0, r1, [r1], #8", UNPREDICTABLE),
	BAD_A(0xe18200d0, "ldrd r0, r1, [r2, r0]", UNPREDICTABLE),
	BAD_A(0xe18200d1, "ldrd r0, r1, [r2, r1]", UNPREDICTABLE),
	BAD_A(0xe1e100f8, "strd r0, r1, [r1, #8]!", UNPREDICTABLE),
	BAD_A(0xe0e641d0, "ldrd r4, r5, [r6], #16 (edited W: P=0 W=1)", UNPREDICTABLE),
	BAD_A(0xe0a200f3, "strd r0, r1, [r2], r3 (edited W: P=0 W=1)", UNPREDICTABLE),
	BAD_A(0xe19101b2, "ldrh r0, [r1, r2] (edited: insn[11:8] != 0)", UNPREDICTABLE),

	/* ---- T32: not single/dual loads and stores ---- */
	BAD_T(0xc806, "ldmia r0!, {r1, r2}", UNKNOWN),
	BAD_T(0xb510, "push {r4, lr}", UNKNOWN),
	BAD_T(0xbd10, "pop {r4, pc}", UNKNOWN),
	BAD_T(0x1888, "adds r0, r1, r2", UNKNOWN),
	BAD_T(0xa801, "add r0, sp, #4", UNKNOWN),
	BAD_T(0xbf07, "ittee eq", UNKNOWN),
	BAD_T(0xe8900006, "ldmia.w r0, {r1, r2}", UNKNOWN),
	BAD_T(0xe8510f00, "ldrex r0, [r1]", UNKNOWN),
	BAD_T(0xe8421000, "strex r0, r1, [r2]", UNKNOWN),
	BAD_T(0xe8d0f001, "tbb [r0, r1]", UNKNOWN),
	BAD_T(0xf890f004, "pld [r0, #4]", UNKNOWN),
	BAD_T(0xf810fc04, "pld [r0, #-4]", UNKNOWN),
	BAD_T(0xf810f001, "pld [r0, r1]", UNKNOWN),
	BAD_T(0xf89ff004, "pld [pc, #4]", UNKNOWN),
	BAD_T(0xf990f004, "pli [r0, #4]", UNKNOWN),
	BAD_T(0xf910f011, "pli [r0, r1, lsl #1]", UNKNOWN),
	BAD_T(0xf991f001, "pli [r1, #1] (ldrsb.w r0, [r1, #1], edited Rt)", UNKNOWN),
	BAD_T(0xf831f012, "pldw [r1, r2, lsl #1] (ldrh.w, edited Rt)", UNKNOWN),
	BAD_T(0xeb010002, "add.w r0, r1, r2", UNKNOWN),
	BAD_T(0xf20f0006, "addw r0, pc, #6", UNKNOWN),
	BAD_T(0xf7fffffe, "bl .", UNKNOWN),
	BAD_T(0xed900b00, "vldr d0, [r0]", UNKNOWN),
	BAD_T(0xf920070f, "vld1.8 {d0}, [r0]", UNKNOWN),
	BAD_T(0xf8cf0008, "str.w r0, [pc, #8] (edited Rn: UNDEFINED)", UNKNOWN),
	BAD_T(0xf8510a04, "ldr r0, [r1], #4 (edited W: P=0 W=0, UNDEFINED)", UNKNOWN),
	BAD_T(0xf8510042, "ldr.w r0, [r1, r2] (edited hw2[11:6] = 000001)", UNKNOWN),
	BAD_T(0xf9510002, "ldr.w r0, [r1, r2] (edited S = 1)", UNKNOWN),
	BAD_T(0xf8e10008, "str.w r0, [r1, #8] (edited size = 11)", UNKNOWN),
	/* LDR into PC is a branch: not emulated. */
	BAD_T(0xf8d0f004, "ldr.w pc, [r0, #4]", UNKNOWN),
	BAD_T(0xf85dfb04, "ldr.w pc, [sp], #4", UNKNOWN),

	/* ---- T32: UNPREDICTABLE ---- */
	BAD_T(0xf8500f04, "ldr.w r0, [r0, #4]! (edited Rn)", UNPREDICTABLE),
	BAD_T(0xf8111b01, "ldrb.w r1, [r1], #1 (edited Rt)", UNPREDICTABLE),
	BAD_T(0xf8411f08, "str.w r1, [r1, #8]! (edited Rt)", UNPREDICTABLE),
	BAD_T(0xf8311d02, "ldrh.w r1, [r1, #-2]! (edited Rt)", UNPREDICTABLE),
	BAD_T(0xf851000d, "ldr.w r0, [r1, sp] (edited Rm)", UNPREDICTABLE),
	BAD_T(0xf851000f, "ldr.w r0, [r1, pc] (edited Rm)", UNPREDICTABLE),
	BAD_T(0xf911000f, "ldrsb.w r0, [r1, pc] (edited Rm)", UNPREDICTABLE),
	BAD_T(0xf891dfff, "ldrb.w sp, [r1, #4095] (edited Rt)", UNPREDICTABLE),
	BAD_T(0xf8b1d002, "ldrh.w sp, [r1, #2] (edited Rt)", UNPREDICTABLE),
	BAD_T(0xf9b1d002, "ldrsh.w sp, [r1, #2] (edited Rt)", UNPREDICTABLE),
	BAD_T(0xf881d001, "strb.w sp, [r1, #1] (edited Rt)", UNPREDICTABLE),
	BAD_T(0xf8c1f008, "str.w pc, [r1, #8] (edited Rt)", UNPREDICTABLE),
	BAD_T(0xf851de04, "ldrt sp, [r1, #4] (edited Rt)", UNPREDICTABLE),
	BAD_T(0xf841deff, "strt sp, [r1, #255] (edited Rt)", UNPREDICTABLE),
	BAD_T(0xf811fb01, "ldrb.w pc, [r1], #1 (edited Rt)", UNPREDICTABLE),
	BAD_T(0xf811fe01, "ldrbt pc, [r1, #1] (edited Rt)", UNPREDICTABLE),
	BAD_T(0xe9d10000, "ldrd r0, r0, [r1]", UNPREDICTABLE),
	BAD_T(0xe9f00102, "ldrd r0, r1, [r0, #8]!", UNPREDICTABLE),
	BAD_T(0xe8f10102, "ldrd r0, r1, [r1], #8", UNPREDICTABLE),
	BAD_T(0xe9e00102, "strd r0, r1, [r0, #8]!", UNPREDICTABLE),
	BAD_T(0xe8610102, "strd r0, r1, [r1], #-8 (edited Rn)", UNPREDICTABLE),
	BAD_T(0xe9d2d102, "ldrd sp, r1, [r2, #8] (edited Rt)", UNPREDICTABLE),
	BAD_T(0xe9d20f02, "ldrd r0, pc, [r2, #8] (edited Rt2)", UNPREDICTABLE),
	BAD_T(0xe9cf0102, "strd r0, r1, [pc, #8] (edited Rn)", UNPREDICTABLE),
	BAD_T(0xe9ff0102, "ldrd r0, r1, [pc, #8]! (edited W)", UNPREDICTABLE),
};

/* Junk second halfword for 16-bit rows: the decoder must not look at it. */
#define HW2_JUNK	0xf8d1

static enum ldst_result decode_row(const struct row *r, struct ldst_insn *d)
{
	if (!r->thumb)
		return ldst_decode_arm(r->enc, d);
	if (r->enc > 0xffff)
		return ldst_decode_thumb(r->enc >> 16, r->enc & 0xffff, d);
	return ldst_decode_thumb(r->enc, HW2_JUNK, d);
}

#define CHECK_FIELD(f) CHECK_EQ_MSG(got.f, r->want.f, r->text)

TEST(decode_table)
{
	for (size_t i = 0; i < ARRAY_SIZE(ok_rows); i++) {
		const struct row *r = &ok_rows[i];
		struct ldst_insn got;

		CHECK_EQ_MSG(decode_row(r, &got), LDST_OK, r->text);
		CHECK_FIELD(len);
		CHECK_FIELD(is_load);
		CHECK_FIELD(size);
		CHECK_FIELD(sign_extend);
		CHECK_FIELD(pair);
		CHECK_FIELD(rt);
		CHECK_FIELD(rt2);
		CHECK_FIELD(rn);
		CHECK_FIELD(index);
		CHECK_FIELD(add);
		CHECK_FIELD(wback);
		CHECK_FIELD(reg_offset);
		CHECK_FIELD(rm);
		CHECK_FIELD(shift_type);
		CHECK_FIELD(shift_n);
		CHECK_FIELD(imm);
		CHECK_FIELD(unprivileged);
	}
}

TEST(refusal_table)
{
	for (size_t i = 0; i < ARRAY_SIZE(bad_rows); i++) {
		const struct row *r = &bad_rows[i];
		struct ldst_insn got;

		CHECK_EQ_MSG(decode_row(r, &got), r->res, r->text);
	}
}

TEST(thumb_length)
{
	const struct row *tables[] = { ok_rows, bad_rows };
	const size_t sizes[] = { ARRAY_SIZE(ok_rows), ARRAY_SIZE(bad_rows) };
	unsigned seen16 = 0, seen32 = 0;

	for (size_t t = 0; t < 2; t++) {
		for (size_t i = 0; i < sizes[t]; i++) {
			const struct row *r = &tables[t][i];
			uint16_t hw1 = r->enc > 0xffff ? r->enc >> 16 : r->enc;

			if (!r->thumb)
				continue;
			CHECK_EQ_MSG(thumb_is_32bit(hw1), r->want.len == 4, r->text);
			if (r->want.len == 4)
				seen32++;
			else
				seen16++;
		}
	}
	CHECK(seen16 >= 20 && seen32 >= 100);

	/* The three 32-bit prefixes, and the 16-bit ones next to them. */
	CHECK(thumb_is_32bit(0xe800));
	CHECK(thumb_is_32bit(0xf000));
	CHECK(thumb_is_32bit(0xf800));
	CHECK(!thumb_is_32bit(0xe7ff));
	CHECK(!thumb_is_32bit(0xdfff));
}

struct offset_row {
	const char *text;
	bool thumb;
	uint32_t enc;
	uint32_t rn_val, rm_val;
	bool carry;
	uint32_t offset, address, new_rn;
};

static const struct offset_row offset_rows[] = {
	{ "ldr r0, [r1, r2, lsl #2]", false, 0xe7910102,
	  0x1000, 3, false, 12, 0x100c, 0x100c },
	{ "ldr r0, [r1, -r2]", false, 0xe7110002,
	  0x1000, 0x10, false, 0x10, 0xff0, 0xff0 },
	{ "ldr r0, [r1, r2, lsr #32]", false, 0xe7910022,
	  0x1000, 0xffffffff, true, 0, 0x1000, 0x1000 },
	{ "ldr r0, [r1, r2, asr #32] (negative)", false, 0xe7910042,
	  0x1000, 0x80000000, false, 0xffffffff, 0xfff, 0xfff },
	{ "ldr r0, [r1, r2, asr #32] (positive)", false, 0xe7910042,
	  0x1000, 0x7fffffff, true, 0, 0x1000, 0x1000 },
	{ "ldr r0, [r1, r2, asr #3]", false, 0xe79101c2,
	  0x0, 0x80000010, false, 0xf0000002, 0xf0000002, 0xf0000002 },
	{ "ldr r0, [r1, r2, ror #7]", false, 0xe79103e2,
	  0x0, 0x00000081, false, 0x02000001, 0x02000001, 0x02000001 },
	{ "ldr r0, [r1, r2, rrx] (C = 1)", false, 0xe7910062,
	  0x100, 0x3, true, 0x80000001, 0x80000101, 0x80000101 },
	{ "ldr r0, [r1, r2, rrx] (C = 0)", false, 0xe7910062,
	  0x100, 0x3, false, 0x1, 0x101, 0x101 },
	{ "ldr r0, [r1], r2, rrx", false, 0xe6910062,
	  0x2000, 0x4, true, 0x80000002, 0x2000, 0x80002002 },
	{ "str r0, [r1], -r2, lsr #1", false, 0xe60100a2,
	  0x2000, 0x10, false, 8, 0x2000, 0x1ff8 },
	{ "str r0, [r1, r2, lsl #31]!", false, 0xe7a10f82,
	  0x2000, 3, false, 0x80000000, 0x80002000, 0x80002000 },
	{ "strb r0, [r1], r2, asr #32", false, 0xe6c10042,
	  0x2000, 1, true, 0, 0x2000, 0x2000 },
	{ "ldrh r0, [r1, -r2]!", false, 0xe13100b2,
	  0x3000, 6, false, 6, 0x2ffa, 0x2ffa },
	{ "ldr r0, [r1], #-8", false, 0xe4110008,
	  0x3000, 0xdeadbeef, true, 8, 0x3000, 0x2ff8 },
	{ "ldr r0, [pc, #-8] (PC reads 0x8008)", false, 0xe51f0008,
	  0x8008, 0, false, 8, 0x8000, 0x8000 },
	{ "ldrd r0, r1, [r2, #-8]! (T32)", true, 0xe9720102,
	  0x4000, 0xdeadbeef, false, 8, 0x3ff8, 0x3ff8 },
	{ "ldr.w r0, [r1, r2, lsl #3]", true, 0xf8510032,
	  0x4000, 2, false, 16, 0x4010, 0x4010 },
	{ "ldr.w r0, [r1], #-255", true, 0xf85109ff,
	  0x4000, 0x12345678, true, 255, 0x4000, 0x3f01 },
	{ "ldr r0, [r1, #124] (T16)", true, 0x6fc8,
	  0x4000, 0x12345678, false, 124, 0x407c, 0x407c },
	{ "ldrsb r1, [r2, r3] (T16)", true, 0x56d1,
	  0x4000, 0xfffffffc, false, 0xfffffffc, 0x3ffc, 0x3ffc },
};

TEST(offset_address_writeback)
{
	for (size_t i = 0; i < ARRAY_SIZE(offset_rows); i++) {
		const struct offset_row *r = &offset_rows[i];
		struct ldst_insn d;
		enum ldst_result res;
		uint32_t off;

		if (!r->thumb)
			res = ldst_decode_arm(r->enc, &d);
		else if (r->enc > 0xffff)
			res = ldst_decode_thumb(r->enc >> 16, r->enc & 0xffff, &d);
		else
			res = ldst_decode_thumb(r->enc, HW2_JUNK, &d);
		CHECK_EQ_MSG(res, LDST_OK, r->text);

		off = ldst_offset(&d, r->rm_val, r->carry);
		CHECK_EQ_MSG(off, r->offset, r->text);
		CHECK_EQ_MSG(ldst_address(&d, r->rn_val, off), r->address, r->text);
		CHECK_EQ_MSG(ldst_writeback(&d, r->rn_val, off), r->new_rn, r->text);
	}
}

/* ldst_offset() on hand-made descriptors: the shift edge cases directly. */
TEST(shift_edges)
{
	struct ldst_insn d = { .reg_offset = true };

	d.shift_type = LDST_LSL; d.shift_n = 0;
	CHECK_EQ(ldst_offset(&d, 0x89abcdef, true), 0x89abcdef);
	d.shift_type = LDST_LSR; d.shift_n = 32;
	CHECK_EQ(ldst_offset(&d, 0xffffffff, true), 0);
	d.shift_n = 31;
	CHECK_EQ(ldst_offset(&d, 0x80000000, false), 1);
	d.shift_type = LDST_ASR; d.shift_n = 32;
	CHECK_EQ(ldst_offset(&d, 0x80000000, false), 0xffffffff);
	CHECK_EQ(ldst_offset(&d, 0x7fffffff, true), 0);
	d.shift_n = 1;
	CHECK_EQ(ldst_offset(&d, 0x80000000, false), 0xc0000000);
	d.shift_type = LDST_ROR; d.shift_n = 4;
	CHECK_EQ(ldst_offset(&d, 0x0000001f, false), 0xf0000001);
	d.shift_n = 20;
	CHECK_EQ(ldst_offset(&d, 0x000fffff, true), 0xfffff000);
	d.shift_n = 31;
	CHECK_EQ(ldst_offset(&d, 0x80000001, false), 0x00000003);
	d.shift_type = LDST_RRX; d.shift_n = 1;
	CHECK_EQ(ldst_offset(&d, 0x00000001, true), 0x80000000);
	CHECK_EQ(ldst_offset(&d, 0xfffffffe, false), 0x7fffffff);

	/* Immediate forms ignore Rm and carry. */
	d = (struct ldst_insn){ .imm = 0x123, .shift_type = LDST_LSL, .shift_n = 4 };
	CHECK_EQ(ldst_offset(&d, 0xffffffff, true), 0x123);
}

struct extend_row {
	const char *text;
	bool thumb;
	uint32_t enc;
	uint32_t raw, want;
};

static const struct extend_row extend_rows[] = {
	{ "ldrsb r0, [r1, #1]", false, 0xe1d100d1, 0x80, 0xffffff80 },
	{ "ldrsb r0, [r1, #1]", false, 0xe1d100d1, 0x7f, 0x7f },
	{ "ldrsb r0, [r1, #1] (junk above byte)", false, 0xe1d100d1, 0xffffff7f, 0x7f },
	{ "ldrsh r0, [r1, #-2]!", false, 0xe17100f2, 0x8001, 0xffff8001 },
	{ "ldrsh r0, [r1, #-2]! (junk above half)", false, 0xe17100f2, 0x12347fff, 0x7fff },
	{ "ldrsht r0, [r1], #-2", false, 0xe07100f2, 0xffff, 0xffffffff },
	{ "ldrb r6, [r7, #255]", false, 0xe5d760ff, 0x1234ff80, 0x80 },
	{ "ldrh r0, [r1, #2]", false, 0xe1d100b2, 0xffff8000, 0x8000 },
	{ "ldr r0, [r1, #4]", false, 0xe5910004, 0x80000000, 0x80000000 },
	{ "ldrsb r1, [r2, r3] (T16)", true, 0x56d1, 0xfe, 0xfffffffe },
	{ "ldrsh r1, [r2, r3] (T16)", true, 0x5ed1, 0x00017fff, 0x7fff },
	{ "ldrsh.w r0, [r1, #2]", true, 0xf9b10002, 0xfffe, 0xfffffffe },
	{ "ldrsbt r0, [r1, #1]", true, 0xf9110e01, 0x80, 0xffffff80 },
	{ "ldrh.w r0, [r1, #2]", true, 0xf8b10002, 0xabcd8000, 0x8000 },
};

TEST(sign_extension)
{
	for (size_t i = 0; i < ARRAY_SIZE(extend_rows); i++) {
		const struct extend_row *r = &extend_rows[i];
		struct ldst_insn d;
		enum ldst_result res;

		if (!r->thumb)
			res = ldst_decode_arm(r->enc, &d);
		else if (r->enc > 0xffff)
			res = ldst_decode_thumb(r->enc >> 16, r->enc & 0xffff, &d);
		else
			res = ldst_decode_thumb(r->enc, HW2_JUNK, &d);
		CHECK_EQ_MSG(res, LDST_OK, r->text);
		CHECK_EQ_MSG(ldst_extend(&d, r->raw), r->want, r->text);
	}
}

#define N_FLAG	(1u << 31)
#define Z_FLAG	(1u << 30)
#define C_FLAG	(1u << 29)
#define V_FLAG	(1u << 28)

/* ITSTATE placed into a CPSR: IT[1:0] at 26:25, IT[7:2] at 15:10. */
static uint32_t with_it(uint32_t cpsr, unsigned it)
{
	return cpsr | (it & 3u) << 25 | (it >> 2) << 10;
}

static unsigned it_of(uint32_t cpsr)
{
	return ((cpsr >> 25) & 3u) | ((cpsr >> 10) & 0x3fu) << 2;
}

TEST(it_advance_steps)
{
	/* Outside an IT block the CPSR, every other bit included, is kept. */
	CHECK_EQ(cpsr_it_advance(0x600001f3), 0x600001f3);
	CHECK_EQ(cpsr_it_advance(0xf9ff03ff), 0xf9ff03ff);

	/* ITTEE EQ (bf07): IT = 0x07 -> 0x0e -> 0x1c -> 0x18 -> 0 */
	CHECK_EQ(cpsr_it_advance(with_it(0x1b3, 0x07)), with_it(0x1b3, 0x0e));
	CHECK_EQ(cpsr_it_advance(with_it(0x1b3, 0x0e)), with_it(0x1b3, 0x1c));
	CHECK_EQ(cpsr_it_advance(with_it(0x1b3, 0x1c)), with_it(0x1b3, 0x18));
	CHECK_EQ(cpsr_it_advance(with_it(0x1b3, 0x18)), 0x1b3);
	/* A single-instruction IT GT block (IT = 0xc8) ends after one step. */
	CHECK_EQ(cpsr_it_advance(with_it(N_FLAG | 0x30, 0xc8)), N_FLAG | 0x30);
}

/*
 * Walk a real IT block, as the MMIO path would after emulating each
 * instruction: PC moves by the decoded length, ITSTATE advances, and the
 * condition of the next instruction comes from IT[7:4].
 *
 *   0:  bf07       ittee eq
 *   2:  6848       ldreq   r0, [r1, #4]
 *   4:  f851 0f04  ldreq.w r0, [r1, #4]!
 *   8:  6008       strne   r0, [r1, #0]
 *   a:  f841 0c04  strne.w r0, [r1, #-4]
 *   e:  bf1c       itt ne
 *  10:  5b1a       ldrhne  r2, [r3, r4]
 *  12:  f913 2901  ldrsbne.w r2, [r3], #-1
 */
static const uint16_t it_code[] = {
	0xbf07, 0x6848, 0xf851, 0x0f04, 0x6008, 0xf841, 0x0c04,
	0xbf1c, 0x5b1a, 0xf913, 0x2901,
};

struct it_step {
	uint32_t pc;
	unsigned len;
	bool is_load;
	unsigned cond;
};

static uint32_t walk_it_block(uint32_t pc, uint32_t cpsr, const struct it_step *steps,
			      size_t n, uint32_t *cpsr_out)
{
	for (size_t i = 0; i < n; i++) {
		struct ldst_insn d;
		uint16_t hw1 = it_code[pc / 2];
		uint16_t hw2 = pc / 2 + 1 < ARRAY_SIZE(it_code) ? it_code[pc / 2 + 1] : 0;
		unsigned cond = it_of(cpsr) >> 4;

		CHECK_EQ(pc, steps[i].pc);
		CHECK_EQ(cond, steps[i].cond);
		CHECK_EQ(ldst_decode_thumb(hw1, hw2, &d), LDST_OK);
		CHECK_EQ(d.len, steps[i].len);
		CHECK_EQ(d.is_load, steps[i].is_load);
		/* Z is set: EQ instructions run, NE ones are skipped. */
		CHECK_EQ(cond_passed(cond, cpsr), cond == 0);
		pc += d.len;
		cpsr = cpsr_it_advance(cpsr);
	}
	*cpsr_out = cpsr;
	return pc;
}

TEST(it_block_walk)
{
	static const struct it_step ittee[] = {
		{ 0x2, 2, true, 0x0 }, { 0x4, 4, true, 0x0 },
		{ 0x8, 2, false, 0x1 }, { 0xa, 4, false, 0x1 },
	};
	static const struct it_step itt[] = {
		{ 0x10, 2, true, 0x1 }, { 0x12, 4, true, 0x1 },
	};
	const uint32_t base = Z_FLAG | C_FLAG | 0x1b3;	/* Thumb, SVC mode */
	uint32_t cpsr, pc;

	/* ittee eq executed: ITSTATE = firstcond:mask = hw1[7:0]. */
	pc = walk_it_block(2, with_it(base, it_code[0] & 0xff), ittee,
			   ARRAY_SIZE(ittee), &cpsr);
	CHECK_EQ(pc, 0xe);
	CHECK_EQ(cpsr, base);
	CHECK_EQ(it_of(cpsr), 0);

	pc = walk_it_block(0x10, with_it(base, it_code[7] & 0xff), itt,
			   ARRAY_SIZE(itt), &cpsr);
	CHECK_EQ(pc, 0x16);
	CHECK_EQ(cpsr, base);
}

struct cond_row {
	unsigned cond;
	uint32_t flags;
	bool pass;
};

static const struct cond_row cond_rows[] = {
	{ 0x0, Z_FLAG, true },			{ 0x0, N_FLAG | C_FLAG | V_FLAG, false },
	{ 0x1, Z_FLAG, false },			{ 0x1, 0, true },
	{ 0x2, C_FLAG, true },			{ 0x2, N_FLAG | Z_FLAG | V_FLAG, false },
	{ 0x3, C_FLAG, false },			{ 0x3, N_FLAG | Z_FLAG | V_FLAG, true },
	{ 0x4, N_FLAG, true },			{ 0x4, Z_FLAG | C_FLAG | V_FLAG, false },
	{ 0x5, N_FLAG, false },			{ 0x5, 0, true },
	{ 0x6, V_FLAG, true },			{ 0x6, N_FLAG, false },
	{ 0x7, V_FLAG, false },			{ 0x7, N_FLAG | Z_FLAG | C_FLAG, true },
	{ 0x8, C_FLAG, true },			{ 0x8, C_FLAG | Z_FLAG, false },
	{ 0x8, 0, false },
	{ 0x9, C_FLAG, false },			{ 0x9, C_FLAG | Z_FLAG, true },
	{ 0x9, 0, true },
	{ 0xa, 0, true },			{ 0xa, N_FLAG | V_FLAG, true },
	{ 0xa, N_FLAG, false },			{ 0xa, V_FLAG, false },
	{ 0xb, N_FLAG, true },			{ 0xb, V_FLAG, true },
	{ 0xb, N_FLAG | V_FLAG, false },	{ 0xb, 0, false },
	{ 0xc, 0, true },			{ 0xc, N_FLAG | V_FLAG, true },
	{ 0xc, Z_FLAG, false },			{ 0xc, N_FLAG, false },
	{ 0xd, Z_FLAG, true },			{ 0xd, V_FLAG, true },
	{ 0xd, 0, false },			{ 0xd, N_FLAG | V_FLAG, false },
	{ 0xe, 0, true },			{ 0xe, N_FLAG | Z_FLAG | C_FLAG | V_FLAG, true },
	{ 0xf, 0, true },			{ 0xf, N_FLAG | Z_FLAG | C_FLAG | V_FLAG, true },
};

TEST(condition_codes)
{
	char label[32];

	for (size_t i = 0; i < ARRAY_SIZE(cond_rows); i++) {
		const struct cond_row *r = &cond_rows[i];

		snprintf(label, sizeof(label), "cond %x flags %08x",
			 r->cond, (unsigned)r->flags);
		CHECK_EQ_MSG(cond_passed(r->cond, r->flags), r->pass, label);
		/* Bits other than NZCV (here: mode, T, IT, Q, GE) never matter. */
		CHECK_EQ_MSG(cond_passed(r->cond, r->flags | 0x0fffffff), r->pass, label);
	}

	/* Every odd code is the inverse of its even partner; AL and 1111 pass. */
	for (uint32_t f = 0; f < 16; f++) {
		uint32_t cpsr = f << 28;

		for (unsigned c = 0; c < 14; c += 2)
			CHECK_EQ(cond_passed(c + 1, cpsr), !cond_passed(c, cpsr));
		CHECK(cond_passed(0xe, cpsr));
		CHECK(cond_passed(0xf, cpsr));
	}
}
