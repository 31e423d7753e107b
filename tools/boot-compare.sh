#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A benchmark, not a test: Debian's kernel booting to userspace natively on
# QEMU's virt board and in a Keel partition, both with -icount shift=0, so
# guest time is instruction count (1 ns per instruction). The figure is the
# kernel's own timestamp of "Run /init as init process": natively counted
# from the board's reset, in Keel from the partition's start (its virtual
# counter), Keel's trap handling included. One CPU, 256 MiB, same initramfs.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh >/dev/null
make -s all
tools/fetch-linux.sh >/dev/null
cache=${KEEL_CACHE:-$HOME/.cache/keel}
out=build/boot-compare
mkdir -p "$out"
printf '#!/bin/sh\nexit 0\n' >"$out/exit.sh"
tools/mkinitramfs.sh "$out/initrd.gz" --script "$out/exit.sh" >/dev/null
append="console=ttyAMA0 panic=-1"

timeout 900 qemu-system-arm -M virt,gic-version=2 -cpu cortex-a15 -smp 1 -m 256 \
	-icount shift=0 -display none -monitor none -serial stdio -nic none -no-reboot \
	-kernel "$cache/linux/vmlinuz" -initrd "$out/initrd.gz" -append "$append" \
	</dev/null | tr -d '\r' >"$out/native.log"
tools/keel-run --kernel "$cache/linux/vmlinuz" --initrd "$out/initrd.gz" --append "$append" \
	--mem 256 --name linux --icount --timeout 900 </dev/null >"$out/keel.log"

# seconds in the kernel's timestamp of LINE in FILE
stamp() {
	sed -n "s/^\(\[linux\] \)\{0,1\}\[ *\([0-9.]*\)\] $2.*/\2/p" "$1" | head -1
}
n=$(stamp "$out/native.log" 'Run \/init as init process')
k=$(stamp "$out/keel.log" 'Run \/init as init process')
[ -n "$n" ] && [ -n "$k" ] || { echo "boot-compare: no 'Run /init' line (logs in $out)" >&2; exit 1; }
awk -v n="$n" -v k="$k" -v v="$(cat "$cache/linux/VERSION" 2>/dev/null)" 'BEGIN {
	printf "kernel %s, 1 CPU, 256 MiB, -icount shift=0\n", v
	printf "boot to userspace (Run /init): native %.0f M instructions, Keel %.0f M instructions, ratio %.3f\n",
		n * 1000, k * 1000, k / n
}'
grep -h "^keel: stats 'linux'" "$out/keel.log" || true
