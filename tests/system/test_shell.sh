#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Keel's shell (docs/shell.md), typed into Keel's console: Ctrl-] opens it,
# `list` shows the partitions and where their vCPUs run, `focus` moves typed
# input, `stop`, `restart` and `start` act on one partition while the other
# goes on, `stats` prints the exit counts. Two `echo` partitions answer what
# is typed to them with "got: LINE", so each line shows who received it.
source "$(dirname "$0")/lib.sh"

WORK="$LOGS/shell"
mkdir -p "$WORK"
CTRL=$'\x1d'     # Ctrl-]

make_bundle "$WORK/two-echo.dtb" \
	"$(partition_node left "$GUESTS/echo.bin")" \
	"$(partition_node right "$GUESTS/echo.bin" 'cpus = <2>')"

# the shell opened (for the Nth time)
opened() {
	see "^keel: shell: 'help' lists commands" "${1:-1}"
}

both_up() {
	see '^\[left\] echo: type lines' && see '^\[right\] echo: type lines'
}

# list shows both partitions with their vCPUs on CPUs; focus moves typed input
s_list_focus() {
	both_up || return
	send 'one\n'                                    # the first partition has the input
	see '^\[left\] got: one$' || return
	send "$CTRL" && opened || return
	send 'list\n' && see '^  right ' || return
	send 'focus right\n' && see "input goes to 'right'" || return
	send 'two\n' && see '^\[right\] got: two$' || return
	send "$CTRL" && opened 2 || return
	send 'list\nstats left\n' && see "^keel: stats 'left' vcpu 0:" || return
	send 'exit\n' && see "closed; input goes to 'right'" 2 || return
	send 'q\n' && see "^keel: partition 'right' exited" || return
	send 'q\n'                                      # back to left, the one left
}

t_list_focus() {
	keel_session shell-list-focus s_list_focus --bundle "$WORK/two-echo.dtb" --host-cpus 2
	expect_rc 0
	expect_line '^keel> list$'
	expect_line '^\* left +running +restarts 0 +vcpu0@cpu0 running$'
	expect_line '^  right +running +restarts 0 +vcpu0@cpu1 running vcpu1@cpu0 off$'
	# after `focus right` the marker moved
	expect_line '^  left +running +restarts 0 +vcpu0@cpu0 running$'
	expect_line '^\* right +running '
	expect_line '^\[left\] got: one$'
	expect_no_line '^\[right\] got: one$'
	expect_line '^\[right\] got: two$'
	expect_no_line '^\[left\] got: two$'
	expect_no_line 'got: (list|focus|stats|exit)'    # the shell's lines reach no partition
	expect_line "^keel: stats 'left' vcpu 0: .*dabt=[0-9]+"
	expect_line '^\[right\] PASS: echo_quit$'
	expect_line '^\[left\] PASS: echo_quit$'
}

# stop one partition while the other goes on, restart the other
s_stop_restart() {
	both_up || return
	send "$CTRL" && opened || return
	send 'stop right\n' && see "^keel: partition 'right' stopped from the shell; exit status -1$" || return
	send 'restart left\n' && see '^\[left\] echo: type lines' 2 || return
	send 'list\n' && see '^  right +stopped' || return
	send 'restart right\nstop nobody\nfrobnicate\nexit\n' && see 'closed; input goes to' || return
	send 'three\n' && see '^\[left\] got: three$' || return
	send 'q\n'
}

t_stop_restart() {
	keel_session shell-stop-restart s_stop_restart --bundle "$WORK/two-echo.dtb" --host-cpus 2
	expect_rc 0
	expect_line "^keel: partition 'right' stopped from the shell; exit status -1$"
	expect_line "^keel: partition 'left' restarting \(from the shell\)$"
	expect_count '^\[left\] echo: type lines' 2
	expect_count '^\[right\] echo: type lines' 1
	expect_line '^\* left +running +restarts 1 +vcpu0@cpu0 running$'
	expect_line '^  right +stopped +restarts 0 +vcpu0@cpu1 vcpu1@cpu0  \(stopped from the shell; exit status -1\)$'
	expect_line "^keel: shell: partition 'right' is stopped \('start right' starts it\)$"
	expect_line "^keel: shell: no partition 'nobody'$"
	expect_line "^keel: shell: unknown command 'frobnicate' \('help' lists them\)$"
	expect_line "^keel: shell: closed; input goes to 'left'$"
	expect_line '^\[left\] got: three$'
	expect_line "^keel: partition 'left' exited \(hypercall\); exit status 0$"
}

# a stopped partition started again boots from the start and takes input
s_start() {
	both_up || return
	send "$CTRL" && opened || return
	send 'stop left\n' && see "^keel: partition 'left' stopped from the shell" || return
	send 'start left\n' && see '^\[left\] echo: type lines' 2 || return
	send 'list\nexit\n' && see "closed; input goes to 'left'" || return
	send 'four\n' && see '^\[left\] got: four$' || return
	send 'q\n' && see "^keel: partition 'left' exited" || return
	send 'q\n'                                      # now right has the input
}

t_start() {
	keel_session shell-start s_start --bundle "$WORK/two-echo.dtb" --host-cpus 2
	expect_rc 0
	expect_line "^keel: partition 'left' stopped from the shell; exit status -1$"
	expect_line "^keel: partition 'left' restarting \(started again\)$"
	expect_count '^\[left\] echo: type lines' 2
	expect_line '^\* left +(running|ready) +restarts 1 '
	expect_line '^\[left\] got: four$'
	expect_no_line '^\[right\] got: four$'
	expect_line '^\[right\] PASS: echo_quit$'
}

# keel,console-colour: each partition's [name] in its own colour, Keel's lines as they are
t_colour() {
	local esc=$'\033'
	make_bundle "$WORK/colour.dtb" \
		"$(partition_node left "$GUESTS/hello.bin")" \
		"$(partition_node right "$GUESTS/hello.bin")"
	sed -i 's/compatible = "keel,bundle-v1";/&\n\tkeel,console-colour;/' "$WORK/colour.dts"
	dtc -q -I dts -O dtb -o "$WORK/colour.dtb" "$WORK/colour.dts"
	keel console-colour --bundle "$WORK/colour.dtb"
	expect_rc 0
	expect_line "^$esc\[36m\[left\]$esc\[0m Hello from a Keel partition$"
	expect_line "^$esc\[33m\[right\]$esc\[0m Hello from a Keel partition$"
	expect_no_line '^\[(left|right)\]'
	expect_line "^keel: partition 'left' exited \(hypercall\); exit status 0$"
}

run_case shell-list-focus t_list_focus
run_case shell-stop-restart t_stop_restart
run_case shell-start t_start
run_case console-colour t_colour
