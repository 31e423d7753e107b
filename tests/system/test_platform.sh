#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The platform promise (docs/platform.md): an image built for QEMU's virt
# board finds the same board in a Keel partition. guests/virt_probe uses only
# what the real board has and prints one fact per line; run on QEMU's virt
# board itself and in a partition, the facts must be the same, line for line.
# Its "virt-info:" lines are the known differences; their diff is kept in
# $LOGS/virt-probe-keel*.info.diff and does not fail the case.
source "$(dirname "$0")/lib.sh"

PROBE=$GUESTS/virt_probe.bin
# "virt-probe:" lines the probe prints, "virt-probe: done" included. A fact
# added to or removed from guests/virt_probe.c changes this number.
PROBE_FACTS=110
NATIVE_LOG=

# The probe on QEMU's own virt board, as the image's authors would run it:
# no EL2 (entered in SVC, PSCI by HVC handled by QEMU), 2 CPUs, 64 MiB.
run_native() {
	TIMEOUT=30 qemu_raw virt-probe-native -M virt,gic-version=2 -cpu "${QCPU:-cortex-a15}" \
		-smp 2 -m 64 -kernel "$PROBE"
	NATIVE_LOG=$LOG
	expect_rc 0
	expect_line '^virt-probe: done$'
	expect_no_line 'FAIL'
	local n
	n=$(grep -c '^virt-probe: ' "$LOG")
	[ "$n" -eq "$PROBE_FACTS" ] || fail "native run printed $n facts, expected $PROBE_FACTS"
}

# facts FILE PREFIX KIND: the "<KIND>:" lines of a console log, without PREFIX.
facts() {
	sed -n "s/^$2\($3: \)/\1/p" "$1" | tr -d '\r'
}

# t_promise NAME KEEL-RUN-ARGS...: the probe in a partition of 2 vCPUs and
# 64 MiB, its facts compared with the native run's.
t_promise() {
	local name=$1
	shift
	run_native
	[ ${#case_failures[@]} -eq 0 ] || return

	keel "$name" --kernel "$PROBE" --name probe --cpus 2 --mem 64 "$@"
	expect_rc 0
	expect_line '^\[probe\] virt-probe: done$'
	expect_line "^keel: partition 'probe' powered off \(PSCI SYSTEM_OFF\); exit status 0$"
	expect_no_line '^\[probe\] FAIL'

	local native keel n
	native=$(facts "$NATIVE_LOG" '' virt-probe)
	keel=$(facts "$LOG" '\[probe\] ' virt-probe)
	n=$(grep -c . <<<"$keel")
	[ "$n" -eq "$PROBE_FACTS" ] || fail "partition printed $n facts, expected $PROBE_FACTS"
	if [ "$native" != "$keel" ]; then
		fail "facts differ (- QEMU virt, + Keel partition):"
		local line
		while IFS= read -r line; do
			fail "  $line"
		done < <(diff -U0 <(echo "$native") <(echo "$keel") | grep '^[-+][^-+]' | head -40)
	fi
	diff -U0 --label "QEMU virt" --label "Keel partition" \
		<(facts "$NATIVE_LOG" '' virt-info) <(facts "$LOG" '\[probe\] ' virt-info) \
		>"$LOGS/$name.info.diff"
}

run_case virt-platform-promise t_promise virt-probe-keel
# the same with both vCPUs sharing one physical CPU
run_case virt-platform-promise-shared-cpu t_promise virt-probe-keel-shared-cpu --host-cpus 1
# the other core: the guest's DTB names it as the board's does
QCPU=cortex-a7 run_case virt-platform-promise-cortex-a7 t_promise virt-probe-keel-a7 \
	--qemu-cpu cortex-a7
