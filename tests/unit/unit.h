/* SPDX-License-Identifier: MIT */
/*
 * A very small host-side test harness. Each tests/unit/test_*.c file is one
 * program; TEST(name) { ... } defines a case, CHECK*() record failures without
 * stopping the case. Every case prints "PASS: file/name" or "FAIL: file/name";
 * tests/run.sh counts those lines. Sources the test needs besides its own file
 * are listed, one path per line, in tests/unit/test_*.deps.
 */
#ifndef UNIT_H
#define UNIT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <inttypes.h>

struct unit_case {
	const char *name;
	void (*fn)(void);
};

extern int unit_failed_checks;
void unit_register(const char *name, void (*fn)(void));

#define TEST(name)                                                        \
	static void test_##name(void);                                    \
	__attribute__((constructor)) static void reg_##name(void)         \
	{ unit_register(#name, test_##name); }                            \
	static void test_##name(void)

#define CHECK(cond) do {                                                  \
	if (!(cond)) {                                                    \
		unit_failed_checks++;                                     \
		fprintf(stderr, "  %s:%d: CHECK(%s) failed\n",            \
			__FILE__, __LINE__, #cond);                       \
	}                                                                 \
} while (0)

#define CHECK_EQ(a, b) do {                                               \
	unsigned long long va_ = (unsigned long long)(a);                 \
	unsigned long long vb_ = (unsigned long long)(b);                 \
	if (va_ != vb_) {                                                 \
		unit_failed_checks++;                                     \
		fprintf(stderr, "  %s:%d: %s == %s failed: 0x%llx != 0x%llx\n", \
			__FILE__, __LINE__, #a, #b, va_, vb_);            \
	}                                                                 \
} while (0)

#define CHECK_STR_EQ(a, b) do {                                           \
	const char *sa_ = (a), *sb_ = (b);                                \
	if (strcmp(sa_, sb_)) {                                           \
		unit_failed_checks++;                                     \
		fprintf(stderr, "  %s:%d: %s == %s failed: \"%s\" != \"%s\"\n", \
			__FILE__, __LINE__, #a, #b, sa_, sb_);            \
	}                                                                 \
} while (0)

/* Like CHECK_EQ but with a caller-chosen label, for table-driven tests. */
#define CHECK_EQ_MSG(a, b, label) do {                                    \
	unsigned long long va_ = (unsigned long long)(a);                 \
	unsigned long long vb_ = (unsigned long long)(b);                 \
	if (va_ != vb_) {                                                 \
		unit_failed_checks++;                                     \
		fprintf(stderr, "  %s:%d: [%s] %s == %s failed: 0x%llx != 0x%llx\n", \
			__FILE__, __LINE__, (label), #a, #b, va_, vb_);   \
	}                                                                 \
} while (0)

/*
 * A refusal's message: why (size bytes) is NUL-terminated and holds every
 * word of want, a NULL-ended list (WANT("a", "b")); each missing word is a
 * failed check, printed with the label.
 */
void check_why_has(const char *why, size_t size, const char *label, const char *const *want);
#define WANT(...) ((const char *const[]){ __VA_ARGS__, NULL })

#endif
