/* SPDX-License-Identifier: MIT */
/*
 * decoder_refuse: an MMIO access that no load/store emulation can handle,
 * `ldm r0, {r1, r2}` on the test device. Keel must stop the partition with
 * a report instead of guessing.
 */
#include "guest.h"
#include <keel/testdev.h>

int main(void)
{
	printf("about to ldm from the test device\n");
	__asm__ volatile("mov r0, %0\n\tldm r0, {r1, r2}"
			 :: "r"(TESTDEV_BASE) : "r0", "r1", "r2", "memory");
	printf("FAIL: ldm survived\n");
	return 1;
}
