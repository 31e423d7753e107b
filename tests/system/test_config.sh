#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The config (docs/config.md): the host checker refuses bad configs with a
# precise message; Keel refuses them again at boot when the checker was
# skipped; keel-pack makes one image that boots everything; vCPUs are
# placed as the config says (pinned alone, time-sliced shared); the memory
# rules are proven at boot.
source "$(dirname "$0")/lib.sh"

WORK="$LOGS/config"
mkdir -p "$WORK"
CHECK="$ROOT/build/tools/keel-check"
PACK="$ROOT/tools/keel-pack"

# write_config FILE ROOT_EXTRA PARTITIONS_TEXT [CHANNELS_TEXT]: a config source
write_config() {
	{
		printf '/dts-v1/;\n/ {\n\tcompatible = "keel,bundle-v1";\n%s\n\tpartitions {\n%s\n\t};\n' "$2" "$3"
		[ -z "${4:-}" ] || printf '\tchannels {\n%s\n\t};\n' "$4"
		printf '};\n'
	} >"$1"
}

# check_refuses NAME SOURCE REGEX: keel-check exits 1 with one line matching REGEX
check_refuses() {
	local out
	dtc -q -I dts -O dtb -o "$WORK/$1.dtb" "$2" || { fail "$1: dtc failed"; return; }
	out=$("$CHECK" --cpus 2 "$WORK/$1.dtb" 2>&1)
	local rc=$?
	[ "$rc" -eq 1 ] || fail "$1: keel-check exit $rc, expected 1 ($out)"
	grep -Eq -- "$3" <<<"$out" || fail "$1: no message matching '$3' in: $out"
}

hello="kernel = /incbin/(\"$GUESTS/hello.bin\");"

# The host checker: one refusal per rule, each naming node and property.
t_checker_refuses() {
	local f="$WORK/bad.dts"
	write_config "$f" "" "a { $hello memory-mib = <64>; memory-base = <0x50000000>; }; b { $hello memory-mib = <64>; memory-base = <0x52000000>; };"
	check_refuses overlap-1to1 "$f" "partition 'b': property 'memory-base': its RAM overlaps partition 'a''s"
	write_config "$f" "" "a { $hello passthrough-mmio = <0x09010000 0x1000>; }; b { $hello passthrough-mmio = <0x09010000 0x1000>; };"
	check_refuses device-twice "$f" "partition 'b': property 'passthrough-mmio': 0x9010000 is already claimed by partition 'a'"
	write_config "$f" "" "a { $hello passthrough-irqs = <34>; }; b { $hello passthrough-irqs = <34>; };"
	check_refuses irq-twice "$f" "partition 'b': property 'passthrough-irqs': interrupt 34 is already claimed by partition 'a'"
	write_config "$f" "" "a { $hello cpus = <2>; sched-class = \"pinned\"; }; b { $hello sched-class = \"pinned\"; };"
	check_refuses pinned-too-many "$f" "pinned partitions have 3 vCPUs; the board has 2 CPUs"
	write_config "$f" "" "a { $hello memory-mib = <1>; kernel-size = <1>; };"
	check_refuses unknown-property "$f" "partition 'a': unknown property 'kernel-size'"
	write_config "$f" "" "a { memory-mib = <16>; };"
	check_refuses missing-kernel "$f" "partition 'a': property 'kernel' \(the image\) is missing"
	head -c $((2 * 1024 * 1024)) /dev/zero >"$WORK/big.bin"
	write_config "$f" "" "a { kernel = /incbin/(\"$WORK/big.bin\"); memory-mib = <2>; };"
	check_refuses image-too-big "$f" "partition 'a': property 'kernel': the image \([0-9]+ bytes\) does not fit"
	write_config "$f" "" "a { $hello passthrough-mmio = <0x08000000 0x1000>; };"
	check_refuses keel-device "$f" "partition 'a': property 'passthrough-mmio': 0x8000000 is the GIC, which Keel keeps"
	write_config "$f" "" "a { $hello };" "c { between = \"a\", \"x\"; };"
	check_refuses channel-unknown-end "$f" "channel 'c': property 'between' names 'x', which is not a partition"
	# and a good one passes, with the placement it will get
	write_config "$f" "" "rt { $hello sched-class = \"pinned\"; }; x { $hello }; y { $hello priority = <3>; budget-us = <2000>; period-us = <10000>; };" \
		"c { between = \"rt\", \"x\"; size-kib = <8>; };"
	dtc -q -I dts -O dtb -o "$WORK/good.dtb" "$f"
	local out
	out=$("$CHECK" --cpus 2 "$WORK/good.dtb" 2>&1) || fail "good config refused: $out"
	grep -Eq "good: 3 partitions, 1 channel$" <<<"$out" || fail "no 'good' line: $out"
	grep -Eq "^  rt +1 vCPU +pinned +on CPU 0," <<<"$out" || fail "rt not pinned on CPU 0: $out"
	grep -Eq "^  x +1 vCPU +time-sliced on CPU 1," <<<"$out" || fail "x not on CPU 1: $out"
	grep -Eq "^  y +1 vCPU +time-sliced on CPU 1," <<<"$out" || fail "y not on CPU 1: $out"
}

