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

# keel_typing NAME MARKER INPUT ARGS...: like keel, but once a line matching
# MARKER (grep -E) has appeared on the console, type INPUT (printf format) into it.
keel_typing() {
	local name=$1 marker=$2 input=$3
	shift 3
	LOG="$LOGS/$name.log"
	local fifo="$LOGS/$name.in"
	rm -f "$fifo" "$LOG"
	mkfifo "$fifo"
	"$KEEL_RUN" --timeout "${TIMEOUT:-60}" "$@" <"$fifo" >"$LOG" 2>&1 &
	local pid=$!
	# A subshell: if keel-run is gone, SIGPIPE ends the typist, not the test.
	(
		for t in $(seq 1 $((${TIMEOUT:-60} * 5))); do
			grep -Eq -- "$marker" "$LOG" 2>/dev/null && break
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.2
		done
		sleep 0.5
		printf "$input"
		# keep the line open until keel-run ends
		while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
	) >"$fifo"
	wait "$pid"
	RC=$?
	rm -f "$fifo"
}
