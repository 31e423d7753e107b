/* SPDX-License-Identifier: MIT */
/*
 * SMCCC calls from a guest: function id in r0, arguments in r1-r3, results
 * in r0-r3 (see include/keel/hypercall.h). hvc_call()/smc_call() return r0;
 * the *_res variants also hand back r1-r3.
 */
#ifndef GUEST_HVC_H
#define GUEST_HVC_H

#include <stdint.h>
#include <stddef.h>
#include <keel/hypercall.h>

struct smccc_res {
	uint32_t r0, r1, r2, r3;
};

/* res may be NULL. Both return r0. */
uint32_t smccc_hvc(uint32_t id, uint32_t a1, uint32_t a2, uint32_t a3,
		   struct smccc_res *res);
uint32_t smccc_smc(uint32_t id, uint32_t a1, uint32_t a2, uint32_t a3,
		   struct smccc_res *res);

static inline int32_t hvc_call(uint32_t id, uint32_t a1, uint32_t a2, uint32_t a3)
{
	return (int32_t)smccc_hvc(id, a1, a2, a3, NULL);
}

static inline int32_t smc_call(uint32_t id, uint32_t a1, uint32_t a2, uint32_t a3)
{
	return (int32_t)smccc_smc(id, a1, a2, a3, NULL);
}

static inline int32_t hvc_call_res(uint32_t id, uint32_t a1, uint32_t a2,
				   uint32_t a3, struct smccc_res *res)
{
	return (int32_t)smccc_hvc(id, a1, a2, a3, res);
}

static inline int32_t smc_call_res(uint32_t id, uint32_t a1, uint32_t a2,
				   uint32_t a3, struct smccc_res *res)
{
	return (int32_t)smccc_smc(id, a1, a2, a3, res);
}

/* KEEL_HC_EXIT; should it ever return, sleep forever. */
static inline __attribute__((noreturn)) void guest_exit(int status)
{
	hvc_call(KEEL_HC_EXIT, (uint32_t)status, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}

#endif
