/* SPDX-License-Identifier: MIT */
/*
 * Keel's shell (docs/shell.md): a line editor and a handful of commands on
 * partitions, and the choice of which partition gets typed input.
 *
 * core/console.c feeds typed bytes to shell_input() under the console's
 * lock (so an echo never lands inside another source's line) and calls
 * shell_run() for a complete line outside it: commands take partition locks,
 * and the order is partition lock, then console lock. While a command runs
 * (`busy`) the console does not redraw the prompt; afterwards it asks for it.
 */
#include <string.h>
#include <keel/console.h>
#include <keel/shell.h>
#include <keel/stats.h>
#include <keel/vm.h>

static struct {
	bool open;
	bool busy;            /* a line is being run */
	char last;            /* the previous byte: "\r\n" is one Enter */
	char line[SHELL_LINE_MAX];
	unsigned len;
	struct vm *chosen;    /* `focus NAME`; NULL: the first live partition */
} sh;

void shell_reset(void)
{
	memset(&sh, 0, sizeof(sh));
}

bool shell_is_open(void)
{
	return READ_ONCE(sh.open);
}

/* Created and not stopped (running, ready or restarting). */
static bool present(const struct vm *vm)
{
	enum vm_state s = READ_ONCE(vm->state);

	return s != VM_FREE && s != VM_STOPPED;
}

struct vm *shell_focus(void)
{
	if (sh.chosen && present(sh.chosen))
		return sh.chosen;
	for (unsigned i = 0; i < VM_MAX; i++)
		if (present(&vms[i]))
			return &vms[i];
	return NULL;
}

void shell_prompt(void)
{
	if (READ_ONCE(sh.open) && !READ_ONCE(sh.busy))
		console_shell_write("keel> %s", sh.line);
}

static void say_focus(const char *what)
{
	struct vm *vm = shell_focus();

	if (vm)
		console_shell_write("keel: shell: %s; input goes to '%s'\n", what, vm->name);
	else
		console_shell_write("keel: shell: %s; no partition takes input\n", what);
}

static void close_shell(void)
{
	sh.len = 0;
	sh.line[0] = '\0';
	WRITE_ONCE(sh.open, false);
}

/* ---- commands ------------------------------------------------------------- */

static const char *vm_state_name(enum vm_state s)
{
	switch (s) {
	case VM_READY: return "ready";
	case VM_RUNNING: return "running";
	case VM_RESETTING: return "restarting";
	case VM_STOPPED: return "stopped";
	default: return "?";
	}
}

static const char *vcpu_state_name(const struct vcpu *v)
{
	if (READ_ONCE(v->on_pending))
		return "starting";
	switch (READ_ONCE(v->state)) {
	case VCPU_OFF: return "off";
	case VCPU_RUNNABLE: return "running";
	case VCPU_BLOCKED: return "blocked";
	default: return "?";
	}
}

static void cmd_list(struct vm *unused)
{
	struct vm *focus = shell_focus();
	int width = 4;

	(void)unused;
	for (unsigned i = 0; i < VM_MAX; i++)
		if (vms[i].state != VM_FREE && (int)strlen(vms[i].name) > width)
			width = (int)strlen(vms[i].name);
	for (unsigned i = 0; i < VM_MAX; i++) {
		struct vm *vm = &vms[i];
		enum vm_state s = READ_ONCE(vm->state);

		if (s == VM_FREE)
			continue;
		console_shell_write("%c %-*s %-10s restarts %u ", vm == focus ? '*' : ' ', width,
				    vm->name, vm_state_name(s), (unsigned)vm->restarts);
		for (unsigned v = 0; v < vm->nr_vcpus; v++) {
			if (s == VM_STOPPED)
				console_shell_write(" vcpu%u@cpu%u", v, vm->vcpus[v].pcpu);
			else
				console_shell_write(" vcpu%u@cpu%u %s", v, vm->vcpus[v].pcpu,
						    vcpu_state_name(&vm->vcpus[v]));
		}
		if (s == VM_STOPPED)
			console_shell_write("  (%s; exit status %d)", vm->stop_reason, vm->exit_status);
		console_shell_write("\n");
	}
}

static void cmd_stats(struct vm *vm)
{
	stats_report(vm);
}

static void cmd_stop(struct vm *vm)
{
	if (READ_ONCE(vm->state) == VM_STOPPED) {
		console_shell_write("keel: shell: partition '%s' is already stopped\n", vm->name);
		return;
	}
	vm_stop(vm, -1, "stopped from the shell");
}

static void cmd_start(struct vm *vm)
{
	int err;

	if (READ_ONCE(vm->state) != VM_STOPPED) {
		console_shell_write("keel: shell: partition '%s' is not stopped ('restart %s' "
				    "restarts it)\n", vm->name, vm->name);
		return;
	}
	if ((err = vm_request_start(vm)) < 0)
		console_shell_write("keel: shell: partition '%s' cannot start (%d)\n", vm->name, err);
}

static void cmd_restart(struct vm *vm)
{
	enum vm_state s = READ_ONCE(vm->state);

	if (s == VM_STOPPED) {
		console_shell_write("keel: shell: partition '%s' is stopped ('start %s' starts it)\n",
				    vm->name, vm->name);
		return;
	}
	if (s == VM_RESETTING) {
		console_shell_write("keel: shell: partition '%s' is already restarting\n", vm->name);
		return;
	}
	vm_request_restart(vm, "from the shell");
}

