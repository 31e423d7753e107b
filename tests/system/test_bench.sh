#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A smoke run of `make bench` (tools/bench.sh --quick: the micro-benchmarks,
# no Linux): it runs, every figure is there, and the figures are sane (a
# trap costs more than the native access and less than a millisecond, the
# JSON says the same as the table). How fast Keel is, is not tested here:
# docs/benchmarks.md records that.
source "$(dirname "$0")/lib.sh"

t_bench_smoke() {
	LOG="$LOGS/bench-smoke.log"
	"$ROOT/tools/bench.sh" --quick >"$LOG" 2>&1 || { fail "tools/bench.sh --quick failed"; return; }
	local json="$ROOT/build/bench/results.json" m row n k
	for m in null-hypercall mmio-read-uart mmio-write-uart mmio-read-gicd cp15-read-actlr \
		virq-latency virq-latency-wfi ipi-round-trip; do
		row=$(grep -E "^$m " "$LOG") || { fail "no row for $m"; continue; }
		read -r _ n k _ <<<"$row"
		awk -v n="$n" -v k="$k" 'BEGIN { exit !(n >= 0 && k > 0 && k > n && k < 1000000) }' ||
			fail "$m: native '$n', Keel '$k' is not a sane trap cost"
		grep -q "\"$m\": {\"native\": $n, \"keel\": $k}" "$json" ||
			fail "$m: the JSON does not hold native $n, Keel $k"
	done
	# two partitions on one CPU: a figure of Keel's alone, sane, the same in the JSON
	row=$(grep -E '^partition-switch ' "$LOG")
	read -r _ n k _ <<<"$row"
	awk -v n="$n" -v k="$k" 'BEGIN { exit !(n == "-" && k ~ /^[0-9]+\.[0-9]$/ && k > 0 && k < 1000000) }' ||
		fail "partition-switch: native '$n', Keel '$k' is not a sane switch cost"
	grep -q "\"partition-switch\": {\"native\": null, \"keel\": $k}" "$json" ||
		fail "partition-switch: the JSON does not hold Keel $k"
	# smccc-version has no native figure; Keel's boot is a few hundred million at most
	expect_line '^smccc-version +- +[0-9]+\.[0-9] '
	row=$(grep -E '^keel-boot-to-guest ' "$LOG")
	read -r _ _ k _ <<<"$row"
	[ "${k:-0}" -gt 0 ] && [ "$k" -lt 2000000000 ] || fail "Keel's boot figure '$k' is not sane"
	# the guest read its own exits back through KEEL_HC_EXIT_STATS
	grep -Eq '^\[guest\] bench: keel-exits hvc [0-9]+, [0-9]+ ns in Keel$' \
		"$ROOT/build/bench/micro-keel.log" || fail "no exit statistics read by hypercall"
	# the cost model by call and by device: 1024 KEEL_HC_VERSION calls, the
	# UART's and the distributor's accesses, and the split adds up to dabt
	local detail="$ROOT/build/bench/micro-keel.log" total parts
	grep -Eq "^keel: stats 'guest' vcpu 0 by call and device: version=1024/[0-9]+us .*gic-distributor=[0-9]+/[0-9]+us pl011=[0-9]+/[0-9]+us" \
		"$detail" || fail "no per-call/per-device cost model line"
	total=$(sed -n "s/^keel: stats 'guest' vcpu 0: .* dabt=\([0-9]*\)\/.*/\1/p" "$detail")
	parts=$(sed -n "s/^keel: stats 'guest' vcpu 0 by call and device: //p" "$detail" |
		tr ' ' '\n' | sed -n 's/^\(gic-distributor\|pl011\|dabt-injected\)=\([0-9]*\)\/.*/\2/p' |
		awk '{ s += $1 } END { print s + 0 }')
	[ -n "$total" ] && [ "$total" = "$parts" ] ||
		fail "dabt total '$total' is not the sum of its devices '$parts'"
}

run_case bench-smoke t_bench_smoke
