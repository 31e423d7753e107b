/* SPDX-License-Identifier: MIT */
/*
 * abort_nohandler: point VBAR at unmapped memory, then fault. The injected
 * data abort's vector fetch fails too, so Keel must stop the partition;
 * the guest never gets to print again.
 */
#include "guest.h"

int main(void)
{
	write_vbar(0x30000000u);
	printf("about to fault\n");
	(void)mmio_read32(0x30000000u);
	printf("FAIL: survived\n");
	return 1;
}
