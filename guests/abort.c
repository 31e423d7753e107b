/* SPDX-License-Identifier: MIT */
/*
 * abort: the guest's own abort handlers see the aborts Keel injects for
 * accesses to unmapped IPAs. Data aborts (ARM ldr/str, Thumb 16- and
 * 32-bit loads) are skipped by the handler; the prefetch abort of a branch
 * into nothing resumes at a recovery label. Afterwards the guest carries on.
 */
#include "guest.h"

#define FAULT_SENTINEL	0x5e5e1e55u
#define FAULT_RECOVERED	0x600dc0deu
#ifndef HOLE
#define HOLE		0x30000000u	/* nothing mapped here under Keel */
#endif

uint32_t fault_ldr(uint32_t addr);
uint32_t fault_str(uint32_t addr, uint32_t value);
uint32_t fault_thumb_ldrb(uint32_t addr);
uint32_t fault_thumb2_ldr(uint32_t addr);
uint32_t fault_branch(uint32_t addr);
extern const char fault_ldr_insn[], fault_str_insn[], fault_branch_recover[];
extern const char fault_thumb_ldrb_insn[], fault_thumb2_ldr_insn[];

static volatile struct {
	unsigned count;
	uint32_t far, fsr, lr, spsr;
} seen;

static void on_dabt(struct exc_frame *f)
{
	seen.count++;
	seen.far = read_dfar();
	seen.fsr = read_dfsr();
	seen.lr = f->lr;
	seen.spsr = f->spsr;
	exc_skip_insn(f);
}

static void on_pabt(struct exc_frame *f)
{
	seen.count++;
	seen.far = read_ifar();
	seen.fsr = read_ifsr();
	seen.lr = f->lr;
	seen.spsr = f->spsr;
	f->r[0] = FAULT_RECOVERED;
	exc_resume_at(f, (uint32_t)fault_branch_recover);
}

static void reset_seen(void)
{
	seen.count = 0;
	seen.far = seen.fsr = seen.lr = seen.spsr = 0;
	write_dfar(0);
	write_dfsr(0);
	write_ifar(0);
	write_ifsr(0);
}

static uint32_t addr_of(const char *label)
{
	return (uint32_t)label & ~1u;
}

/* buf = a + "_" + b (buf holds 64 bytes; the names here are short). */
static void join(char *buf, const char *a, const char *b)
{
	while (*a)
		*buf++ = *a++;
	*buf++ = '_';
	while (*b)
		*buf++ = *b++;
	*buf = '\0';
}

/* Checks shared by every data abort case; prefix is e.g. "abort_ldr". */
static void check_dabt(const char *prefix, uint32_t far, uint32_t insn,
		       bool write, bool thumb, uint32_t got, uint32_t want)
{
	static const char *const what[] = {
		"taken", "dfar", "dfsr", "wnr", "lr", "spsr", "resumed",
	};
	char name[64];
	uint32_t mode = seen.spsr & (PSR_MODE_MASK | PSR_T);
	bool ok[] = {
		seen.count == 1,
		seen.far == far,
		FSR_STATUS(seen.fsr) == FSR_SYNC_EXT,
		!!(seen.fsr & DFSR_WNR) == write,
		seen.lr == insn + 8,
		mode == (PSR_MODE_SVC | (thumb ? PSR_T : 0)),
		got == want,
	};

	for (unsigned i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		join(name, prefix, what[i]);
		if (ok[i])
			test_pass(name);
		else
			test_fail(name, "count %u far %08x fsr %08x lr %08x spsr %08x "
				  "ret %08x (want far %08x lr %08x ret %08x)",
				  seen.count, seen.far, seen.fsr, seen.lr, seen.spsr,
				  got, far, insn + 8, want);
	}
}

int main(void)
{
	uint32_t r;

	exc_set_handler(EXC_DABT, on_dabt);
	exc_set_handler(EXC_PABT, on_pabt);

	reset_seen();
	r = fault_ldr(HOLE);
	check_dabt("abort_ldr", HOLE, addr_of(fault_ldr_insn), false, false,
		   r, FAULT_SENTINEL);

	reset_seen();
	r = fault_str(HOLE + 4, 0x12345678u);
	check_dabt("abort_str", HOLE + 4, addr_of(fault_str_insn), true, false, r, 0);

	reset_seen();
	r = fault_thumb_ldrb(HOLE + 8);
	check_dabt("abort_thumb_ldrb", HOLE + 8, addr_of(fault_thumb_ldrb_insn),
		   false, true, r, FAULT_SENTINEL);

	reset_seen();
	r = fault_thumb2_ldr(HOLE + 12);
	check_dabt("abort_thumb2_ldr", HOLE + 12, addr_of(fault_thumb2_ldr_insn),
		   false, true, r, FAULT_SENTINEL);

	reset_seen();
	r = fault_branch(HOLE);
	CHECK_EQ("abort_pabt_taken", seen.count, 1);
	CHECK_EQ("abort_pabt_ifar", seen.far, HOLE);
	CHECK_EQ("abort_pabt_ifsr", FSR_STATUS(seen.fsr), FSR_SYNC_EXT);
	CHECK_EQ("abort_pabt_lr", seen.lr, HOLE + 4);
	CHECK_EQ("abort_pabt_spsr", seen.spsr & (PSR_MODE_MASK | PSR_T), PSR_MODE_SVC);
	CHECK_EQ("abort_pabt_resumed", r, FAULT_RECOVERED);

	exc_set_handler(EXC_DABT, NULL);
	exc_set_handler(EXC_PABT, NULL);
	printf("abort: still running after %s\n", "all faults");
	test_pass("abort_alive");
	return test_summary();
}
