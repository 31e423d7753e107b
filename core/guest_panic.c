/* SPDX-License-Identifier: MIT */
/* Ending a partition whose kernel panicked: see <keel/guest_panic.h>. */
#include <string.h>
#include <keel/guest_panic.h>
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

static void stop(struct vm *vm)
{
	vm_stop(vm, KEEL_STATUS_FAULT, "stopped: kernel panic: %s", vm->panic_msg);
}

void guest_panic_watch(struct vm *vm, const char *line, unsigned len)
{
	const char *p;

	if (vm->panicked) {
		if (find(line, len, END_MARK))
			stop(vm);
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

bool guest_panic_stop(struct vm *vm)
{
	if (!vm->panicked)
		return false;
	stop(vm);
	return true;
}
