/* SPDX-License-Identifier: MIT */
/*
 * Keel's shell (core/shell.c) on the host: bytes are fed as core/console.c
 * feeds them; its output (console_shell_write and printk) is collected in
 * order; the partition operations it calls are recorded.
 */
#include <stdarg.h>
#include "unit.h"
#include "fakes.h"
#include <keel/console.h>
#include <keel/shell.h>
#include <keel/stats.h>
#include <keel/vm.h>

struct vm vms[VM_MAX];

static struct {
	unsigned stats_calls, restart_calls, start_calls;
	struct vm *stats_vm, *restart_vm, *start_vm;
	char restart_why[64];
	int start_result;
} rec;

void stats_report(struct vm *vm)
{
	rec.stats_calls++;
	rec.stats_vm = vm;
	printk("keel: stats '%s' vcpu 0: hvc=1/1us\n", vm->name);
}

void vm_request_restart(struct vm *vm, const char *why)
{
	rec.restart_calls++;
	rec.restart_vm = vm;
	snprintf(rec.restart_why, sizeof(rec.restart_why), "%s", why);
}

int vm_request_start(struct vm *vm)
{
	rec.start_calls++;
	rec.start_vm = vm;
	if (rec.start_result == 0 && vm->state == VM_STOPPED)
		vm->state = VM_READY;
	return rec.start_result;
}

/* The shell's own output goes into the same log as printk's, in order. */
void console_shell_write(const char *fmt, ...)
{
	va_list ap;
	size_t room = sizeof(fake.printk_buf) - fake.printk_len;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(fake.printk_buf + fake.printk_len, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		fake.printk_len += (size_t)n < room ? (size_t)n : room - 1;
}

static char passed[256];      /* bytes that went to the focused partition */
static size_t npassed;

static void clear_output(void)
{
	fake.printk_len = 0;
	fake.printk_buf[0] = '\0';
}

static const char *output(void)
{
	return fake.printk_buf;
}

/* Two partitions: left (1 vCPU on CPU 0, running), right (2 vCPUs on CPUs 1, 0). */
static void setup(void)
{
	fake_reset();
	shell_reset();
	memset(vms, 0, sizeof(vms));
	memset(&rec, 0, sizeof(rec));
	npassed = 0;
	passed[0] = '\0';

	vms[0].id = 0;
	strcpy(vms[0].name, "left");
	vms[0].state = VM_RUNNING;
	vms[0].nr_vcpus = 1;
	vms[0].vcpus[0].state = VCPU_RUNNABLE;
	vms[0].vcpus[0].pcpu = 0;

	vms[1].id = 1;
	strcpy(vms[1].name, "right");
	vms[1].state = VM_RUNNING;
	vms[1].nr_vcpus = 2;
	vms[1].restarts = 2;
	vms[1].vcpus[0].state = VCPU_RUNNABLE;
	vms[1].vcpus[0].pcpu = 1;
	vms[1].vcpus[1].state = VCPU_BLOCKED;
	vms[1].vcpus[1].pcpu = 0;
}

/* What core/console.c does with each typed byte. */
static void type_n(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		switch (shell_input(s[i])) {
		case SHELL_RUN:
			shell_run();
			shell_prompt();
			break;
		case SHELL_PASS:
			if (npassed + 1 < sizeof(passed)) {
				passed[npassed++] = s[i];
				passed[npassed] = '\0';
			}
			break;
		case SHELL_TOOK:
			break;
		}
	}
}

static void type(const char *s)
{
	type_n(s, strlen(s));
}

#define ESC "\x1d"     /* Ctrl-] */

static bool has(const char *needle)
{
	if (strstr(output(), needle))
		return true;
	fprintf(stderr, "  output lacks \"%s\"; it was:\n%s\n", needle, output());
	return false;
}

TEST(closed_input_goes_to_first_partition)
{
	setup();
	type("ls\n");
	CHECK_STR_EQ(passed, "ls\n");
	CHECK(shell_focus() == &vms[0]);
	CHECK(!shell_is_open());
	CHECK_EQ(fake.printk_len, 0);
}

TEST(ctrl_bracket_opens_and_closes)
{
	setup();
	type("a" ESC);
	CHECK_STR_EQ(passed, "a");
	CHECK(shell_is_open());
	CHECK(has("\nkeel: shell: 'help' lists commands, 'exit' or Ctrl-] closes it; "
		  "input goes to 'left'\nkeel> "));
	type("xy");
	CHECK_STR_EQ(passed, "a");           /* the shell has the keyboard */
	clear_output();
	type(ESC);
	CHECK(!shell_is_open());
	CHECK_STR_EQ(output(), "\nkeel: shell: closed; input goes to 'left'\n");
	type("b");
	CHECK_STR_EQ(passed, "ab");
	/* the half-typed line was dropped */
	clear_output();
	type(ESC);
	CHECK(has("keel> "));
	CHECK(!strstr(output(), "xy"));
}

