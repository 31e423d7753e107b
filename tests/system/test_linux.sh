#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Debian's own armhf Linux kernel, unmodified, in a Keel partition: boots to
# busybox userspace, its timer ticks, CPU and memory workloads give the right
# checksums, poweroff ends the partition. Kernel and busybox are downloaded
# into the cache by tools/fetch-linux.sh (never committed).
source "$(dirname "$0")/lib.sh"

WORK="$LOGS/linux"
mkdir -p "$WORK"
CACHE=${KEEL_CACHE:-$HOME/.cache/keel}

# initrd NAME [SCRIPT]: a busybox initramfs in $WORK/NAME.gz running SCRIPT (or a shell)
initrd() {
	"$ROOT/tools/mkinitramfs.sh" "$WORK/$1.gz" ${2:+--script "$ROOT/tests/system/linux/$2"} \
		>/dev/null || fail "mkinitramfs $1"
}

# linux_args NAME: ARGS = the kernel, the initrd NAME, a 256 MiB partition 'linux'.
linux_args() {
	ARGS=(--kernel "$CACHE/linux/vmlinuz" --initrd "$WORK/$1.gz"
	      --append "console=ttyAMA0 panic=-1" --mem 256 --name linux)
}

t_linux_boot() {
	if ! "$ROOT/tools/fetch-linux.sh" >"$WORK/fetch.log" 2>&1; then
		LOG="$WORK/fetch.log"
		fail "tools/fetch-linux.sh failed"
		return
	fi
	initrd boot boot-check.sh
	linux_args boot
	TIMEOUT=240 keel linux-boot "${ARGS[@]}"
	expect_rc 0
	expect_line '^\[linux\] \[ *[0-9.]+\] Linux version 6\.'
	expect_line '^\[linux\] \[ *[0-9.]+\] arch_timer: cp15 timer\(s\) running at 62\.50MHz \(virt\)\.$'
	expect_line '^\[linux\] keel-guest: init started$'
	linux_checks 1
}

# linux_checks NCPUS: what boot-check.sh printed, for a partition of NCPUS vCPUs
linux_checks() {
	local n=$1 before after
	expect_line "^\[linux\] check: processors $n$"
	before=$(sed -n 's/^\[linux\] check: arch_timer interrupts \(.*\) then .*$/\1/p' "$LOG")
	after=$(sed -n 's/^\[linux\] check: arch_timer interrupts .* then \(.*\)$/\1/p' "$LOG")
	read -r -a b <<<"$before"
	read -r -a a <<<"$after"
	[ "${#a[@]}" -eq "$n" ] || fail "timer counts for ${#a[@]} CPUs, expected $n: '$after'"
	for ((i = 0; i < n; i++)); do
		[ "${a[i]:-0}" -gt "${b[i]:-0}" ] 2>/dev/null ||
			fail "CPU$i timer interrupts did not grow: '${b[i]}' -> '${a[i]}'"
	done
	expect_line '^\[linux\] check: cpu md5 2c7ab85a893283e98c931e9511add182$'
	expect_line '^\[linux\] check: mem md5 12399e76c7f3e85487ea376997161af3 size 50331648$'
	expect_line '^\[linux\] check: done$'
	expect_line '^\[linux\] keel-guest: script exited with status 0$'
	expect_line "^keel: partition 'linux' powered off \(PSCI SYSTEM_OFF\); exit status 0$"
	expect_no_line "^keel: partition 'linux' vcpu [0-9]+: .* abort at"
	expect_no_line '^keel: unexpected interrupt'
	expect_no_line "^keel: partition 'linux' vcpu [0-9]+: coprocessor access not emulated"
}

# 2 vCPUs, SMP boot through PSCI CPU_ON, on t_linux_smp HOST_CPUS physical
# CPUs: 2 runs them at the same time, 1 makes them share (preemption, wake-ups)
t_linux_smp() {
	[ -f "$WORK/boot.gz" ] || { fail "needs the linux-boot case first"; return; }
	linux_args boot
	TIMEOUT=300 keel "linux-smp-$1-cpu" "${ARGS[@]}" --cpus 2 --host-cpus "$1"
	expect_rc 0
	expect_line '^\[linux\] \[ *[0-9.]+\] smp: Brought up 1 node, 2 CPUs$'
	linux_checks 2
	expect_line "^keel: stats 'linux' vcpu 1: .*irq=[1-9]"
	[ "$1" = 1 ] || expect_line "^keel: partition 'linux': 2 vCPUs, .*; on CPU 0,1$"
}

