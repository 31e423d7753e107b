/* SPDX-License-Identifier: MIT */
/*
 * vfp: fills every VFP/NEON register and FPSCR with a pattern of its own,
 * traps to Keel (so other partitions run on the same CPU in between), and
 * checks that nothing changed. Built twice with different VFP_SEED (vfp_a,
 * vfp_b): two of them in one bundle fail unless Keel switches VFP state with
 * the vCPU.
 */
#include "guest.h"

#ifndef VFP_SEED
#define VFP_SEED 0x10000000u
#endif

void vfp_enable(void);
void vfp_fill(uint32_t seed);
int vfp_check(uint32_t seed);

int main(void)
{
	unsigned bad = 0;

	vfp_enable();
	for (unsigned round = 0; round < 200; round++) {
		uint32_t seed = VFP_SEED + round * 0x100;

		vfp_fill(seed);
		/* Trap to Keel: another partition may run before we continue. */
		hvc_call(KEEL_HC_VERSION, 0, 0, 0);
		hvc_call(KEEL_HC_VERSION, 0, 0, 0);
		bad += vfp_check(seed) != 0;
	}
	CHECK_EQ("vfp_state_kept", bad, 0);
	return test_summary();
}
