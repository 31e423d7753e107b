/* SPDX-License-Identifier: MIT */
/*
 * Recognising a guest kernel's panic on its console (core/guest_panic.c):
 * the message is kept; at the end marker or at the reboot the panic asks
 * for it is a crash, which the partition's restart policy (core/crash.c)
 * ends or restarts; ordinary lines never trigger it.
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
	CHECK(!guest_panic_restarts(&vm));            /* policy "stop": it ends */
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
	CHECK(!vm.panicked);                            /* a plain reboot restarts */
	CHECK_EQ(fake.stop_calls, 0);
}

TEST(panic_with_restart_policy_restarts)
{
	setup();
	vm.cfg.restart = RESTART_ALWAYS;
	vm.cfg.max_restarts = 1;
	line("Kernel panic - not syncing: Attempted to kill init!");
	CHECK(guest_panic_restarts(&vm));             /* the reboot it asked for happens */
	CHECK_EQ(fake.stop_calls, 0);
	CHECK_STR_EQ(vm.reset_why, "restart 1 of 1");
	vm.state = VM_RESETTING;                      /* as the scheduler's restart() does */
	line("---[ end Kernel panic - not syncing: Attempted to kill init! ]---");
	CHECK_EQ(fake.stop_calls, 0);                 /* already restarting: once per crash */
	vm.state = VM_RUNNING;                        /* ... the restart happened */
	vm.panicked = false;
	line("Kernel panic - not syncing: again");
	CHECK(!guest_panic_restarts(&vm));            /* no restarts left */
	CHECK_STR_EQ(fake.stop_reason, "stopped: kernel panic: again (no restarts left)");
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