# Keel does not trust the checker: the same refusals at boot, before any guest runs.
t_boot_refuses() {
	make_bundle "$WORK/overlap.dtb" \
		"$(partition_node a "$GUESTS/hello.bin" 'memory-mib = <32>' 'memory-base = <0x58000000>')" \
		"$(partition_node b "$GUESTS/hello.bin" 'memory-mib = <32>' 'memory-base = <0x59000000>')"
	keel boot-refuses-overlap --bundle "$WORK/overlap.dtb"
	expect_rc 126
	expect_line "^keel: fatal: partition 'b': property 'memory-base': its RAM overlaps partition 'a''s$"
	expect_no_line '^\[a\]'
	# 1:1 memory over Keel's own image
	make_bundle "$WORK/overkeel.dtb" \
		"$(partition_node a "$GUESTS/hello.bin" 'memory-mib = <32>' 'memory-base = <0x40000000>')"
	keel boot-refuses-keel-memory --bundle "$WORK/overkeel.dtb"
	expect_rc 126
	expect_line "^keel: fatal: partition 'a': property 'memory-base': its RAM overlaps Keel's image"
	# handing out the console UART
	make_bundle "$WORK/uart.dtb" \
		"$(partition_node a "$GUESTS/hello.bin" 'passthrough-mmio = <0x09000000 0x1000>')"
	keel boot-refuses-uart --bundle "$WORK/uart.dtb"
	expect_rc 126
	expect_line "^keel: fatal: partition 'a': property 'passthrough-mmio': 0x9000000 is Keel's console UART, which Keel keeps$"
	# two pinned partitions, one CPU
	make_bundle "$WORK/pinned.dtb" \
		"$(partition_node a "$GUESTS/hello.bin" 'sched-class = "pinned"')" \
		"$(partition_node b "$GUESTS/hello.bin" 'sched-class = "pinned"')"
	keel boot-refuses-pinned --bundle "$WORK/pinned.dtb" --host-cpus 1
	expect_rc 126
	expect_line "^keel: fatal: pinned partitions have 2 vCPUs; the board has 1 CPUs$"
}

# keel-pack: Keel + config + images in one file that boots with -kernel alone;
# a pinned partition and two time-sliced ones sharing the other CPU; a
# channel's memory is the one thing two partitions share (the boot proof).
t_packed_image() {
	local f="$WORK/packed.dts"
	write_config "$f" "" "
		solo { $hello sched-class = \"pinned\"; memory-mib = <16>; };
		one { $hello memory-mib = <16>; };
		two { $hello memory-mib = <16>; memory-base = <0x58000000>; kernel-crc32 = <0>; };" \
		"c { between = \"solo\", \"one\"; size-kib = <8>; };"
	# a wrong CRC the packer would not fix is caught (it only adds missing ones)
	"$PACK" "$f" -o "$WORK/bad.img" --cpus 2 >"$WORK/pack-bad.log" 2>&1 && fail "keel-pack accepted a wrong CRC"
	grep -q "partition 'two': kernel image is corrupt" "$WORK/pack-bad.log" || fail "wrong CRC not named"
	sed -i 's/ kernel-crc32 = <0>;//; s/memory-base = <0x58000000>;//' "$f"
	"$PACK" "$f" -o "$WORK/keel.img" --cpus 2 >"$WORK/pack.log" 2>&1 || fail "keel-pack failed: $(cat "$WORK/pack.log")"
	keel packed-image --image "$WORK/keel.img" --host-cpus 2
	expect_rc 0
	expect_line "^keel: boot bundle appended to Keel's image, [0-9]+ bytes$"
	expect_line "^keel: partition 'solo': 1 vCPU, 16 MiB RAM .*, pinned; on CPU 0$"
	expect_line "^keel: partition 'one': 1 vCPU, 16 MiB RAM .*, time-sliced; on CPU 1$"
	expect_line "^keel: partition 'two': 1 vCPU, 16 MiB RAM .*, time-sliced; on CPU 1$"
	expect_line "^keel: memory rules hold: 3 partitions, [0-9]+ mapped runs \([0-9]+ MiB\), 2 of them channel memory shared by its two partitions, none of Keel's [0-9]+ memory ranges mapped$"
	local p
	for p in solo one two; do
		expect_line "^\[$p\] DONE: 1 passed, 0 failed$"
	done
}

run_case config-checker-refuses t_checker_refuses
run_case config-boot-refuses t_boot_refuses
run_case config-packed-image t_packed_image