static void cmd_focus(struct vm *vm)
{
	if (!present(vm)) {
		console_shell_write("keel: shell: partition '%s' is stopped; input cannot go to it\n",
				    vm->name);
		return;
	}
	sh.chosen = vm;
	close_shell();
	say_focus("closed");
}

static void cmd_exit(struct vm *unused)
{
	(void)unused;
	close_shell();
	say_focus("closed");
}

static void cmd_help(struct vm *unused);

static const struct command {
	const char *name;
	bool takes_vm;
	void (*run)(struct vm *vm);
	const char *help;
} commands[] = {
	{ "help", false, cmd_help, "this list" },
	{ "list", false, cmd_list, "partitions: state, restarts, vCPUs on their CPUs (* has input)" },
	{ "stats", true, cmd_stats, "exit counts and costs of NAME" },
	{ "stop", true, cmd_stop, "stop NAME (exit status -1)" },
	{ "start", true, cmd_start, "start NAME again after it stopped" },
	{ "restart", true, cmd_restart, "restart NAME, as a reset of its own would" },
	{ "focus", true, cmd_focus, "typed input goes to NAME; closes the shell" },
	{ "exit", false, cmd_exit, "close the shell (Ctrl-] does too)" },
};

static void cmd_help(struct vm *unused)
{
	(void)unused;
	for (unsigned i = 0; i < ARRAY_SIZE(commands); i++)
		console_shell_write("  %s%-*s %s\n", commands[i].name,
				    (int)(13 - strlen(commands[i].name)),
				    commands[i].takes_vm ? " NAME" : "", commands[i].help);
}

static struct vm *find_vm(const char *name)
{
	for (unsigned i = 0; i < VM_MAX; i++)
		if (vms[i].state != VM_FREE && !strcmp(vms[i].name, name))
			return &vms[i];
	return NULL;
}

/* Split the line in place into at most `max` words; returns how many there were. */
static unsigned split(char *s, char **words, unsigned max)
{
	unsigned n = 0;

	for (;;) {
		while (*s == ' ')
			*s++ = '\0';
		if (!*s)
			return n;
		if (n < max)
			words[n] = s;
		n++;
		while (*s && *s != ' ')
			s++;
	}
}

static void run_line(char *line)
{
	char *w[2];
	unsigned n = split(line, w, 2);
	const struct command *cmd = NULL;
	struct vm *vm = NULL;

	if (!n)
		return;
	for (unsigned i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].name, w[0]))
			cmd = &commands[i];
	if (!cmd) {
		console_shell_write("keel: shell: unknown command '%s' ('help' lists them)\n", w[0]);
		return;
	}
	if (cmd->takes_vm && n != 2) {
		console_shell_write("keel: shell: usage: %s NAME\n", cmd->name);
		return;
	}
	if (!cmd->takes_vm && n != 1) {
		console_shell_write("keel: shell: '%s' takes no argument\n", cmd->name);
		return;
	}
	if (cmd->takes_vm && !(vm = find_vm(w[1]))) {
		console_shell_write("keel: shell: no partition '%s'\n", w[1]);
		return;
	}
	cmd->run(vm);
}

void shell_run(void)
{
	char line[SHELL_LINE_MAX];

	memcpy(line, sh.line, sizeof(line));
	sh.len = 0;
	sh.line[0] = '\0';
	run_line(line);
	WRITE_ONCE(sh.busy, false);
}

/* ---- typing ----------------------------------------------------------------- */

enum shell_action shell_input(char c)
{
	char last = sh.last;

	sh.last = c;
	if (!sh.open) {
		if (c != SHELL_KEY)
			return SHELL_PASS;
		sh.len = 0;
		sh.line[0] = '\0';
		WRITE_ONCE(sh.open, true);
		console_shell_write("\n");
		say_focus("'help' lists commands, 'exit' or Ctrl-] closes it");
		shell_prompt();
		return SHELL_TOOK;
	}
	switch (c) {
	case SHELL_KEY:
		close_shell();
		console_shell_write("\n");
		say_focus("closed");
		break;
	case '\n':
		if (last == '\r')
			break;     /* the second half of a CR LF */
		/* fall through */
	case '\r':
		console_shell_write("\n");
		WRITE_ONCE(sh.busy, true);
		return SHELL_RUN;
	case 0x7f:
	case '\b':
		if (sh.len) {
			sh.line[--sh.len] = '\0';
			console_shell_write("\b \b");
		}
		break;
	case 0x03:         /* Ctrl-C: drop the line */
		sh.len = 0;
		sh.line[0] = '\0';
		console_shell_write("^C\n");
		shell_prompt();
		break;
	default:
		if (c == '\t')
			c = ' ';
		if (c < ' ' || c > '~' || sh.len == SHELL_LINE_MAX - 1)
			break;     /* not printable, or the line is full */
		sh.line[sh.len++] = c;
		sh.line[sh.len] = '\0';
		console_shell_write("%c", c);
		break;
	}
	return SHELL_TOOK;
}

