/* SPDX-License-Identifier: MIT */
/*
 * Keel's shell on the console (docs/shell.md). Ctrl-] typed on the console
 * opens it instead of going to a partition; it edits a line (echo,
 * backspace) and runs commands on partitions: list, stats, stop, start,
 * restart, focus. It also decides which partition typed input goes to.
 *
 * Plain logic: core/console.c feeds it every typed byte and runs complete
 * lines; it writes through console_shell_write(). The unit tests drive it
 * the same way on the host.
 */
#ifndef KEEL_SHELL_H
#define KEEL_SHELL_H

#include <keel/types.h>

struct vm;

#define SHELL_KEY 0x1d          /* Ctrl-]: opens and closes the shell */
#define SHELL_LINE_MAX 64

enum shell_action {
	SHELL_PASS,   /* not the shell's: the byte goes to the focused partition */
	SHELL_TOOK,   /* the shell took it (edited, echoed, opened, closed) */
	SHELL_RUN,    /* a command line is complete: call shell_run() */
};

/* One byte typed on Keel's console. Call with the console's lock held. */
enum shell_action shell_input(char c);
/*
 * Run the complete line (after SHELL_RUN). Not under the console's lock:
 * commands take partition locks. Then shell_prompt() shows the prompt again.
 */
void shell_run(void);
/* Print the prompt and what is typed so far, if the shell is open and idle. */
void shell_prompt(void);

/* The partition typed input goes to (NULL: none). */
struct vm *shell_focus(void);
bool shell_is_open(void);
/* Closed, no focus chosen: how Keel starts (the unit tests call it). */
void shell_reset(void);

#endif
