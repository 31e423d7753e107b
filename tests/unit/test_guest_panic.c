/* SPDX-License-Identifier: MIT */
/*
 * Recognising a guest kernel's panic on its console (core/guest_panic.c):
 * the message is kept, the partition ends at the end marker or at the
 * reboot the panic asks for, and ordinary lines never trigger it.
 */
#include <string.h>
#include "unit.h"
#include "fakes.h"
#include <keel/guest_panic.h>
#include <keel/trap.h>

static struct vm vm;

static void setup(void)
{
	fake_reset();
	memset(&vm, 0, sizeof(vm));
	vm.state = VM_RUNNING;
}

static void line(const char *s)
{
	guest_panic_watch(&vm, s, (unsigned)strlen(s));
}

TEST(panic_then_reboot_stops_instead)
{
	setup();
	line("[    3.141592] sysrq: Trigger a crash");
	line("[    3.150000] Kernel panic - not syncing: sysrq triggered crash");
	CHECK(vm.panicked);
	CHECK_STR_EQ(vm.panic_msg, "sysrq triggered crash");
	CHECK_EQ(fake.stop_calls, 0);                 /* the backtrace is still to come */
	line("[    3.160000] CPU: 0 PID: 1 Comm: sh Not tainted");
	CHECK_EQ(fake.stop_calls, 0);
	CHECK(guest_panic_stop(&vm));
	CHECK_EQ(fake.stop_calls, 1);
	CHECK_EQ(fake.stop_status, KEEL_STATUS_FAULT);
	CHECK_STR_EQ(fake.stop_reason, "stopped: kernel panic: sysrq triggered crash");
}

TEST(end_marker_stops)
{
	setup();
	line("Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)");
	line("---[ end Kernel panic - not syncing: VFS: Unable to mount root fs ]---");
	CHECK_EQ(fake.stop_calls, 1);
	CHECK_STR_EQ(fake.stop_reason,
		     "stopped: kernel panic: VFS: Unable to mount root fs on unknown-block(0,0)");
}

TEST(ordinary_lines_and_reboots_do_not)
{
	setup();
	line("[    0.000000] Booting Linux on physical CPU 0x0");
	line("Kernel panic - not syncing");              /* no ": <why>" */
	line("echo Kernel panic");
	line("");
	CHECK(!vm.panicked);
	CHECK(!guest_panic_stop(&vm));                  /* a plain reboot restarts */
	CHECK_EQ(fake.stop_calls, 0);
}

TEST(long_message_truncated)
{
	char buf[300];

	setup();
	memset(buf, 'x', sizeof(buf));
	memcpy(buf, "Kernel panic - not syncing: ", 28);
	guest_panic_watch(&vm, buf, sizeof(buf));       /* not NUL-terminated */
	CHECK(vm.panicked);
	CHECK_EQ(strlen(vm.panic_msg), sizeof(vm.panic_msg) - 1);
	CHECK_EQ(vm.panic_msg[0], 'x');
}