TEST(echo_and_backspace)
{
	setup();
	type(ESC);
	clear_output();
	type("lisx\x7f" "t\b\bst");
	CHECK_STR_EQ(output(), "lisx\b \bt\b \b\b \bst");
	clear_output();
	type("\r");
	CHECK(has("\n* left "));
	/* backspace on an empty line prints nothing */
	clear_output();
	type("\x7f\b");
	CHECK_STR_EQ(output(), "");
	/* control characters are not echoed or kept */
	type("\x01\x1b" "exit\r");
	CHECK(!shell_is_open());
}

TEST(enter_runs_line_and_prompts_again)
{
	setup();
	type(ESC);
	clear_output();
	type("\r");                          /* empty line: just the prompt */
	CHECK_STR_EQ(output(), "\nkeel> ");
	clear_output();
	type("help\r\n");                    /* CR LF is one Enter */
	CHECK(has("  stop NAME"));
	CHECK(has("  focus NAME"));
	CHECK(has("  list "));
	size_t n = 0;
	for (const char *p = output(); (p = strstr(p, "keel> ")); p++)
		n++;
	CHECK_EQ(n, 1);
	/* "\n" alone is Enter too (what keel_typing sends) */
	clear_output();
	type("\n\n");
	CHECK_STR_EQ(output(), "\nkeel> \nkeel> ");
}

TEST(prompt_waits_while_a_command_runs)
{
	setup();
	type(ESC "list");
	clear_output();
	CHECK_EQ(shell_input('\r'), SHELL_RUN);
	shell_prompt();                       /* another CPU's line ended: no prompt yet */
	CHECK_STR_EQ(output(), "\n");
	shell_run();
	shell_prompt();
	CHECK(has("keel> "));
	/* the prompt shows what is typed so far */
	type("sta");
	clear_output();
	shell_prompt();
	CHECK_STR_EQ(output(), "keel> sta");
}

TEST(list)
{
	setup();
	vms[2].id = 2;
	strcpy(vms[2].name, "gone");
	vms[2].state = VM_STOPPED;
	vms[2].nr_vcpus = 1;
	vms[2].vcpus[0].pcpu = 1;
	vms[2].exit_status = -1;
	strcpy(vms[2].stop_reason, "stopped: it crashed");
	type(ESC);
	clear_output();
	type("list\r");
	CHECK(has("\n* left  running    restarts 0  vcpu0@cpu0 running\n"));
	CHECK(has("\n  right running    restarts 2  vcpu0@cpu1 running vcpu1@cpu0 blocked\n"));
	CHECK(has("\n  gone  stopped    restarts 0  vcpu0@cpu1  (stopped: it crashed; exit status -1)\n"));
	/* the other states */
	vms[0].state = VM_READY;
	vms[1].state = VM_RESETTING;
	vms[1].vcpus[1].state = VCPU_OFF;
	vms[1].vcpus[1].on_pending = true;
	clear_output();
	type("list\r");
	CHECK(has("* left  ready "));
	CHECK(has("  right restarting restarts 2  vcpu0@cpu1 running vcpu1@cpu0 starting\n"));
	vms[1].vcpus[1].on_pending = false;
	clear_output();
	type("list\r");
	CHECK(has("vcpu1@cpu0 off\n"));
}

TEST(stats)
{
	setup();
	type(ESC "stats right\r");
	CHECK_EQ(rec.stats_calls, 1);
	CHECK(rec.stats_vm == &vms[1]);
	CHECK(has("keel: stats 'right' vcpu 0:"));
	CHECK(shell_is_open());
}

TEST(stop)
{
	setup();
	type(ESC "stop left\r");
	CHECK_EQ(fake.stop_calls, 1);
	CHECK(fake.stop_vm == &vms[0]);
	CHECK_EQ(fake.stop_status, -1);
	CHECK_STR_EQ(fake.stop_reason, "stopped from the shell");
	CHECK_EQ(vms[0].state, VM_STOPPED);
	CHECK_EQ(vms[1].state, VM_RUNNING);
	clear_output();
	type("stop left\r");
	CHECK_EQ(fake.stop_calls, 1);
	CHECK(has("keel: shell: partition 'left' is already stopped\n"));
}

