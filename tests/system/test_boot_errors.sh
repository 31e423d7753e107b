#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Bad input gives one clear error and a clean stop, never a hang: missing or
# corrupt images, a damaged boot bundle, a CPU not in Hyp mode, no DTB.
source "$(dirname "$0")/lib.sh"

WORK="$LOGS/boot-errors"
mkdir -p "$WORK"
KEEL_BIN="$ROOT/build/keel.bin"
VIRT=(-M virt,virtualization=on,gic-version=2 -cpu cortex-a15 -m 512)

# (f) a guest image that does not exist, or is empty: keel-run says so
t_missing_image() {
	keel missing --kernel "$WORK/does-not-exist.bin"
	expect_rc 2
	expect_line "^keel-run: kernel image '.*does-not-exist.bin': no such file$"
	: >"$WORK/empty.bin"
	keel empty --kernel "$WORK/empty.bin"
	expect_rc 2
	expect_line "^keel-run: kernel image '.*empty.bin' is empty$"
}

# (f) an image damaged after the bundle was made: Keel's CRC check refuses it
t_corrupt_image() {
	"$KEEL_RUN" --kernel "$GUESTS/hello.bin" --name hello --bundle-only "$WORK/good.dtb" || fail "bundle"
	dtc -q -I dtb -O dts -o "$WORK/good.dts" "$WORK/good.dtb"
	local first new
	first=$(sed -n 's/.*kernel = \[\([0-9a-f][0-9a-f]\).*/\1/p' "$WORK/good.dts")
	new=5a; [ "$first" != 5a ] || new=a5
	sed "s/kernel = \[$first/kernel = [$new/" "$WORK/good.dts" >"$WORK/corrupt.dts"
	dtc -q -I dts -O dtb -o "$WORK/corrupt.dtb" "$WORK/corrupt.dts"
	keel corrupt --bundle "$WORK/corrupt.dtb"
	expect_rc 126
	expect_line "^keel: fatal: partition 'hello': kernel image is corrupt \(CRC-32 0x[0-9a-f]{8}, the bundle says 0x[0-9a-f]{8}\)$"
	expect_no_line 'Hello from'
	# and the undamaged bundle boots
	keel good-bundle --bundle "$WORK/good.dtb"
	expect_rc 0
}

# (f) a zImage whose header claims more bytes than there are
t_truncated_zimage() {
	{
		printf '\000\000\240\341%.0s' 1 2 3 4 5 6 7 8   # 8 x "mov r0, r0"
		printf '\006\000\000\352'                      # b . + 0x20
		printf '\030\050\157\001'                      # 0x016f2818
		printf '\000\000\000\000\000\000\020\000'      # start 0, end 1 MiB
		printf '\001\002\003\004'
	} >"$WORK/truncated-zimage"
	keel truncated --kernel "$WORK/truncated-zimage" --name trunc
	expect_rc 126
	expect_line "^keel: partition 'trunc': kernel image is a truncated or corrupt zImage \(52 bytes, its header says 1048576\)$"
	expect_line "^keel: fatal: partition 'trunc' could not be created$"
}

# (f) formats Keel does not load are named
t_elf_image() {
	keel elf --kernel "$GUESTS/hello.elf" --name elf
	expect_rc 126
	expect_line "^keel: partition 'elf': kernel image is an ELF file; give a raw binary \(objcopy -O binary\) or a zImage$"
}

# an image larger than the partition's RAM is refused by the config rules at boot
t_image_too_big() {
	head -c $((2 * 1024 * 1024)) /dev/zero >"$WORK/big.bin"
	keel too-big --kernel "$WORK/big.bin" --mem 1 --name small
	expect_rc 126
	expect_line "^keel: fatal: partition 'small': property 'kernel': the image \(2097152 bytes\) does not fit below RAM \+ 0x80000 where the initrd and DTB go; raise 'memory-mib'$"
}

# a boot bundle that is not a device tree, or has a property Keel does not know
t_bad_bundle() {
	keel not-a-bundle --bundle "$GUESTS/hello.bin"
	expect_rc 126
	expect_line '^keel: fatal: the boot bundle is not a flattened device tree \(bad magic\)$'
	cat >"$WORK/unknown.dts" <<-DTS
	/dts-v1/;
	/ { compatible = "keel,bundle-v1";
	    partitions { p { kernel = [00 00 a0 e1]; kernel-crc32 = <0>; colour = "blue"; }; }; };
	DTS
	dtc -q -I dts -O dtb -o "$WORK/unknown.dtb" "$WORK/unknown.dts"
	keel unknown-prop --bundle "$WORK/unknown.dtb"
	expect_rc 126
	expect_line "^keel: fatal: partition 'p': unknown property 'colour'$"
}

# not started in Hyp mode (the board without virtualization): one line, clean stop
t_not_hyp() {
	qemu_raw not-hyp -M virt,virtualization=off -cpu cortex-a15 -m 256 -kernel "$KEEL_BIN"
	expect_rc 0
	expect_line '^keel: fatal: (this CPU has no Virtualization Extensions|started in Supervisor mode)'
	expect_count '^keel: fatal:' 1
	expect_line '^keel: stopping$'
}

# no DTB (QEMU passes none with an ELF kernel): one line, clean stop
t_no_dtb() {
	qemu_raw no-dtb "${VIRT[@]}" -kernel "$ROOT/build/keel.elf"
	expect_rc 0
	expect_line '^keel: fatal: no valid device tree from the boot loader \(r2 must point at one\)$'
}

# no boot bundle at all
t_no_bundle() {
	qemu_raw no-bundle "${VIRT[@]}" -kernel "$KEEL_BIN"
	expect_rc 0
	expect_line '^keel: fatal: no boot bundle: pass one as the initrd'
}

run_case missing-image t_missing_image
run_case corrupt-image t_corrupt_image
run_case truncated-zimage t_truncated_zimage
run_case elf-image t_elf_image
run_case image-too-big t_image_too_big
run_case bad-bundle t_bad_bundle
run_case not-hyp-mode t_not_hyp
run_case no-dtb t_no_dtb
run_case no-bundle t_no_bundle
