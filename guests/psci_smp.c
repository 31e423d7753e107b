/* SPDX-License-Identifier: MIT */
/*
 * psci_smp: PSCI CPU_ON/AFFINITY_INFO/CPU_OFF in a partition of 2 vCPUs.
 * vCPU 1 starts at secondary_entry with the context id as its stack, checks
 * its MPIDR, reports through shared memory and turns itself off; vCPU 0
 * checks the states on the way and the error codes for bad arguments.
 */
#include "guest.h"

void secondary_entry(void);

static uint8_t secondary_stack[2048] __attribute__((aligned(8)));
static volatile uint32_t secondary_seen_mpidr;
static volatile uint32_t secondary_ran, secondary_release;
volatile uint32_t secondary_context;   /* r0 at entry, stored by smp_entry.S */

void secondary_main(void);
void secondary_main(void)
{
	uint32_t mpidr;

	__asm__ volatile("mrc p15, 0, %0, c0, c0, 5" : "=r"(mpidr));
	secondary_seen_mpidr = mpidr;
	__asm__ volatile("dmb" ::: "memory");
	secondary_ran = 1;
	/* Stay on until the primary has looked (trapping, so it can run). */
	while (!secondary_release)
		hvc_call(KEEL_HC_VERSION, 0, 0, 0);
	hvc_call(PSCI_CPU_OFF, 0, 0, 0);
	secondary_ran = 2;   /* CPU_OFF returned: must not happen */
}

/* Wait for the secondary, trapping so that Keel can run it on this CPU. */
static bool wait_for(uint32_t value)
{
	for (unsigned i = 0; i < 100000; i++) {
		if (secondary_ran == value)
			return true;
		hvc_call(KEEL_HC_VERSION, 0, 0, 0);
	}
	return false;
}

int main(void)
{
	uint32_t stack_top = (uint32_t)(secondary_stack + sizeof(secondary_stack));
	uint32_t mpidr, v;

	__asm__ volatile("mrc p15, 0, %0, c0, c0, 5" : "=r"(mpidr));
	CHECK_EQ("primary_mpidr", mpidr, 0x80000000u);
	CHECK_EQ("affinity_off_before", hvc_call(PSCI_AFFINITY_INFO, 1, 0, 0), 1);
	CHECK_EQ("cpu_on_unknown_cpu", hvc_call(PSCI_CPU_ON, 2, (uint32_t)secondary_entry, 0),
		 PSCI_RET_INVALID_PARAMETERS);
	CHECK_EQ("cpu_on_entry_outside_ram", hvc_call(PSCI_CPU_ON, 1, 0x30000000u, 0),
		 PSCI_RET_INVALID_ADDRESS);
	CHECK_EQ("cpu_on_self_already_on", hvc_call(PSCI_CPU_ON, 0, (uint32_t)secondary_entry, 0),
		 PSCI_RET_ALREADY_ON);
	CHECK_EQ("affinity_bad_level", hvc_call(PSCI_AFFINITY_INFO, 1, 1, 0),
		 PSCI_RET_INVALID_PARAMETERS);

	CHECK_EQ("cpu_on", smc_call(PSCI_CPU_ON, 1, (uint32_t)secondary_entry, stack_top),
		 PSCI_RET_SUCCESS);
	/* Started on another physical CPU, it may still be on its way: ON_PENDING. */
	v = hvc_call(PSCI_CPU_ON, 1, (uint32_t)secondary_entry, stack_top);
	CHECK("cpu_on_again_pending_or_on",
	      v == (uint32_t)PSCI_RET_ALREADY_ON || v == (uint32_t)PSCI_RET_ON_PENDING);
	CHECK("secondary_ran", wait_for(1));
	CHECK_EQ("cpu_on_again_already_on",
		 hvc_call(PSCI_CPU_ON, 1, (uint32_t)secondary_entry, stack_top), PSCI_RET_ALREADY_ON);
	CHECK_EQ("affinity_on", hvc_call(PSCI_AFFINITY_INFO, 1, 0, 0), 0);
	CHECK_EQ("secondary_mpidr", secondary_seen_mpidr, 0x80000001u);
	CHECK_EQ("secondary_context_id", secondary_context, stack_top);
	secondary_release = 1;
	/* After CPU_OFF the secondary is off for good (and CPU_OFF never returned). */
	for (unsigned i = 0; i < 200 && hvc_call(PSCI_AFFINITY_INFO, 1, 0, 0) != 1; i++)
		;
	CHECK_EQ("affinity_off_after", hvc_call(PSCI_AFFINITY_INFO, 1, 0, 0), 1);
	CHECK_EQ("cpu_off_did_not_return", secondary_ran, 1);
	return test_summary();
}