# `reboot` restarts only the partition, which comes back up to userspace
# (2 vCPUs on 2 CPUs: both leave their CPUs before the restart)
t_linux_reboot() {
	[ -f "$CACHE/linux/vmlinuz" ] || { fail "no kernel: the linux-boot case fetches it"; return; }
	initrd reboot reboot-check.sh
	linux_args reboot
	TIMEOUT=240 keel linux-reboot "${ARGS[@]}" --cpus 2
	expect_rc 0
	expect_line '^\[linux\] check: restart-count 0$'
	expect_line '^\[linux\] check: rebooting$'
	expect_line "^keel: partition 'linux' restarting \(PSCI SYSTEM_RESET\)$"
	expect_line '^\[linux\] check: restart-count 1$'
	expect_line '^\[linux\] check: back after reboot$'
	expect_count '^\[linux\] keel-guest: init started$' 2
	expect_count '^\[linux\] \[ *[0-9.]+\] smp: Brought up 1 node, 2 CPUs$' 2
	expect_count '^keel: Keel ' 1
	expect_line "^keel: partition 'linux' powered off \(PSCI SYSTEM_OFF\); exit status 0$"
}

# `make run` itself (tools/demo.sh), its shell replaced by the checks: Linux on
# 2 CPUs beside the bare-metal demo partition, which shares CPU 1 with it
t_make_run() {
	LOG="$LOGS/make-run.log"
	DEMO_SCRIPT="$ROOT/tests/system/linux/boot-check.sh" DEMO_TIMEOUT=240 DEMO_RT_WINDOWS=8 \
		"$ROOT/tools/demo.sh" >"$LOG" 2>&1 </dev/null
	RC=$?
	expect_rc 0
	expect_line "^keel: partition 'linux': 2 vCPUs, 256 MiB RAM .*, time-sliced; on CPU 0,1$"
	expect_line "^keel: partition 'rt': 1 vCPU, 16 MiB RAM .*, pinned; on CPU 2$"
	expect_count '^\[rt\] rt: [0-9]+ periods of 1000 us, worst jitter [0-9]+ us \(window [0-9]+ us\)' 8
	expect_line "^keel: partition 'rt' exited \(hypercall\); exit status 0$"
	linux_checks 2
}

# a kernel panic ends the partition (panic=-1 would reboot it) with its log
t_linux_panic() {
	initrd panic panic.sh
	linux_args panic
	TIMEOUT=240 keel linux-panic "${ARGS[@]}"
	expect_rc 125
	expect_line '^\[linux\] check: crashing the kernel$'
	expect_line '^\[linux\] \[ *[0-9.]+\] Kernel panic - not syncing: sysrq triggered crash$'
	expect_line '^\[linux\] \[ *[0-9.]+\] +dump_stack_lvl from panic'
	expect_line "^keel: partition 'linux' stopped: kernel panic: sysrq triggered crash; exit status -1$"
	expect_no_line '^keel: partition .* restarting'
	expect_no_line 'check: still alive'
	expect_line '^keel: no partition left to run; powering off$'
}

# a shell in the partition, typed into from Keel's console
t_linux_shell() {
	initrd shell
	linux_args shell
	TIMEOUT=240 keel_typing linux-shell 'keel-guest: no /test.sh, starting a shell' \
		'echo typed-$((6*7))-here\npoweroff -f\n' "${ARGS[@]}"
	expect_rc 0
	expect_line '^\[linux\] typed-42-here'
	expect_line "^keel: partition 'linux' powered off \(PSCI SYSTEM_OFF\); exit status 0$"
}

