/* SPDX-License-Identifier: MIT */
/* Runs every TEST() linked into this program and reports each one. */
#include "unit.h"

#define UNIT_MAX_CASES 512

int unit_failed_checks;
static struct unit_case cases[UNIT_MAX_CASES];
static int ncases;

void unit_register(const char *name, void (*fn)(void))
{
	if (ncases == UNIT_MAX_CASES) {
		fprintf(stderr, "unit: too many cases\n");
		exit(2);
	}
	cases[ncases].name = name;
	cases[ncases].fn = fn;
	ncases++;
}

void check_why_has(const char *why, size_t size, const char *label, const char *const *want)
{
	CHECK_EQ_MSG(memchr(why, '\0', size) != NULL, 1, label);
	for (; *want; want++) {
		if (!strstr(why, *want)) {
			fprintf(stderr, "  [%s] why \"%s\" lacks \"%s\"\n", label, why, *want);
			CHECK_EQ_MSG(0, 1, label);
		}
	}
}

int main(int argc, char **argv)
{
	const char *prog = argc > 0 ? strrchr(argv[0], '/') : NULL;
	int failed = 0;

	prog = prog ? prog + 1 : (argc > 0 ? argv[0] : "unit");
	for (int i = 0; i < ncases; i++) {
		int before = unit_failed_checks;

		cases[i].fn();
		if (unit_failed_checks != before) {
			printf("FAIL: %s/%s\n", prog, cases[i].name);
			failed++;
		} else {
			printf("PASS: %s/%s\n", prog, cases[i].name);
		}
	}
	if (ncases == 0) {
		printf("FAIL: %s/no-cases\n", prog);
		return 1;
	}
	return failed ? 1 : 0;
}
