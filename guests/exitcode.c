/* SPDX-License-Identifier: MIT */
/* exitcode: leave through KEEL_HC_EXIT with status 42 (not via main's return). */
#include "guest.h"

int main(void)
{
	printf("exiting with 42\n");
	hvc_call(KEEL_HC_EXIT, 42, 0, 0);
	printf("FAIL: exitcode returned\n");
	return 1;
}
