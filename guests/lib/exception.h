/* SPDX-License-Identifier: MIT */
/*
 * Exception hooks for test guests. vectors.S saves a struct exc_frame and
 * calls the handler registered for that vector; the handler may change the
 * frame (registers, resume address, SPSR). Unhandled exceptions print a
 * report and exit the partition with status 0xe0 + vector.
 */
#ifndef GUEST_EXCEPTION_H
#define GUEST_EXCEPTION_H

#include <stdint.h>

enum exc_vector {
	EXC_RESET = 0, EXC_UNDEF = 1, EXC_SVC = 2, EXC_PABT = 3,
	EXC_DABT = 4, EXC_HYP = 5, EXC_IRQ = 6, EXC_FIQ = 7,
	EXC_COUNT = 8,
};

struct exc_frame {
	uint32_t r[13];		/* r0-r12 of the interrupted context */
	uint32_t lr;		/* the exception mode's LR as taken (raw) */
	uint32_t pc;		/* resume address; preset to the faulting insn */
	uint32_t spsr;		/* CPSR to resume with */
};

#define PSR_MODE_MASK	0x1fu
#define PSR_MODE_SVC	0x13u
#define PSR_T		(1u << 5)

typedef void (*exc_handler_t)(struct exc_frame *f);

/* Register (or with NULL remove) the handler for one vector. */
void exc_set_handler(enum exc_vector v, exc_handler_t h);

/* Resume after the instruction at f->pc (ARM, Thumb 16- or 32-bit). */
void exc_skip_insn(struct exc_frame *f);

/* Resume at addr; bit 0 of addr selects Thumb state. */
void exc_resume_at(struct exc_frame *f, uint32_t addr);

/* Called by vectors.S only. */
void exc_dispatch(struct exc_frame *f, unsigned vector);

#define CP15_READ(name, op1, crn, crm, op2)				\
	static inline uint32_t read_##name(void)			\
	{ uint32_t v; __asm__ volatile("mrc p15, " #op1 ", %0, " #crn	\
		", " #crm ", " #op2 : "=r"(v)); return v; }		\
	static inline void write_##name(uint32_t v)			\
	{ __asm__ volatile("mcr p15, " #op1 ", %0, " #crn ", " #crm	\
		", " #op2 "\n\tisb" :: "r"(v) : "memory"); }

CP15_READ(dfsr, 0, c5, c0, 0)
CP15_READ(ifsr, 0, c5, c0, 1)
CP15_READ(dfar, 0, c6, c0, 0)
CP15_READ(ifar, 0, c6, c0, 2)
CP15_READ(vbar, 0, c12, c0, 0)

#define FSR_STATUS(v)	((v) & 0x40fu)	/* short-descriptor FS[4], FS[3:0] */
#define FSR_SYNC_EXT	0x008u		/* synchronous external abort */
#define DFSR_WNR	(1u << 11)

#endif
