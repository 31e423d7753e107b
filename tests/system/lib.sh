# SPDX-License-Identifier: MIT
# Helpers for system tests: boot Keel in QEMU, then check what it printed.
# A case is a shell function; it passes when every check in it passed.
# Each case prints "PASS: system/NAME" or "FAIL: system/NAME" with reasons.

ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
LOGS=${LOGS:-$ROOT/build/test-logs}
GUESTS=$ROOT/build/guests
KEEL_RUN=$ROOT/tools/keel-run
mkdir -p "$LOGS"

case_failures=()
LOG= RC=

# keel NAME ARGS...: run tools/keel-run, console in $LOGS/NAME.log, status in RC.
keel() {
	local name=$1; shift
	LOG="$LOGS/$name.log"
	"$KEEL_RUN" --timeout "${TIMEOUT:-60}" "$@" >"$LOG" 2>&1 </dev/null
	RC=$?
}

# qemu_raw NAME ARGS...: run qemu-system-arm directly (for boot-failure cases).
qemu_raw() {
	local name=$1; shift
	LOG="$LOGS/$name.log"
	timeout -k 5 "${TIMEOUT:-30}" qemu-system-arm -display none -monitor none -serial stdio \
		-nic none -no-reboot "$@" 2>&1 </dev/null | tr -d '\r' >"$LOG"
	RC=${PIPESTATUS[0]}
}

fail() { case_failures+=("$*"); }

expect_rc() {
	[ "$RC" -eq "$1" ] || fail "exit status $RC, expected $1"
}

# expect_line REGEX: some line of the log matches (grep -E).
expect_line() {
	grep -Eq -- "$1" "$LOG" || fail "no line matching: $1"
}

expect_no_line() {
	! grep -Eq -- "$1" "$LOG" || fail "unexpected line matching: $1"
}

# expect_count REGEX N: exactly N lines match.
expect_count() {
	local n
	n=$(grep -Ec -- "$1" "$LOG")
	[ "$n" -eq "$2" ] || fail "$n lines match '$1', expected $2"
}

# run_case NAME FUNCTION: run one case and report it.
run_case() {
	local name=$1 fn=$2
	case_failures=()
	"$fn" "${@:3}"
	if [ ${#case_failures[@]} -eq 0 ]; then
		echo "PASS: system/$name"
	else
		echo "FAIL: system/$name (log: ${LOG#$ROOT/})"
		printf '    %s\n' "${case_failures[@]}"
	fi
}

# partition_node, make_bundle: bundles of several partitions
source "$ROOT/tools/bundle.sh"

# keel_session NAME SCRIPT ARGS...: run tools/keel-run (console in
# $LOGS/NAME.log, status in RC) while the function SCRIPT types into it with
# `see` and `send`.
keel_session() {
	local name=$1 script=$2
	shift 2
	LOG="$LOGS/$name.log"
	local fifo="$LOGS/$name.in"
	rm -f "$fifo" "$LOG"
	mkfifo "$fifo"
	"$KEEL_RUN" --timeout "${TIMEOUT:-90}" "$@" <"$fifo" >"$LOG" 2>&1 &
	SESSION_PID=$!
	# A subshell: if keel-run is gone, SIGPIPE ends the typist, not the test.
	(
		"$script" || echo "typist: gave up waiting" >"$LOG.typist"
		# keep the line open until keel-run ends
		while kill -0 "$SESSION_PID" 2>/dev/null; do sleep 0.2; done
	) >"$fifo"
	wait "$SESSION_PID"
	RC=$?
	rm -f "$fifo"
	if [ -e "$LOG.typist" ]; then
		fail "$(cat "$LOG.typist"): $(cat "$LOG.waiting" 2>/dev/null)"
		rm -f "$LOG.typist"
	fi
	rm -f "$LOG.waiting"
}

# see REGEX [N]: wait until N lines (default 1) of the console match REGEX.
see() {
	local n=${2:-1}
	echo "$1 (x$n)" >"$LOG.waiting"
	for _ in $(seq 1 $((${TIMEOUT:-90} * 5))); do
		[ "$(tr -d '\r' <"$LOG" | grep -Ec -- "$1")" -ge "$n" ] && return 0
		kill -0 "$SESSION_PID" 2>/dev/null || return 1
		sleep 0.2
	done
	return 1
}

# send TEXT: type TEXT (printf format) a moment later.
send() {
	sleep 0.3
	printf "$1"
}

# keel_typing NAME MARKER INPUT ARGS...: a session whose typist waits for a
# line matching MARKER (grep -E), then types INPUT (printf format).
keel_typing() {
	TYPING_MARKER=$2 TYPING_INPUT=$3
	keel_session "$1" type_after_marker "${@:4}"
}

type_after_marker() {
	see "$TYPING_MARKER" && sleep 0.2 && send "$TYPING_INPUT"
}
