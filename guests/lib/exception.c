/* SPDX-License-Identifier: MIT */
/*
 * Dispatch of the guest's exceptions to registered C hooks, the default
 * "unexpected exception" report, and helpers to resume after a fault.
 */
#include <stddef.h>
#include "exception.h"
#include "hvc.h"
#include "printf.h"

static exc_handler_t handlers[EXC_COUNT];
static int in_fatal;

static const char *const vec_names[EXC_COUNT] = {
	"reset", "undefined instruction", "svc", "prefetch abort",
	"data abort", "hyp", "irq", "fiq",
};

void exc_set_handler(enum exc_vector v, exc_handler_t h)
{
	if ((unsigned)v < EXC_COUNT)
		handlers[v] = h;
}

/* Address of the instruction that took the exception, from the raw LR. */
static uint32_t fault_pc(const struct exc_frame *f, unsigned vector)
{
	switch (vector) {
	case EXC_DABT:
		return f->lr - 8;
	case EXC_UNDEF:
		return f->lr - ((f->spsr & PSR_T) ? 2 : 4);
	case EXC_SVC:
		return f->lr;
	default:
		return f->lr - 4;
	}
}

static void unexpected(struct exc_frame *f, unsigned vector)
{
	if (in_fatal)		/* e.g. EXIT itself is undefined natively */
		for (;;)
			__asm__ volatile("wfi");
	in_fatal = 1;
	printf("FAIL: unexpected %s exception at pc %08x (lr %08x, spsr %08x)\n",
	       vec_names[vector], f->pc, f->lr, f->spsr);
	if (vector == EXC_DABT)
		printf("  dfar %08x dfsr %08x\n", read_dfar(), read_dfsr());
	else if (vector == EXC_PABT)
		printf("  ifar %08x ifsr %08x\n", read_ifar(), read_ifsr());
	guest_exit(0xe0 + (int)vector);
}

void exc_dispatch(struct exc_frame *f, unsigned vector)
{
	f->pc = fault_pc(f, vector);
	if (vector < EXC_COUNT && handlers[vector] != NULL)
		handlers[vector](f);
	else
		unexpected(f, vector & 7);
}

/* ITAdvance() on the IT bits of a PSR (IT[1:0] = 26:25, IT[7:2] = 15:10). */
static uint32_t it_advance(uint32_t psr)
{
	uint32_t it = ((psr >> 25) & 3) | (((psr >> 10) & 0x3f) << 2);

	if ((it & 7) == 0)
		it = 0;
	else
		it = (it & 0xe0) | ((it << 1) & 0x1f);
	psr &= ~((3u << 25) | (0x3fu << 10));
	return psr | ((it & 3) << 25) | ((it >> 2) << 10);
}

void exc_skip_insn(struct exc_frame *f)
{
	if (f->spsr & PSR_T) {
		uint16_t hw = *(const volatile uint16_t *)f->pc;

		f->pc += ((hw >> 11) >= 0x1d) ? 4 : 2;
		f->spsr = it_advance(f->spsr);
	} else {
		f->pc += 4;
	}
}

void exc_resume_at(struct exc_frame *f, uint32_t addr)
{
	f->pc = addr & ~1u;
	f->spsr &= ~((3u << 25) | (0x3fu << 10) | PSR_T);
	if (addr & 1)
		f->spsr |= PSR_T;
}
