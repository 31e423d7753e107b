#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Consolidation: partitions that share a board and must not get in each
# other's way. Two bare-metal partitions talk over a channel; a partition
# that crashes (abort, undefined-instruction loop, watchdog) is restarted or
# stopped by its policy while a neighbour prints on undisturbed; a greedy
# partition is held to its time budget; a device passed through to one
# partition works there and faults in another; the real-time task keeps its
# deadlines. The guests are bare-metal images from guests/ configured by
# bootargs.
source "$(dirname "$0")/lib.sh"

WORK="$LOGS/consolidation"
mkdir -p "$WORK"

# line_no REGEX: number of the first log line matching (0 if none)
line_no() {
	local n
	n=$(grep -En -- "$1" "$LOG" | head -n 1 | cut -d: -f1)
	echo "${n:-0}"
}

# expect_before REGEX1 REGEX2: both present, the first one's line earlier
expect_before() {
	local a b
	a=$(line_no "$1") b=$(line_no "$2")
	[ "$a" -gt 0 ] && [ "$b" -gt 0 ] && [ "$a" -lt "$b" ] ||
		fail "'$1' (line $a) does not come before '$2' (line $b)"
}

# numbers REGEX: group 1 of every log line matching REGEX (sed -E), one a line
numbers() {
	sed -En "s/$1/\1/p" "$LOG"
}

# expect_ticker NAME COUNT: partition NAME printed ticker lines 1..COUNT, each
# once and in order, then its done line, and exited 0.
expect_ticker() {
	local name=$1 count=$2 got
	got=$(sed -n "s/^\[$name\] ticker: line \([0-9]*\)$/\1/p" "$LOG" | tr '\n' ' ')
	[ "$got" = "$(seq -s ' ' 1 "$count") " ] ||
		fail "ticker lines of '$name' are not 1..$count in order: ${got:0:200}"
	expect_line "^\[$name\] ticker: done$"
	expect_line "^keel: partition '$name' exited \(hypercall\); exit status 0$"
	expect_no_line "^keel: partition '$name' (crashed|restarting|stopped)"
}

# ticker (count=150) beside crasher CRASH with PROPERTY...: the bundle
ticker_and_crasher() {
	local out=$1 crash=$2
	shift 2
	make_bundle "$out" \
		"$(partition_node ticker "$GUESTS/ticker.bin" 'bootargs = "count=150"')" \
		"$(partition_node crasher "$GUESTS/crasher.bin" "bootargs = \"crash=$crash\"" "$@")"
}

# a: ping and pong over a channel, the message and its answer checked every round
t_chan_ping_pong() {
	local cpus=${1:-1}
	make_bundle "$WORK/chan.dtb" \
		"$(channel_node link ping pong 4)" \
		"$(partition_node ping "$GUESTS/chan_ping.bin" 'bootargs = "role=ping rounds=100"')" \
		"$(partition_node pong "$GUESTS/chan_ping.bin" 'bootargs = "role=pong rounds=100"')"
	keel "chan-ping-pong-$cpus-cpu" --bundle "$WORK/chan.dtb" --host-cpus "$cpus"
	expect_no_line 'chan: FAIL'
	local r p
	for p in ping pong; do
		expect_line "^\[$p\] chan: foreign channel refused$"
		for r in 10 20 30 40 50 60 70 80 90 100; do
			expect_count "^\[$p\] chan: $p round $r ok$" 1
		done
		expect_line "^\[$p\] chan: $p done, 100 rounds, data checked$"
		expect_line "^keel: partition '$p' exited \(hypercall\); exit status 0$"
	done
	expect_line '^keel: no partition left to run; powering off$'
}

# b: a crashing partition restarted up to max-restarts, then stopped; its
# neighbour prints every line, in order
t_crash_restart() {
	ticker_and_crasher "$WORK/restart.dtb" abort \
		'restart-policy = "restart"' 'max-restarts = <3>'
	keel crash-restart --bundle "$WORK/restart.dtb"
	expect_ticker ticker 150
	local r
	for r in 0 1 2 3; do
		expect_count "^\[crasher\] crasher: run $r$" 1
	done
	expect_no_line '^\[crasher\] crasher: run 4$'
	expect_count "^keel: partition 'crasher' crashed: .+" 4
	expect_count "^keel: partition 'crasher' restarting" 3
	for r in 1 2 3; do   # "(restart N of M)", perhaps with words after M
		expect_count "^keel: partition 'crasher' restarting \(restart $r of 3( [^)]*)?\)$" 1
	done
	expect_count "^keel: partition 'crasher' stopped: .+; exit status -1$" 1
	expect_before "^keel: partition 'crasher' restarting \(restart 3 of 3( [^)]*)?\)$" \
		"^keel: partition 'crasher' stopped: "
	expect_before '^\[crasher\] crasher: run 3$' "^keel: partition 'crasher' stopped: "
	expect_line '^keel: no partition left to run; powering off$'
}

# c: restart-policy "stop": one crash, no restart; the neighbour unaffected
expect_crash_stopped() {
	local reason=$1
	expect_ticker ticker 150
	expect_count '^\[crasher\] crasher: run 0$' 1
	expect_no_line '^\[crasher\] crasher: run [1-9]'
	expect_no_line '^\[crasher\] crasher: FAIL'
	expect_count "^keel: partition 'crasher' crashed: .*$reason" 1
	expect_no_line "^keel: partition 'crasher' restarting"
	expect_count "^keel: partition 'crasher' stopped: .+; exit status -1$" 1
	expect_before "^keel: partition 'crasher' crashed: " "^keel: partition 'crasher' stopped: "
	expect_line '^keel: no partition left to run; powering off$'
}

