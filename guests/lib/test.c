/* SPDX-License-Identifier: MIT */
/* PASS/FAIL lines and the pass/fail counters behind test.h. */
#include <stdarg.h>
#include "printf.h"
#include "test.h"

static unsigned passed, failed;

void test_pass(const char *name)
{
	passed++;
	printf("PASS: %s\n", name);
}

void test_fail(const char *name, const char *fmt, ...)
{
	va_list ap;

	failed++;
	printf("FAIL: %s ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

bool test_check(const char *name, bool ok, const char *what)
{
	if (ok)
		test_pass(name);
	else
		test_fail(name, "(%s)", what);
	return ok;
}

bool test_check_eq(const char *name, uint32_t got, uint32_t want)
{
	if (got == want) {
		test_pass(name);
		return true;
	}
	test_fail(name, "got 0x%08x want 0x%08x", got, want);
	return false;
}

unsigned test_failures(void)
{
	return failed;
}

int test_summary(void)
{
	printf("DONE: %u passed, %u failed\n", passed, failed);
	return (int)failed;
}