# keel-bench reads Keel's cost model from Linux user space (the exit-stats
# device through /dev/mem) in a 2-vCPU partition: the exits since the
# partition started and those of its cpu workload, by reason and by device,
# its own reads left out, within what Keel counted in the end; without the
# device it says so once and still times the workload.
t_linux_exit_stats() {
	[ -f "$CACHE/linux/vmlinuz" ] || { fail "no kernel: the linux-boot case fetches it"; return; }
	if ! make -C "$ROOT" -s linux-bench >"$WORK/bench-build.log" 2>&1; then
		LOG="$WORK/bench-build.log"
		fail "make linux-bench failed"
		return
	fi
	"$ROOT/tools/mkinitramfs.sh" "$WORK/exit-stats.gz" --bin "$ROOT/build/linux/keel-bench" \
		--script "$ROOT/tests/system/linux/exit-stats.sh" >/dev/null || fail "mkinitramfs exit-stats"
	linux_args exit-stats
	TIMEOUT=240 keel linux-exit-stats "${ARGS[@]}" --cpus 2 --exit-stats
	expect_line '^\[linux\] keel-bench: exit 0$'
	expect_line '^\[linux\] keel-bench: exits boot all=[1-9][0-9]*/[1-9][0-9]*ns .*dabt=[1-9][0-9]*/[0-9]+ns'
	expect_line '^\[linux\] keel-bench: exits-detail boot .*pl011=[1-9][0-9]*/[0-9]+ns'
	expect_line '^\[linux\] keel-bench: cpu [1-9][0-9]*$'
	expect_line '^\[linux\] keel-bench: exits cpu all=[0-9]+/[0-9]+ns'
	expect_no_line '^\[linux\] keel-bench: exits-detail .*exit-stats='
	expect_no_line '^\[linux\] keel-bench: no exit breakdown'
	# what it saw at its start is within what Keel counted for both vCPUs in the end
	local seen total
	seen=$(sed -n 's/^\[linux\] keel-bench: exits-detail boot .*pl011=\([0-9]*\)\/.*/\1/p' "$LOG")
	total=$(sed -n "s/^keel: stats 'linux' vcpu [01] by call and device: .*pl011=\([0-9]*\)\/.*/\1/p" \
		"$LOG" | awk '{ s += $1 } END { print s + 0 }')
	[ -n "$seen" ] && [ "$seen" -le "$total" ] ||
		fail "keel-bench saw ${seen:-no} PL011 exits at its start, Keel counted $total in all"
	expect_line "^keel: stats 'linux' vcpu [01] by call and device: .*exit-stats=[1-9]"

	TIMEOUT=240 keel linux-exit-stats-absent "${ARGS[@]}"
	expect_line '^\[linux\] keel-bench: exit 0$'
	expect_count '^\[linux\] keel-bench: no exit breakdown: no keel,exit-stats node' 1
	expect_line '^\[linux\] keel-bench: cpu [1-9][0-9]*$'
	expect_no_line '^\[linux\] keel-bench: exits'
}

# A channel between Linux user space (keel_channel.ko + keel-chan, from
# /dev/uio0) and a bare-metal partition: 20 rounds of ping-pong, data checked
# on both sides, each message an interrupt on the other side.
t_linux_channel() {
	if ! make -C "$ROOT" -s linux-channel >"$WORK/channel-build.log" 2>&1; then
		LOG="$WORK/channel-build.log"
		fail "make linux-channel failed"
		return
	fi
	"$ROOT/tools/mkinitramfs.sh" "$WORK/channel.gz" --channel \
		--script "$ROOT/tests/system/linux/channel.sh" >/dev/null || fail "mkinitramfs channel"
	make_bundle "$WORK/channel.dtb" \
		"$(partition_node linux "$CACHE/linux/vmlinuz" "@initrd=$WORK/channel.gz" \
			'memory-mib = <256>' 'bootargs = "console=ttyAMA0 panic=-1"')" \
		"$(partition_node pong "$GUESTS/chan_ping.bin" \
			'bootargs = "role=pong rounds=20 first-wait-s=200"')" \
		"$(channel_node ping-pong linux pong)"
	TIMEOUT=240 keel linux-channel --bundle "$WORK/channel.dtb" --host-cpus 2
	expect_line '^\[linux\] check: info id: 0$'
	expect_line '^\[linux\] check: channel OK \(20 rounds\)$'
	expect_line '^\[linux\] check: channel interrupts (2[0-9]|[3-9][0-9])$'
	expect_line '^\[pong\] chan: pong done, 20 rounds, data checked$'
	expect_line "^keel: partition 'pong' exited \(hypercall\); exit status 0$"
	expect_line "^keel: partition 'linux' powered off \(PSCI SYSTEM_OFF\); exit status 0$"
}

run_case linux-boot t_linux_boot
run_case linux-smp-2-cpus t_linux_smp 2
run_case linux-smp-1-cpu t_linux_smp 1
run_case linux-reboot t_linux_reboot
run_case linux-shell t_linux_shell
run_case make-run t_make_run
run_case linux-panic t_linux_panic
run_case linux-channel t_linux_channel
run_case linux-exit-stats t_linux_exit_stats