TEST(start)
{
	setup();
	type(ESC "start left\r");
	CHECK_EQ(rec.start_calls, 0);
	CHECK(has("keel: shell: partition 'left' is not stopped"));
	vms[0].state = VM_STOPPED;
	type("start left\r");
	CHECK_EQ(rec.start_calls, 1);
	CHECK(rec.start_vm == &vms[0]);
	CHECK_EQ(vms[0].state, VM_READY);
	/* refused by the partition code */
	vms[1].state = VM_STOPPED;
	rec.start_result = -2;
	clear_output();
	type("start right\r");
	CHECK_EQ(rec.start_calls, 2);
	CHECK(has("keel: shell: partition 'right' cannot start (-2)\n"));
}

TEST(restart)
{
	setup();
	type(ESC "restart right\r");
	CHECK_EQ(rec.restart_calls, 1);
	CHECK(rec.restart_vm == &vms[1]);
	CHECK_STR_EQ(rec.restart_why, "from the shell");
	vms[1].state = VM_RESETTING;
	clear_output();
	type("restart right\r");
	CHECK_EQ(rec.restart_calls, 1);
	CHECK(has("keel: shell: partition 'right' is already restarting\n"));
	vms[0].state = VM_STOPPED;
	clear_output();
	type("restart left\r");
	CHECK_EQ(rec.restart_calls, 1);
	CHECK(has("keel: shell: partition 'left' is stopped ('start left' starts it)\n"));
}

TEST(focus)
{
	setup();
	type(ESC "focus right\r");
	CHECK(!shell_is_open());
	CHECK(shell_focus() == &vms[1]);
	CHECK(has("keel: shell: closed; input goes to 'right'\n"));
	type("hi\r");
	CHECK_STR_EQ(passed, "hi\r");
	/* list marks it */
	clear_output();
	type(ESC "list\r");
	CHECK(has("\n  left "));
	CHECK(has("\n* right "));
	/* exit keeps it */
	type("exit\r");
	CHECK(shell_focus() == &vms[1]);
	/* it stops: input goes to the first live partition, and back when it starts again */
	vms[1].state = VM_STOPPED;
	CHECK(shell_focus() == &vms[0]);
	vms[1].state = VM_READY;
	CHECK(shell_focus() == &vms[1]);
	/* restarting keeps the focus */
	vms[1].state = VM_RESETTING;
	CHECK(shell_focus() == &vms[1]);
	/* a stopped partition cannot have it */
	vms[0].state = VM_STOPPED;
	clear_output();
	type(ESC "focus left\r");
	CHECK(shell_is_open());
	CHECK(shell_focus() == &vms[1]);
	CHECK(has("keel: shell: partition 'left' is stopped; input cannot go to it\n"));
	/* nothing left */
	vms[1].state = VM_STOPPED;
	clear_output();
	type("exit\r");
	CHECK(shell_focus() == NULL);
	CHECK(has("keel: shell: closed; no partition takes input\n"));
	type("x");
	CHECK_STR_EQ(passed, "hi\rx");       /* console.c drops it: no focus */
}

TEST(errors)
{
	setup();
	type(ESC);
	clear_output();
	type("stop x\r");
	CHECK(has("keel: shell: no partition 'x'\n"));
	type("frobnicate left\r");
	CHECK(has("keel: shell: unknown command 'frobnicate' ('help' lists them)\n"));
	type("stop\r");
	CHECK(has("keel: shell: usage: stop NAME\n"));
	type("stop left right\r");
	CHECK(has("keel: shell: usage: stop NAME\n"));
	type("list all\r");
	CHECK(has("keel: shell: 'list' takes no argument\n"));
	type("STOP left\r");
	CHECK(has("keel: shell: unknown command 'STOP'"));
	CHECK_EQ(fake.stop_calls, 0);
	CHECK_EQ(rec.restart_calls + rec.start_calls + rec.stats_calls, 0);
	CHECK(shell_is_open());
	type("stats \r");
	CHECK(has("keel: shell: usage: stats NAME\n"));
}

TEST(spaces_and_tabs_separate_words)
{
	setup();
	type(ESC "   stop\t \tright   \r");
	CHECK_EQ(fake.stop_calls, 1);
	CHECK(fake.stop_vm == &vms[1]);
}

TEST(line_is_limited)
{
	char line[200];

	setup();
	type(ESC);
	memset(line, 'a', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	clear_output();
	type(line);
	CHECK_EQ(strlen(output()), SHELL_LINE_MAX - 1);
	type("\r");
	CHECK(has("keel: shell: unknown command 'aaaa"));
}

TEST(ctrl_c_drops_line)
{
	setup();
	type(ESC "stop left");
	clear_output();
	type("\x03");
	CHECK_STR_EQ(output(), "^C\nkeel> ");
	type("\r");
	CHECK_EQ(fake.stop_calls, 0);
	CHECK(shell_is_open());
}

TEST(nul_and_high_bytes_ignored)
{
	setup();
	type(ESC);
	clear_output();
	type_n("l\0i\xffst", 6);
	CHECK_STR_EQ(output(), "list");
}
