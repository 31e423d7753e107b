/* SPDX-License-Identifier: MIT */
/*
 * Test reporting for guests. Every check prints exactly one line,
 * "PASS: <name>" or "FAIL: <name> <details>", and failures are counted;
 * a guest's main() returns test_summary(), i.e. the number of failures,
 * so the partition's exit status is 0 only when everything passed.
 */
#ifndef GUEST_TEST_H
#define GUEST_TEST_H

#include <stdint.h>
#include <stdbool.h>

void test_pass(const char *name);
void test_fail(const char *name, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
bool test_check(const char *name, bool ok, const char *what);
bool test_check_eq(const char *name, uint32_t got, uint32_t want);
unsigned test_failures(void);

/* Prints "DONE: <n> passed, <m> failed"; returns the failure count. */
int test_summary(void);

#define CHECK(name, cond)		test_check((name), (cond), #cond)
#define CHECK_EQ(name, got, want)	\
	test_check_eq((name), (uint32_t)(got), (uint32_t)(want))

#endif
