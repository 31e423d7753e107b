#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Several partitions on one CPU: every trap can switch to another partition's
# vCPU, so each guest only passes if the world switch keeps its registers,
# banked registers and CP15 state (VBAR, fault registers, ...) its own.
# The same on two CPUs: partitions run at the same time, one crashing while
# another goes on elsewhere.
source "$(dirname "$0")/lib.sh"

WORK="$LOGS/partitions"
mkdir -p "$WORK"

# t_three_partitions [HOST_CPUS]
t_three_partitions() {
	local cpus=${1:-1}
	make_bundle "$WORK/three.dtb" \
		"$(partition_node aborts "$GUESTS/abort.bin")" \
		"$(partition_node ldst "$GUESTS/ldst.bin" 'keel,test-device')" \
		"$(partition_node calls "$GUESTS/hypercall.bin" 'memory-mib = <32>')"
	keel "three-partitions-$cpus-cpu" --bundle "$WORK/three.dtb" --host-cpus "$cpus"
	local p
	for p in aborts ldst calls; do
		expect_line "^keel: partition '$p': 1 vCPU, "
		expect_line "^\[$p\] DONE: [0-9]+ passed, 0 failed$"
		expect_no_line "^\[$p\] FAIL"
		expect_line "^keel: partition '$p' exited \(hypercall\); exit status 0$"
	done
	expect_line "^keel: partition 'calls': 1 vCPU, 32 MiB RAM"
	# the three RAM regions are distinct
	[ "$(grep -Eo 'RAM at host 0x[0-9a-f]+' "$LOG" | sort -u | wc -l)" -eq 3 ] ||
		fail "partitions share a RAM base"
	expect_line '^keel: no partition left to run; powering off$'
	if [ "$cpus" = 2 ]; then   # spread over both CPUs
		expect_line "^keel: partition 'aborts': .*; on CPU 0$"
		expect_line "^keel: partition 'ldst': .*; on CPU 1$"
		expect_line "^keel: partition 'calls': .*; on CPU 0$"
	fi
}

# one partition crashing does not disturb another
t_crash_beside_healthy() {
	local cpus=${1:-1}
	make_bundle "$WORK/crash.dtb" \
		"$(partition_node crasher "$GUESTS/abort_nohandler.bin")" \
		"$(partition_node healthy "$GUESTS/ldst.bin" 'keel,test-device')"
	keel "crash-beside-healthy-$cpus-cpu" --bundle "$WORK/crash.dtb" --host-cpus "$cpus"
	expect_line "^keel: partition 'crasher' stopped: faulted again inside its own abort handler; exit status -1$"
	expect_line "^\[healthy\] DONE: [0-9]+ passed, 0 failed$"
	expect_line "^keel: partition 'healthy' exited \(hypercall\); exit status 0$"
}

# two partitions using every VFP/NEON register on one CPU: each keeps its own
t_vfp_switch() {
	make_bundle "$WORK/vfp.dtb" \
		"$(partition_node va "$GUESTS/vfp_a.bin")" \
		"$(partition_node vb "$GUESTS/vfp_b.bin")"
	keel vfp-switch --bundle "$WORK/vfp.dtb"
	expect_line '^\[va\] PASS: vfp_state_kept$'
	expect_line '^\[vb\] PASS: vfp_state_kept$'
	# the registers really changed hands (lazily, on first use after a switch)
	expect_line "^keel: stats 'va' vcpu 0: .* vfp=([2-9]|[1-9][0-9]+)/"
	expect_line "^keel: stats 'vb' vcpu 0: .* vfp=([2-9]|[1-9][0-9]+)/"
}

run_case three-partitions t_three_partitions 1
run_case three-partitions-2-cpus t_three_partitions 2
run_case vfp-switch t_vfp_switch
run_case crash-beside-healthy t_crash_beside_healthy 1
run_case crash-beside-healthy-2-cpus t_crash_beside_healthy 2
