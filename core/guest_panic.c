/* SPDX-License-Identifier: MIT */
/* Ending a partition whose kernel panicked: see <keel/guest_panic.h>. */
#include <string.h>
#include <keel/guest_panic.h>
#include <keel/printf.h>
#include <keel/trap.h>
#include <keel/vm.h>

#define PANIC_MARK "Kernel panic - not syncing: "
#define END_MARK   "---[ end Kernel panic - not syncing"

/* Where pat starts in s[0, n), or NULL. */
static const char *find(const char *s, unsigned n, const char *pat)
{
	size_t m = strlen(pat);

	for (unsigned i = 0; i + m <= n; i++)
		if (!memcmp(s + i, pat, m))
			return s + i;
	return NULL;
}


void guest_panic_watch(struct vm *vm, const char *line, unsigned len)
{
	const char *p;

	if (vm->panicked) {
		if (find(line, len, END_MARK))
			vm_crash(vm, "kernel panic: %s", vm->panic_msg);
		return;
	}
	p = find(line, len, PANIC_MARK);
	if (!p)
		return;
	p += strlen(PANIC_MARK);
	len -= (unsigned)(p - line);
	len = MIN(len, (unsigned)sizeof(vm->panic_msg) - 1);
	memcpy(vm->panic_msg, p, len);
	vm->panic_msg[len] = '\0';
	vm->panicked = true;
}

bool guest_panic_restarts(struct vm *vm)
{
	char why[sizeof(vm->panic_msg) + 16];

	snprintf(why, sizeof(why), "kernel panic: %s", vm->panic_msg);
	return vm_crash_restarts(vm, why);
}
