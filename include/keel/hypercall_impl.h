/* SPDX-License-Identifier: MIT */
/*
 * Hypercall and PSCI dispatch for one vCPU's HVC or SMC. Arguments are read
 * and results written through arch_vcpu_get_reg/set_reg (SMCCC: r0-r3), so
 * this code and its argument checks run unchanged in host unit tests.
 */
#ifndef KEEL_HYPERCALL_IMPL_H
#define KEEL_HYPERCALL_IMPL_H

#include <keel/types.h>

struct vcpu;

/* Handle the call in the vCPU's registers. from_smc: it came through SMC. */
void hypercall_handle(struct vcpu *v, bool from_smc);

/*
 * The calls that touch nothing shared (KEEL_HC_VERSION, KEEL_HC_EXIT_STATS,
 * unknown ids): answered without the lock. false: call hypercall_handle().
 */
bool hypercall_fast(struct vcpu *v);

/* The guest side of PSCI; returns the value for r0. */
int32_t psci_handle(struct vcpu *v, uint32_t fn);

/* Whether [ipa, ipa + len) lies inside [base, base + size), without overflow. */
bool guest_range_ok(ipa_t base, uint64_t size, ipa_t ipa, uint64_t len);

#endif
