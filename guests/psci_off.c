/* SPDX-License-Identifier: MIT */
/*
 * psci_off / psci_off_hvc: power the partition off with PSCI SYSTEM_OFF,
 * through `smc #0` (psci_off) or `hvc #0` (psci_off_hvc, built with
 * -DPSCI_OFF_HVC). The call must not return.
 */
#include "guest.h"

#ifdef PSCI_OFF_HVC
#define NAME		"psci_off_hvc"
#define PSCI_CALL	hvc_call
#else
#define NAME		"psci_off"
#define PSCI_CALL	smc_call
#endif

int main(void)
{
	printf("PASS: " NAME " about to power off\n");
	PSCI_CALL(PSCI_SYSTEM_OFF, 0, 0, 0);
	printf("FAIL: " NAME " returned\n");
	return 1;
}