# an undefined instruction whose handler retries it, forever
t_crash_undef_loop() {
	ticker_and_crasher "$WORK/undef.dtb" undef 'restart-policy = "stop"'
	keel crash-undef-loop --bundle "$WORK/undef.dtb"
	expect_crash_stopped '[Uu]ndef'
}

# a partition that stops petting its watchdog (interrupts masked, no trap)
t_crash_watchdog() {
	ticker_and_crasher "$WORK/watchdog.dtb" hang 'restart-policy = "stop"' 'watchdog-ms = <50>'
	keel crash-watchdog --bundle "$WORK/watchdog.dtb"
	expect_crash_stopped '[Ww]atchdog'
	local n
	for n in 1 2 3; do   # petting in time keeps it alive
		expect_line "^\[crasher\] crasher: pet $n$"
	done
	expect_before '^\[crasher\] crasher: pet 3$' "^keel: partition 'crasher' crashed: "
}

# d: on one CPU a greedy timeslice partition gets its budget (2 ms per 10 ms)
# and no more: what steal measures as taken from it stays at most 220 permille
# (under -icount with idle skipped, so the host's load does not count)
t_timeslice_budget() {
	make_bundle "$WORK/budget.dtb" \
		"$(partition_node hog "$GUESTS/steal.bin" 'bootargs = "mode=hog hog-ms=1500"' \
			'sched-class = "timeslice"' 'priority = <2>' 'budget-us = <2000>' \
			'period-us = <10000>')" \
		"$(partition_node steal "$GUESTS/steal.bin" 'bootargs = "windows=5"' \
			'sched-class = "timeslice"' 'priority = <1>')"
	keel timeslice-budget --bundle "$WORK/budget.dtb" --host-cpus 1 --icount
	expect_line "^keel: partition 'steal' exited \(hypercall\); exit status 0$"
	local got n max=0 p
	got=$(numbers '^\[steal\] steal: window [0-9]+ stolen ([0-9]+) permille$')
	n=$(echo "$got" | grep -c .)
	[ "$n" -eq 5 ] || fail "$n window lines, expected 5"
	for p in $got; do
		[ "$p" -le 220 ] || fail "a window lost $p permille to the hog (budget 200)"
		[ "$p" -le "$max" ] || max=$p
	done
	# the hog really ran beside it, for its budget (else nothing was tested)
	[ "$max" -ge 180 ] || fail "the hog took at most $max permille of any window"
}

# e: the PL031 RTC passed through to one partition: its registers and its
# interrupt there; the other partition faults on the same address
t_passthrough_rtc() {
	make_bundle "$WORK/rtc.dtb" \
		"$(partition_node rtc "$GUESTS/rtc_pass.bin" \
			'passthrough-mmio = <0x09010000 0x1000>' 'passthrough-irqs = <34>')" \
		"$(partition_node probe "$GUESTS/rtc_pass.bin" 'bootargs = "probe-only"')"
	keel passthrough-rtc --bundle "$WORK/rtc.dtb"
	expect_no_line '^\[(rtc|probe)\] (rtc: FAIL|FAIL)'
	expect_line '^\[rtc\] rtc: id ok, time [1-9][0-9]*$'
	expect_line '^\[rtc\] rtc: alarm interrupt ok$'
	expect_line "^keel: partition 'rtc' exited \(hypercall\); exit status 0$"
	expect_line '^\[probe\] rtc: abort at 0x09010fe0 '
	expect_line "^keel: partition 'probe' exited \(hypercall\); exit status 0$"
}

# f: the real-time task alone: three reports, the worst jitter under a period
# (RT_JITTER_MAX_US, default 1000) and no period missed. Under -icount with
# idle skipped: what is measured is Keel's path, not the host's timer slack.
t_rt_jitter() {
	local limit=${RT_JITTER_MAX_US:-1000} got n worst
	local report='^\[rt\] rt: [0-9]+ periods of 1000 us, worst jitter ([0-9]+) us'
	report+=' \(window [0-9]+ us\)(, missed [0-9]+)?$'
	keel rt-jitter --kernel "$GUESTS/rt.bin" --name rt --append "windows=3" --icount
	expect_rc 0
	got=$(numbers "$report")
	n=$(echo "$got" | grep -c .)
	[ "$n" -eq 3 ] || fail "$n report lines, expected 3"
	worst=$(echo "$got" | tail -n 1)   # the worst since the start
	[ "${worst:-$limit}" -lt "$limit" ] || fail "worst jitter ${worst:-?} us, limit $limit us"
	expect_no_line '^\[rt\] rt: .*, missed [0-9]+$'
}

run_case chan-ping-pong t_chan_ping_pong 1
run_case chan-ping-pong-2-cpus t_chan_ping_pong 2
run_case crash-restart t_crash_restart
run_case crash-undef-loop t_crash_undef_loop
run_case crash-watchdog t_crash_watchdog
run_case timeslice-budget t_timeslice_budget
run_case passthrough-rtc t_passthrough_rtc
run_case rt-jitter t_rt_jitter
