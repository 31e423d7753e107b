/* SPDX-License-Identifier: MIT */
/* hello: the smallest guest. Prints a greeting and one PASS line. */
#include "guest.h"

int main(void)
{
	printf("Hello from a Keel partition\n");
	test_pass("hello");
	return test_summary();
}
